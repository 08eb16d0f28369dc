using Wallboard.Domain.Calls;
using Wallboard.Web.Ingest.Asterisk;

namespace Wallboard.Tests.Ingest.Asterisk;

public class QueueLogMapperTests
{
    private const string Enter = "1000|c1|sales|NONE|ENTERQUEUE||17035550100|1";

    private static readonly AsteriskMappingOptions Options = new()
    {
        QueueTrackingNumbers = new Dictionary<string, string> { ["sales"] = "+15125550100" },
    };

    private static DateTimeOffset At(long epoch) => DateTimeOffset.FromUnixTimeSeconds(epoch);

    private static QueueLogMapping Translate(string text, AsteriskMappingOptions? options = null) =>
        new QueueLogMapper(options ?? Options).Translate(text);

    private static List<CallEvent> EventsOf(string text, AsteriskMappingOptions? options = null)
    {
        var mapping = Translate(text, options);
        Assert.Empty(mapping.Errors);
        return [.. mapping.Events];
    }

    [Fact]
    public void ENTERQUEUE_starts_the_call_from_the_caller_to_the_queues_tracking_number_and_queues_it()
    {
        var events = EventsOf("1000|c1|sales|NONE|ENTERQUEUE||17035550100|1|Jane Doe");

        Assert.Collection(
            events,
            started =>
            {
                Assert.Equal(CallEventType.Started, started.Type);
                Assert.Equal("c1", started.CallId);
                Assert.Equal(At(1000), started.At);
                Assert.Equal("17035550100", started.From);
                Assert.Equal("+15125550100", started.To);
                Assert.Equal("Jane Doe", started.CallerName);
            },
            queued =>
            {
                Assert.Equal(CallEventType.Queued, queued.Type);
                Assert.Equal(At(1000), queued.At);
                Assert.Equal("sales", queued.Group);
            });
    }

    [Fact]
    public void Queue_names_match_the_tracking_number_settings_case_insensitively_as_in_Asterisk()
    {
        var started = EventsOf("1000|c1|SALES|NONE|ENTERQUEUE||17035550100|1")[0];

        Assert.Equal("+15125550100", started.To);
    }

    [Fact]
    public void A_queue_without_a_tracking_number_uses_the_default_or_leaves_to_empty()
    {
        var withDefault = new AsteriskMappingOptions { DefaultTrackingNumber = "+15125550199" };

        Assert.Equal("+15125550199", EventsOf("1000|c1|service|NONE|ENTERQUEUE||555|1", withDefault)[0].To);
        Assert.Null(EventsOf("1000|c1|service|NONE|ENTERQUEUE||555|1")[0].To);
    }

    [Fact]
    public void A_FreePBX_DID_line_before_ENTERQUEUE_gives_the_dialed_number()
    {
        var mapping = Translate("999|c1|sales|NONE|DID|+15125550142\n" + Enter);

        Assert.Equal("+15125550142", mapping.Events[0].To);
        var ignored = Assert.Single(mapping.Ignored);
        Assert.Equal((1, "DID"), (ignored.LineNumber, ignored.Event));
    }

    [Theory]
    [InlineData("")]
    [InlineData("anonymous")]
    [InlineData("Unknown")]
    [InlineData("PRIVATE")]
    [InlineData("<unknown>")]
    [InlineData("Anonymous <anonymous>")]
    [InlineData("blocked")]
    public void A_withheld_caller_id_starts_the_call_from_nobody(string callerId)
    {
        Assert.Null(EventsOf($"1000|c1|sales|NONE|ENTERQUEUE||{callerId}|1")[0].From);
    }

    [Fact]
    public void RINGNOANSWER_is_a_ring_that_started_its_ring_time_earlier_and_a_ring_no_answer()
    {
        var events = EventsOf(Enter + "\n1010|c1|sales|SIP/101|RINGNOANSWER|9500")[2..];

        Assert.Collection(
            events,
            ringing =>
            {
                Assert.Equal(CallEventType.Ringing, ringing.Type);
                Assert.Equal("101", ringing.Agent);
                Assert.Equal(At(1010) - TimeSpan.FromMilliseconds(9500), ringing.At);
            },
            missed =>
            {
                Assert.Equal(CallEventType.RingNoAnswer, missed.Type);
                Assert.Equal("101", missed.Agent);
                Assert.Equal(9.5, missed.RingSeconds);
                Assert.Equal(At(1010), missed.At);
            });
    }

