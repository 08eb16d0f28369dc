using Wallboard.Domain.Calls;
using Wallboard.Web.Ingest.Twilio;

namespace Wallboard.Tests.Ingest.Twilio;

public class TwilioVoiceStatusMapperTests
{
    private const string CallSid = "CA0123456789abcdef0123456789abcdef";
    private const string LegSid = "CAfedcba9876543210fedcba9876543210";
    private const string Timestamp = "Tue, 04 Dec 2018 16:10:30 +0000";
    private static readonly DateTimeOffset At = new(2018, 12, 4, 16, 10, 30, TimeSpan.Zero);

    /// <summary>A status callback of an inbound call to tracking number +15125550100, as Twilio posts it.</summary>
    private static Dictionary<string, string> Inbound(string status, params (string Name, string Value)[] extra)
    {
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = "AC0123456789abcdef0123456789abcdef",
            ["ApiVersion"] = "2010-04-01",
            ["CallSid"] = CallSid,
            ["CallStatus"] = status,
            ["CallbackSource"] = "call-progress-events",
            ["Called"] = "+15125550100",
            ["Caller"] = "+17035550100",
            ["Direction"] = "inbound",
            ["From"] = "+17035550100",
            ["SequenceNumber"] = "0",
            ["Timestamp"] = Timestamp,
            ["To"] = "+15125550100",
        };
        foreach (var (name, value) in extra)
        {
            form[name] = value;
        }

