using Wallboard.Domain.Calls;
using Wallboard.Web.Ingest.Asterisk;

namespace Wallboard.Tests.Ingest.Asterisk;

/// <summary>
/// The adapter against a real PBXware (Asterisk) queue log of 29 Nov – 4 Dec 2018 (shared/data), checked
/// against the PBX's own figures in the database export of the same rows: htime (seconds waited) and
/// ttime (seconds talked).
/// </summary>
public class RealQueueLogTests
{
    private static readonly Lazy<string> LogText = new(() =>
        File.ReadAllText(SharedData.PathTo("asterisk-queue-log", "pbxware-2018.queue_log")));

    private static readonly Lazy<IReadOnlyList<PbxRow>> PbxRows = new(() =>
        File.ReadLines(SharedData.PathTo("asterisk-queue-log", "pbxware-2018-original-columns.csv"))
            .Skip(1)
            .Select(PbxRow.Parse)
            .ToList());

    private static QueueLogMapping Translate() =>
        new QueueLogMapper(new AsteriskMappingOptions
        {
            QueueTrackingNumbers = new Dictionary<string, string> { ["IT"] = "+15125550100" },
        }).Translate(LogText.Value);

    private static Dictionary<string, List<CallEvent>> Calls(QueueLogMapping mapping) =>
        mapping.Events.GroupBy(e => e.CallId).ToDictionary(g => g.Key, g => g.ToList());

    private static CallEvent Only(List<CallEvent> events, CallEventType type) => Assert.Single(events, e => e.Type == type);

    private static PbxRow Row(string callId, string pbxEvent) =>
        Assert.Single(PbxRows.Value, r => r.CallId == callId && r.Event == pbxEvent);

    [Fact]
    public void Every_line_of_the_real_log_parses_and_maps_or_is_ignored_as_housekeeping()
    {
        var mapping = Translate();

        Assert.Equal(743, QueueLogParser.Parse(LogText.Value).Lines.Count);
        Assert.Empty(mapping.Errors);
        // 26 ADDMEMBER, 10 REMOVEMEMBER, 14 AGENTCALLBACKLOGIN, 10 AGENTCALLBACKLOGOFF, 11 CONFIGRELOAD, 7 QUEUESTART.
        Assert.Equal(78, mapping.Ignored.Count);
        Assert.Equal(
            ["ADDMEMBER", "AGENTCALLBACKLOGIN", "AGENTCALLBACKLOGOFF", "CONFIGRELOAD", "QUEUESTART", "REMOVEMEMBER"],
            mapping.Ignored.Select(i => i.Event).Distinct().Order());
    }

    [Fact]
    public void The_108_callers_who_entered_the_queue_are_108_calls_each_started_once_and_queued()
    {
        var calls = Calls(Translate());

        Assert.Equal(108, calls.Count);
        Assert.All(calls.Values, events =>
        {
            var started = Only(events, CallEventType.Started);
            Assert.Equal("+15125550100", started.To);
            Assert.NotNull(started.From);
            Assert.Equal("IT", Only(events, CallEventType.Queued).Group);
            Assert.All(events, e => Assert.True(e.At >= started.At, $"{e.EventId} before the call started"));
        });
        Assert.Equal(
            PbxRows.Value.Where(r => r.Event == "ENTERQUEUE").Select(r => r.Param1).Order(),
            calls.Values.Select(events => Only(events, CallEventType.Started).From).Order());
    }

    [Fact]
    public void The_calls_end_as_the_PBX_logged_them()
    {
        var calls = Calls(Translate()).Values.ToList();

        var answered = calls.Where(c => c.Any(e => e.Type == CallEventType.Answered)).ToList();
        var unanswered = calls.Except(answered).ToList();
        Assert.Equal(93, answered.Count);
        Assert.Equal(15, unanswered.Count);

        // 38 COMPLETECALLER, 51 COMPLETEAGENT, 2 transfers (ended by the agent who transferred).
        Assert.Equal(38, answered.Count(c => c.Any(e => e.EndedBy == CallEndedBy.Caller)));
        Assert.Equal(53, answered.Count(c => c.Any(e => e.EndedBy == CallEndedBy.Agent)));
        // 12 ABANDON (caller), 1 EXITWITHTIMEOUT (system).
        Assert.Equal(12, unanswered.Count(c => c.Any(e => e.EndedBy == CallEndedBy.Caller)));
        Assert.Equal(1, unanswered.Count(c => c.Any(e => e.EndedBy == CallEndedBy.System)));

        // The export was taken while four calls were still going: two talking, two waiting.
        Assert.Equal(
            ["1543942189.2194", "1543942358.2226", "1543942788.2389", "1543942842.2438"],
            calls.Where(c => !c.Any(e => e.Type == CallEventType.Ended)).Select(c => c[0].CallId).Order());
    }