    [Fact]
    public void A_ring_is_never_placed_before_the_call_entered_the_queue()
    {
        var ringing = EventsOf(Enter + "\n1005|c1|sales|SIP/101|RINGNOANSWER|9000")[2];

        Assert.Equal(At(1000), ringing.At);
    }

    [Fact]
    public void RINGCANCELED_shows_who_rang_without_counting_a_ring_no_answer()
    {
        var withTime = EventsOf("1010|c1|sales|SIP/101|RINGCANCELED|4000");
        var documentedForm = EventsOf("1010|c1|sales|SIP/101|RINGCANCELED");

        var ringing = Assert.Single(withTime);
        Assert.Equal((CallEventType.Ringing, "101", At(1006)), (ringing.Type, ringing.Agent, ringing.At));
        Assert.Equal(At(1010), Assert.Single(documentedForm).At);
    }

    [Fact]
    public void AGENTDUMP_counts_against_the_member_who_hung_up_on_the_caller()
    {
        var events = EventsOf("1010|c1|sales|SIP/101|AGENTDUMP");

        Assert.Equal([CallEventType.Ringing, CallEventType.RingNoAnswer], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal("101", e.Agent));
    }

    [Fact]
    public void CONNECT_is_answered_by_the_member_whose_phone_rang_for_ringtime_seconds()
    {
        var events = EventsOf(Enter + "\n1076|c1|sales|Local/101@from-queue/n|CONNECT|76|1070.5|6")[2..];

        Assert.Collection(
            events,
            ringing => Assert.Equal((CallEventType.Ringing, "101", At(1070)), (ringing.Type, ringing.Agent, ringing.At)),
            answered => Assert.Equal((CallEventType.Answered, "101", At(1076)), (answered.Type, answered.Agent, answered.At)));
    }

    [Fact]
    public void CONNECT_from_an_old_Asterisk_without_ringtime_is_just_answered()
    {
        var answered = Assert.Single(EventsOf("1076|c1|sales|SIP/101|CONNECT|76|1070.5"));

        Assert.Equal(CallEventType.Answered, answered.Type);
    }

    [Theory]
    [InlineData("COMPLETECALLER|76|847|1", CallEndedBy.Caller)]
    [InlineData("COMPLETEAGENT|5|60|1", CallEndedBy.Agent)]
    [InlineData("ABANDON|1|1|45", CallEndedBy.Caller)]
    [InlineData("EXITWITHKEY|1|1|1|20", CallEndedBy.Caller)]
    [InlineData("EXITWITHTIMEOUT|1|2|300", CallEndedBy.System)]
    [InlineData("EXITEMPTY|1|1|3", CallEndedBy.System)]
    [InlineData("JOINEMPTY|1|1|0", CallEndedBy.System)]
    [InlineData("WITHDRAW|1|1|12|info", CallEndedBy.System)]
    public void End_lines_end_the_call_and_say_who_ended_it(string eventAndData, CallEndedBy endedBy)
    {
        var ended = Assert.Single(EventsOf($"2000|c1|sales|SIP/101|{eventAndData}"));

        Assert.Equal(CallEventType.Ended, ended.Type);
        Assert.Equal(endedBy, ended.EndedBy);
        Assert.Equal(At(2000), ended.At);
        Assert.Equal("c1", ended.CallId);
    }

    [Fact]
    public void A_blind_transfer_hands_the_caller_to_the_extension_and_ends_the_queue_call()
    {
        var events = EventsOf("2000|c1|sales|Agent/1128|BLINDTRANSFER|1142|transfer|6|38|1");

        Assert.Collection(
            events,
            transferred =>
            {
                Assert.Equal(CallEventType.Transferred, transferred.Type);
                Assert.Equal("1128", transferred.FromAgent);
                Assert.Equal("1142", transferred.ToAgent);
                Assert.Null(transferred.ToGroup);
            },
            ended =>
            {
                Assert.Equal(CallEventType.Ended, ended.Type);
                Assert.Equal(CallEndedBy.Agent, ended.EndedBy);
                Assert.Equal(At(2000), ended.At);
            });
    }