        return form;
    }

    /// <summary>A callback of the leg a &lt;Dial&gt; in that call's TwiML rang on a salesperson's cell.</summary>
    private static Dictionary<string, string> DialLeg(string status, params (string Name, string Value)[] extra) =>
        Inbound(status, [("CallSid", LegSid), ("ParentCallSid", CallSid), ("Direction", "outbound-dial"),
            ("From", "+15125550100"), ("To", "+15125550177"), .. extra]);

    private static IReadOnlyList<CallEvent> EventsOf(Dictionary<string, string> form)
    {
        var mapping = TwilioVoiceStatusMapper.Map(form);
        Assert.False(mapping.IsRejected, string.Join("; ", mapping.Errors));
        Assert.Null(mapping.IgnoredReason);
        return mapping.Events;
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("initiated")]
    [InlineData("ringing")]
    public void An_inbound_call_that_has_not_been_answered_yet_is_started(string status)
    {
        var started = Assert.Single(EventsOf(Inbound(status, ("CallerName", "DOE JANE"))));

        Assert.Equal(CallEventType.Started, started.Type);
        Assert.Equal(CallSid, started.CallId);
        Assert.Equal(At, started.At);
        Assert.Equal(TimeSpan.Zero, started.At.Offset);
        Assert.Equal("+17035550100", started.From);
        Assert.Equal("+15125550100", started.To);
        Assert.Equal("DOE JANE", started.CallerName);
    }

    [Fact]
    public void In_progress_of_the_inbound_call_is_twilio_picking_up_so_it_starts_the_call_and_answers_nothing()
    {
        // A call.answered always names the person's phone; that comes from the dial legs.
        var started = Assert.Single(EventsOf(Inbound("in-progress")));

        Assert.Equal(CallEventType.Started, started.Type);
        Assert.Equal(At, started.At);
    }

    [Fact]
    public void Completed_ends_the_call_without_saying_who_hung_up_and_starts_it_CallDuration_earlier()
    {
        var events = EventsOf(Inbound("completed", ("CallDuration", "95"), ("RecordingUrl", "https://api.twilio.com/rec/RE1")));

        Assert.Collection(
            events,
            started => Assert.Equal((CallEventType.Started, At.AddSeconds(-95)), (started.Type, started.At)),
            ended =>
            {
                Assert.Equal(CallEventType.Ended, ended.Type);
                Assert.Equal(At, ended.At);
                Assert.Null(ended.EndedBy);
                Assert.Equal("https://api.twilio.com/rec/RE1", ended.RecordingUrl);
            });
    }

    [Theory]
    [InlineData("busy", CallEndedBy.System)]
    [InlineData("no-answer", CallEndedBy.System)]
    [InlineData("failed", CallEndedBy.System)]
    [InlineData("canceled", CallEndedBy.Caller)]
    public void A_call_that_never_got_through_ends_by_the_system_or_by_the_caller_who_gave_up(string status, CallEndedBy endedBy)
    {
        var events = EventsOf(Inbound(status, ("CallDuration", "0")));

        Assert.Equal([CallEventType.Started, CallEventType.Ended], events.Select(e => e.Type));
        Assert.Equal(endedBy, events[1].EndedBy);
        Assert.Equal(At, events[0].At);
    }

    [Fact]
    public void A_trunking_originating_call_comes_from_outside_and_counts_as_inbound()
    {
        var events = EventsOf(Inbound("ringing", ("Direction", "trunking-originating")));

        Assert.Equal(CallEventType.Started, Assert.Single(events).Type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("anonymous")]
    [InlineData("Restricted")]
    [InlineData("+266696687")]
    [InlineData("No Caller ID")]
    public void A_withheld_caller_starts_the_call_from_nobody(string from)
    {
        Assert.Null(EventsOf(Inbound("ringing", ("From", from)))[0].From);
    }

    [Fact]
    public void A_retried_callback_gives_the_same_event_ids_so_the_pipeline_drops_it()
    {
        var first = EventsOf(Inbound("completed", ("CallDuration", "95"))).Select(e => e.EventId);
        var retry = EventsOf(Inbound("completed", ("CallDuration", "95"), ("SequenceNumber", "0"))).Select(e => e.EventId);

        Assert.Equal([$"{CallSid}:started", $"{CallSid}:ended"], first);
        Assert.Equal(first, retry);
    }

    [Fact]
    public void The_callbacks_of_one_call_share_one_started_and_otherwise_have_distinct_ids()
    {
        string[] statuses = ["initiated", "ringing", "in-progress", "completed"];
        var ids = statuses
            .Select((status, i) => EventsOf(Inbound(status, ("SequenceNumber", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))))
            .SelectMany(events => events)
            .GroupBy(e => e.EventId)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Type).Distinct().Single());

        Assert.Equal(
            new Dictionary<string, CallEventType>
            {
                [$"{CallSid}:started"] = CallEventType.Started,
                [$"{CallSid}:ended"] = CallEventType.Ended,
            },
            ids);
    }

    [Fact]
    public void Another_call_gets_other_ids()
    {
        var other = EventsOf(Inbound("ringing", ("CallSid", "CA99999999999999999999999999999999")));

        Assert.NotEqual(EventsOf(Inbound("ringing"))[0].EventId, other[0].EventId);
    }

    [Theory]
    [InlineData("outbound-api", null)]
    [InlineData("outbound-dial", null)]
    [InlineData("trunking-terminating", null)]
    [InlineData("outbound-api", CallSid)]
    public void A_call_the_dealership_places_is_not_a_sales_lead_and_maps_to_nothing_with_the_reason(string direction, string? parent)
    {
        var form = Inbound("completed", ("Direction", direction), ("CallDuration", "30"));
        if (parent is not null)
        {
            form["ParentCallSid"] = parent;
        }

        var mapping = TwilioVoiceStatusMapper.Map(form);

        Assert.Empty(mapping.Events);
        Assert.False(mapping.IsRejected);
        Assert.StartsWith($"outbound call (Direction {direction}", mapping.IgnoredReason);
        Assert.Contains("not an inbound sales call", mapping.IgnoredReason);
    }

    [Theory]
    [InlineData("initiated")]
    [InlineData("ringing")]
    public void A_dial_leg_ringing_rings_the_salespersons_phone_on_the_parent_call(string status)
    {
        var ringing = Assert.Single(EventsOf(DialLeg(status)));

        Assert.Equal(CallEventType.Ringing, ringing.Type);
        Assert.Equal(CallSid, ringing.CallId);
        Assert.Equal("+15125550177", ringing.Agent);
        Assert.Equal(At, ringing.At);
        Assert.Equal($"{LegSid}:ringing", ringing.EventId);
    }

    [Fact]
    public void A_dial_leg_in_progress_is_the_salesperson_answering_the_parent_call()
    {
        var events = EventsOf(DialLeg("in-progress"));

        Assert.Equal([CallEventType.Ringing, CallEventType.Answered], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal((CallSid, "+15125550177"), (e.CallId, e.Agent)));
        Assert.Equal($"{LegSid}:answered", events[1].EventId);
    }

    [Fact]
    public void A_completed_dial_leg_was_answered_its_CallDuration_before_and_does_not_end_the_parent_call()
    {
        var events = EventsOf(DialLeg("completed", ("CallDuration", "61")));

        Assert.Equal([CallEventType.Ringing, CallEventType.Answered], events.Select(e => e.Type));
        Assert.Equal(At.AddSeconds(-61), events[1].At);
        Assert.Equal(EventsOf(DialLeg("in-progress"))[1].EventId, events[1].EventId);
    }

    [Theory]
    [InlineData("no-answer")]
    [InlineData("busy")]
    [InlineData("failed")]
    public void A_dial_leg_that_did_not_pick_up_is_a_ring_no_answer_of_that_salesperson(string status)
    {
        var events = EventsOf(DialLeg(status));

        Assert.Equal([CallEventType.Ringing, CallEventType.RingNoAnswer], events.Select(e => e.Type));
        Assert.Equal(("+15125550177", CallSid, At), (events[1].Agent, events[1].CallId, events[1].At));
    }

    [Fact]
    public void A_canceled_dial_leg_rang_but_is_not_counted_as_missed_by_that_salesperson()
    {
        var ringing = Assert.Single(EventsOf(DialLeg("canceled")));

        Assert.Equal(CallEventType.Ringing, ringing.Type);
    }

    [Fact]
    public void A_dial_leg_without_To_is_rejected()
    {
        var mapping = TwilioVoiceStatusMapper.Map(DialLeg("ringing", ("To", "")));

        Assert.Equal([new TwilioFieldError("To", "missing: a dial leg's To is the phone that rang")], mapping.Errors);
    }

    [Theory]
    [InlineData("Tue, 04 Dec 2018 16:10:30 +0000")]
    [InlineData("Tue, 4 Dec 2018 16:10:30 +0000")]
    [InlineData("Tue, 04 Dec 2018 16:10:30 GMT")]
    [InlineData("Tue, 04 Dec 2018 17:10:30 +0100")]
    [InlineData("Tue, 04 Dec 2018 10:10:30 -06:00")]
    public void Timestamps_are_read_as_RFC_1123_and_kept_in_UTC(string timestamp)
    {
        var started = EventsOf(Inbound("ringing", ("Timestamp", timestamp)))[0];

        Assert.Equal(At, started.At);
        Assert.Equal(TimeSpan.Zero, started.At.Offset);
    }

    [Fact]
    public void An_empty_form_names_every_missing_field()
    {
        var mapping = TwilioVoiceStatusMapper.Map([]);

        Assert.True(mapping.IsRejected);
        Assert.Empty(mapping.Events);
        Assert.Equal(
            ["CallSid: missing", "CallStatus: missing", "Direction: missing", "Timestamp: missing"],
            mapping.Errors.Select(e => $"{e.Field}: {e.Reason}"));
    }

    [Theory]
    [InlineData("CallStatus", "answered", "'answered' is not one of queued, initiated, ringing, in-progress, completed, busy, no-answer, canceled, failed")]
    [InlineData("CallStatus", "Completed", "'Completed' is not one of queued, initiated, ringing, in-progress, completed, busy, no-answer, canceled, failed")]
    [InlineData("Direction", "sideways", "'sideways' is not one of inbound, outbound-api, outbound-dial, trunking-originating, trunking-terminating")]
    [InlineData("Timestamp", "2018-12-04 16:10:30", "'2018-12-04 16:10:30' is not an RFC 1123 time such as 'Mon, 16 Aug 2010 03:45:01 +0000'")]
    [InlineData("Timestamp", "Tue, 04 Dec 2018 16:10:30", "'Tue, 04 Dec 2018 16:10:30' is not an RFC 1123 time such as 'Mon, 16 Aug 2010 03:45:01 +0000'")]
    [InlineData("CallDuration", "-5", "'-5' is not a whole number of seconds")]
    [InlineData("CallDuration", "1.5", "'1.5' is not a whole number of seconds")]
    [InlineData("CallDuration", "ninety", "'ninety' is not a whole number of seconds")]
    [InlineData("CallSid", " ", "missing")]
    public void A_field_that_cannot_be_read_rejects_the_callback_and_says_which_and_why(string field, string value, string reason)
    {
        var mapping = TwilioVoiceStatusMapper.Map(Inbound("completed", (field, value)));

        Assert.True(mapping.IsRejected);
        Assert.Empty(mapping.Events);
        Assert.Null(mapping.IgnoredReason);
        Assert.Equal([new TwilioFieldError(field, reason)], mapping.Errors);
    }

    [Fact]
    public void A_field_sent_twice_with_different_values_is_rejected()
    {
        KeyValuePair<string, string>[] form = [.. Inbound("completed"), new("CallStatus", "busy")];

        var mapping = TwilioVoiceStatusMapper.Map(form);

        Assert.Equal([new TwilioFieldError("CallStatus", "sent twice with different values")], mapping.Errors);
    }
}