    [Fact]
    public void Wait_and_talk_of_every_connected_call_agree_with_the_PBXs_own_htime_and_ttime()
    {
        var offByOneTalk = new List<string>();
        var bridgedASecondAfterConnect = new List<string>();
        var checkedCalls = 0;

        foreach (var (callId, events) in Calls(Translate()))
        {
            var answered = events.SingleOrDefault(e => e.Type == CallEventType.Answered);
            var ended = events.SingleOrDefault(e => e.Type == CallEventType.Ended);
            if (answered is null || ended is null)
            {
                continue;
            }

            checkedCalls++;
            var wait = (answered.At - Only(events, CallEventType.Started).At).TotalSeconds;
            var talk = (ended.At - answered.At).TotalSeconds;
            var connectRow = Row(callId, "CONNECT");
            var endRow = Assert.Single(PbxRows.Value, r => r.CallId == callId && r.EndsConnectedCall);

            // Wait is CONNECT's holdtime, to the second, for every call.
            Assert.Equal(connectRow.HoldSeconds, wait);

            // Talk agrees with ttime within the one second whole-second stamps allow…
            Assert.InRange(talk - endRow.TalkSeconds, 0, 1);
            if (talk != endRow.TalkSeconds)
            {
                offByOneTalk.Add(callId);
            }

            // …and where it is off, mostly for a reason of the PBX's: COMPLETE*'s holdtime and calltime count
            // from the bridge (app_queue's starttime), which can fall in the second after CONNECT was stamped.
            // Then the PBX moves that second from talk to wait, and wait + talk still add up exactly.
            if (endRow.HoldSeconds != connectRow.HoldSeconds)
            {
                bridgedASecondAfterConnect.Add(callId);
                Assert.Equal(connectRow.HoldSeconds + 1, endRow.HoldSeconds);
                Assert.Equal(endRow.HoldSeconds + endRow.TalkSeconds, wait + talk);
            }
        }

        Assert.Equal(91, checkedCalls);
        Assert.Equal(["1543607369.532", "1543618399.120", "1543860293.3232", "1543881269.5175"], offByOneTalk.Order());
        Assert.Equal(["1543618399.120", "1543860293.3232", "1543881269.5175"], bridgedASecondAfterConnect.Order());
        // The fourth, 1543607369.532 (COMPLETECALLER 7|111), has no such shift: its end line was stamped in the
        // second after its calltime was computed (two separate reads of the clock in app_queue).
    }

    [Fact]
    public void The_wait_of_every_caller_who_gave_up_is_the_PBXs_waittime()
    {
        var checkedCalls = 0;
        foreach (var (callId, events) in Calls(Translate()))
        {
            if (events.Any(e => e.Type == CallEventType.Answered) || events.All(e => e.Type != CallEventType.Ended))
            {
                continue;
            }

            checkedCalls++;
            var wait = (Only(events, CallEventType.Ended).At - Only(events, CallEventType.Started).At).TotalSeconds;
            var endRow = Assert.Single(PbxRows.Value, r => r.CallId == callId && r.Event is "ABANDON" or "EXITWITHTIMEOUT");
            var logLine = Assert.Single(QueueLogParser.Parse(LogText.Value).Lines, l => l.CallId == callId && l.Event == endRow.Event);

            Assert.Equal(double.Parse(logLine.Data[2], System.Globalization.CultureInfo.InvariantCulture), wait);
            Assert.Equal(endRow.HoldSeconds, wait);
        }

        Assert.Equal(13, checkedCalls);
    }