    [Fact]
    public void An_old_style_TRANSFER_maps_like_a_blind_transfer()
    {
        var events = EventsOf("2000|c1|sales|SIP/101|TRANSFER|102|from-internal|6|38|1");

        Assert.Equal([CallEventType.Transferred, CallEventType.Ended], events.Select(e => e.Type));
        Assert.Equal(("101", "102"), (events[0].FromAgent, events[0].ToAgent));
    }

    [Theory]
    [InlineData("UNKNOWN||6|30|1")]
    [InlineData("BRIDGE|5a2c6f3e-0bd1|6|30|1")]
    [InlineData("LINK|Local/201@ctx-0001;1|Local/201@ctx-0001;2|6|30|1")]
    public void An_attended_transfer_ends_the_queue_call_without_guessing_who_took_it(string data)
    {
        var events = EventsOf($"2000|c1|sales|Agent/1128|ATTENDEDTRANSFER|{data}");

        Assert.Equal([CallEventType.Transferred, CallEventType.Ended], events.Select(e => e.Type));
        Assert.Equal("1128", events[0].FromAgent);
        Assert.Null(events[0].ToAgent);
    }

    [Theory]
    [InlineData("1|1543598985.25|IT|Local/1127@callback-agent|ADDMEMBER|")]
    [InlineData("1|NONE|IT|SIP/101|REMOVEMEMBER|")]
    [InlineData("1|NONE|IT|SIP/101|PAUSE|lunch")]
    [InlineData("1|NONE|IT|SIP/101|UNPAUSE|")]
    [InlineData("1|NONE|NONE|SIP/101|PAUSEALL|")]
    [InlineData("1|NONE|NONE|SIP/101|UNPAUSEALL|")]
    [InlineData("1|NONE|IT|SIP/101|PENALTY|2")]
    [InlineData("1|NONE|NONE|Agent/1127|AGENTLOGIN|SIP/1127-0000001a")]
    [InlineData("1|NONE|NONE|Agent/1127|AGENTLOGOFF|SIP/1127-0000001a|3600")]
    [InlineData("1|1543598985.25|NONE|Agent/1127|AGENTCALLBACKLOGIN|hint:1127@default")]
    [InlineData("1|NONE|NONE|Agent/1127|AGENTCALLBACKLOGOFF|1127@default|43|CommandLogoff")]
    [InlineData("1|NONE|NONE|NONE|CONFIGRELOAD|")]
    [InlineData("1|NONE|NONE|NONE|QUEUESTART|")]
    [InlineData("1|NONE|IT|NONE|ENTERQUEUE||555|1")]
    [InlineData("1|c1|IT|SIP/101|SYSCOMPAT|0|1.2|3")]
    [InlineData("1|c1|IT|Agent/1127|OUTDIAL|881142")]
    public void Lines_that_say_nothing_about_a_callers_call_are_ignored_with_a_reason_not_rejected(string line)
    {
        var mapping = Translate(line);

        Assert.Empty(mapping.Events);
        Assert.Empty(mapping.Errors);
        var ignored = Assert.Single(mapping.Ignored);
        Assert.Equal(1, ignored.LineNumber);
        Assert.False(string.IsNullOrWhiteSpace(ignored.Reason));
    }

    [Theory]
    [InlineData("1010|c1|sales|SIP/101|RINGNOANSWER|ten", "line 1: RINGNOANSWER needs the ring time in milliseconds as data1, got 'ten'")]
    [InlineData("1010|c1|sales|SIP/101|RINGNOANSWER", "line 1: RINGNOANSWER needs the ring time in milliseconds as data1, got ''")]
    [InlineData("1010|c1|sales|NONE|RINGNOANSWER|9000", "line 1: RINGNOANSWER names no queue member")]
    [InlineData("1010|c1|sales|NONE|CONNECT|7|1.2|3", "line 1: CONNECT names no queue member")]
    [InlineData("1010|c1|sales|SIP/101|CONNECT|7|1.2|-3", "line 1: CONNECT ringtime (data3) '-3' is not a number of seconds")]
    [InlineData("1010|c1|sales|SIP/101|RINGCANCELED|soon", "line 1: RINGCANCELED ring time 'soon' is not a number of milliseconds")]
    public void A_call_line_whose_data_makes_no_sense_is_rejected_with_the_reason(string line, string reason)
    {
        var mapping = Translate(line);

        Assert.Empty(mapping.Events);
        var error = Assert.Single(mapping.Errors);
        Assert.Equal((1, reason), (error.LineNumber, error.Reason));
    }

    [Fact]
    public void Parse_errors_and_mapping_errors_come_back_together_in_line_order()
    {
        var mapping = Translate("garbage\n" + Enter + "\n1010|c1|sales|SIP/101|RINGNOANSWER|x\n\n1020|c1|sales|NONE|ABANDON|1|1|20");

        Assert.Equal([1, 3, 4], mapping.Errors.Select(e => e.LineNumber));
        Assert.Equal(3, mapping.Events.Count);
    }

    [Fact]
    public void Members_are_the_extension_whatever_technology_or_channel_they_are_logged_as()
    {
        const string text = """
            1|c1|IT|Agent/1127|RINGNOANSWER|1000
            2|c1|IT|SIP/1127|RINGNOANSWER|1000
            3|c1|IT|PJSIP/1127|RINGNOANSWER|1000
            4|c1|IT|Local/1127@from-queue/n|RINGNOANSWER|1000
            5|c1|IT|SIP/1127-0000001a|RINGNOANSWER|1000
            6|c1|IT|Jane Doe|RINGNOANSWER|1000
            """;

        var agents = EventsOf(text).Where(e => e.Type == CallEventType.RingNoAnswer).Select(e => e.Agent);

        Assert.Equal(["1127", "1127", "1127", "1127", "1127", "Jane Doe"], agents);
    }

    [Fact]
    public void The_member_settings_name_the_agent_by_logged_or_by_normalized_member()
    {
        var options = Options with
        {
            MemberAgents = new Dictionary<string, string>
            {
                ["sip/101"] = "jane",
                ["102"] = "bob",
            },
        };

        var events = EventsOf("1|c1|sales|SIP/101|CONNECT|1|x|1\n2|c2|sales|PJSIP/102|CONNECT|1|x|1", options);

        Assert.Equal(["jane", "jane", "bob", "bob"], events.Select(e => e.Agent));
    }

    [Fact]
    public void Event_ids_are_the_same_when_the_same_text_is_mapped_again()
    {
        var text = string.Join('\n', Enter, "1010|c1|sales|SIP/101|RINGNOANSWER|10000", "1020|c1|sales|SIP/102|CONNECT|20|1.2|5",
            "1100|c1|sales|SIP/102|COMPLETECALLER|20|80|1");

        var first = Translate(text).Events.Select(e => e.EventId);
        var second = new QueueLogMapper(Options).Translate(text).Events.Select(e => e.EventId);

        Assert.Equal(first, second);
        Assert.Equal(first.Count(), first.Distinct().Count());
        Assert.Equal("c1:RINGNOANSWER:1010:SIP/101:", first.ElementAt(2)[..29]);
    }

    [Fact]
    public void Event_ids_do_not_depend_on_how_the_log_was_cut_into_posts()
    {
        var lines = new[] { Enter, "1010|c1|sales|SIP/101|RINGNOANSWER|10000", "1030|c1|sales|NONE|ABANDON|1|1|30" };

        var whole = Translate(string.Join('\n', lines)).Events.Select(e => e.EventId);
        var inPieces = lines.SelectMany(line => Translate(line).Events).Select(e => e.EventId);

        Assert.Equal(whole, inPieces);
    }

    [Fact]
    public void Lines_differing_only_in_data_get_different_ids()
    {
        var events = EventsOf("1010|c1|sales|SIP/101|RINGNOANSWER|10000\n1010|c1|sales|SIP/101|RINGNOANSWER|9000");

        Assert.Equal(4, events.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public void A_byte_identical_line_gets_the_same_ids_so_it_counts_once()
    {
        var events = EventsOf("1010|c1|sales|SIP/101|RINGNOANSWER|10000\n1010|c1|sales|SIP/101|RINGNOANSWER|10000");

        Assert.Equal(2, events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(events.Take(2).Select(e => e.EventId), events.Skip(2).Select(e => e.EventId));
    }
}