    [Fact]
    public void Both_transfers_end_the_queue_call_at_the_transfer_with_the_talk_the_PBX_counted()
    {
        var calls = Calls(Translate());

        foreach (var (callId, pbxEvent, toAgent) in new[]
                 {
                     ("1543833609.335", "ATTENDEDTRANSFER", (string?)null),
                     ("1543938872.1743", "BLINDTRANSFER", "1142"),
                 })
        {
            var events = calls[callId];
            var transferred = Only(events, CallEventType.Transferred);
            var ended = Only(events, CallEventType.Ended);
            Assert.Equal(("1128", toAgent), (transferred.FromAgent, transferred.ToAgent));
            Assert.Equal(transferred.At, ended.At);
            Assert.Equal(CallEndedBy.Agent, ended.EndedBy);
            Assert.Equal(events[^1], ended);
            Assert.Equal(Row(callId, pbxEvent).TalkSeconds, (ended.At - Only(events, CallEventType.Answered).At).TotalSeconds);
        }
    }

    [Fact]
    public void The_path_of_a_hunted_call_shows_every_ring_and_who_answered()
    {
        var events = Calls(Translate())["1543602660.197"];

        Assert.Equal(
            [
                "Started", "Queued",
                "Ringing 1141", "RingNoAnswer 1141",
                // From 1543602696 both phones rang at once (1127 for 9 s, 1141 for 10 s).
                "Ringing 1127", "Ringing 1141", "RingNoAnswer 1127", "RingNoAnswer 1141",
                "Ringing 1127", "RingNoAnswer 1127", "Ringing 1141", "RingNoAnswer 1141",
                "Ringing 1127", "Answered 1127", "Ended",
            ],
            events.OrderBy(e => e.At).ThenBy(e => events.IndexOf(e)).Select(e => $"{e.Type} {e.Agent}".Trim()));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1543602677), events[2].At); // 1543602687 − 10000 ms
        Assert.Equal(
            "1543602660.197:RINGNOANSWER:1543602687:Agent/1141:38156a67:ring_no_answer",
            events.First(e => e.Type == CallEventType.RingNoAnswer).EventId);
        // CONNECT at 1543602753 with ringtime 6: the answering phone started ringing at 1543602747.
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1543602747), events.Last(e => e.Type == CallEventType.Ringing).At);
    }

    [Fact]
    public void Every_ring_no_answer_and_answer_follows_a_ring_of_the_same_member()
    {
        foreach (var events in Calls(Translate()).Values)
        {
            foreach (var stop in events.Where(e => e.Type is CallEventType.RingNoAnswer or CallEventType.Answered))
            {
                Assert.Contains(events, e => e.Type == CallEventType.Ringing && e.Agent == stop.Agent && e.At <= stop.At);
            }
        }
    }

    [Fact]
    public void Mapping_the_real_log_twice_gives_the_same_ids_and_no_two_lines_share_one()
    {
        var first = Translate().Events.Select(e => e.EventId).ToList();
        var second = Translate().Events.Select(e => e.EventId).ToList();

        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Distinct().Count());
        // 108 ENTERQUEUE → 2 events, 360 RINGNOANSWER → 2, 93 CONNECT → 2, 89 COMPLETE* → 1, 2 transfers → 2,
        // 13 ABANDON/EXITWITHTIMEOUT → 1.
        Assert.Equal((108 * 2) + (360 * 2) + (93 * 2) + 89 + (2 * 2) + 13, first.Count);
    }

    /// <summary>A row of the PBX's database export: uid,date_time,callid,queue_name,type,event,param1,param2,
    /// param3,entpos,expos,htime,ttime,time (no quoted fields in this file).</summary>
    private sealed record PbxRow(string CallId, string Event, string Param1, double HoldSeconds, double TalkSeconds)
    {
        public bool EndsConnectedCall => Event is "COMPLETECALLER" or "COMPLETEAGENT" or "BLINDTRANSFER" or "ATTENDEDTRANSFER";

        public static PbxRow Parse(string csvLine)
        {
            var f = csvLine.Split(',');
            return new PbxRow(f[2], f[5], f[6], double.Parse(f[11], System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(f[12], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
