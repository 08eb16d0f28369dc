using System.Globalization;
using System.Text;
using System.Text.Json;
using Wallboard.Domain.Calls;
using Wallboard.Tests.Ingest.Simulator;
using Wallboard.Web.Ingest;
using Wallboard.Web.Ingest.Asterisk;
using Wallboard.Web.Ingest.Replay;
using Wallboard.Web.Ingest.Twilio;

namespace Wallboard.Tests.Ingest;

/// <summary>
/// The contract of every adapter (queue log, Twilio, simulator, replay): each event it makes reads
/// back through the JSON API's strict reader, the one the projection reads stored events with. Run
/// over the recorded data and over many generated inputs (a seeded generator: a failure names its
/// seed and case and is reproduced by running it again).
/// </summary>
public class AdapterEventContractTests
{
    private const int Cases = 2_000;
    private const int Seed = 14;

    private static readonly AsteriskMappingOptions Mapping = new()
    {
        QueueTrackingNumbers = new Dictionary<string, string> { ["IT"] = "+15125550100", ["sales"] = "+16305550100" },
        MemberAgents = new Dictionary<string, string> { ["SIP/101"] = "101" },
    };

    /// <summary>The reader's verdict on an event as it is stored: its JSON form read back.</summary>
    private static string? Read(CallEvent e)
    {
        using var json = JsonDocument.Parse(CallEventJson.Serialize(e));
        return CallEventJson.TryRead(json.RootElement, out _, out var error) ? null : error;
    }

    private static void AssertReadable(IEnumerable<CallEvent> events, string input)
    {
        foreach (var e in events)
        {
            var error = Read(e);
            Assert.True(error is null, $"{e.Type.ToWireName()} {e.EventId} is refused by the reader ({error}); made from: {input}");
        }
    }

    [Fact]
    public void The_recorded_queue_log_maps_only_to_events_the_reader_accepts()
    {
        var mapping = new QueueLogMapper(Mapping).Translate(File.ReadAllText(SharedData.PathTo("asterisk-queue-log", "pbxware-2018.queue_log")));

        Assert.NotEmpty(mapping.Events);
        AssertReadable(mapping.Events, "pbxware-2018.queue_log");
    }

    [Fact]
    public void The_recorded_queue_log_replayed_with_its_times_moved_maps_only_to_readable_events()
    {
        var path = SharedData.PathTo("asterisk-queue-log", "pbxware-2018.queue_log");
        var records = ReplayFile.Read(path, ReplayFormat.Asterisk).ToList();
        var (first, last) = ReplayFile.Span(records);
        var by = ReplayFile.ShiftFor(TimeShift.LastToNow, first, last, DateTimeOffset.UtcNow);
        var shifted = records.Select(r => ReplayFile.Shift(r, by, ReplayFormat.Asterisk)).ToList();

        var sentEvents = 0;
        foreach (var chunk in ReplayFile.Chunks(shifted, 500, 1_048_576, speed: null, first))
        {
            var mapping = new QueueLogMapper(Mapping).Translate(Encoding.UTF8.GetString(ReplayFile.Body(chunk.Records, ReplayFormat.Asterisk)));
            AssertReadable(mapping.Events, $"replay chunk due {chunk.Due}");
            sentEvents += mapping.Events.Count;
        }

        Assert.True(sentEvents > 100, $"only {sentEvents} events");
    }

    [Fact]
    public void Generated_queue_log_lines_map_only_to_readable_events_or_are_refused_with_a_reason()
    {
        var random = new Random(Seed);
        var mapper = new QueueLogMapper(Mapping);
        var mapped = 0;
        for (var i = 0; i < Cases; i++)
        {
            var text = string.Join('\n', Enumerable.Range(0, random.Next(1, 12)).Select(_ => QueueLogLine(random)));
            var mapping = mapper.Translate(text);
            AssertReadable(mapping.Events, $"seed {Seed}, case {i}:\n{text}");
            Assert.All(mapping.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
            mapped += mapping.Events.Count;
        }

        Assert.True(mapped > Cases, $"the generator made too few mappable lines ({mapped})");
    }

    [Fact]
    public void Generated_twilio_status_callbacks_map_only_to_readable_events_or_are_refused_with_a_reason()
    {
        var random = new Random(Seed);
        var mapped = 0;
        var refusedByTheReader = 0;
        for (var i = 0; i < Cases; i++)
        {
            var form = TwilioForm(random);
            var mapping = TwilioVoiceStatusMapper.Map(form);
            var input = $"seed {Seed}, case {i}: {string.Join("&", form.Select(f => $"{f.Key}={f.Value}"))}";
            AssertReadable(mapping.Events, input);
            Assert.True(mapping.IsRejected ? mapping.Events.Count == 0 && mapping.Errors.All(e => e.Reason.Length > 0) : true, input);
            mapped += mapping.Events.Count;
            refusedByTheReader += mapping.Errors.Count(e => e.Field.StartsWith("call.", StringComparison.Ordinal));
        }

        // Most generated callbacks carry some wrong field on purpose; a fair share must still map.
        Assert.True(mapped > Cases / 5, $"the generator made too few mappable callbacks ({mapped})");
        Assert.True(refusedByTheReader > 0, "no generated callback reached the reader's refusal (over-long fields)");
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("initiated")]
    [InlineData("ringing")]
    [InlineData("in-progress")]
    [InlineData("completed")]
    [InlineData("busy")]
    [InlineData("no-answer")]
    [InlineData("canceled")]
    [InlineData("failed")]
    public void Every_status_of_an_inbound_call_and_of_a_dial_leg_maps_to_readable_events(string status)
    {
        var inbound = TwilioVoiceStatusMapper.Map(new Dictionary<string, string>
        {
            ["CallSid"] = "CA0123456789abcdef0123456789abcdef", ["CallStatus"] = status, ["Direction"] = "inbound",
            ["From"] = "+17035550100", ["To"] = "+15125550100", ["Timestamp"] = "Tue, 04 Dec 2018 16:10:30 +0000", ["CallDuration"] = "30",
        });
        var leg = TwilioVoiceStatusMapper.Map(new Dictionary<string, string>
        {
            ["CallSid"] = "CAfedcba9876543210fedcba9876543210", ["ParentCallSid"] = "CA0123456789abcdef0123456789abcdef",
            ["CallStatus"] = status, ["Direction"] = "outbound-dial", ["From"] = "+15125550100", ["To"] = "client:jane",
            ["Timestamp"] = "Tue, 04 Dec 2018 16:10:30 +0000", ["CallDuration"] = "30",
        });

        Assert.False(inbound.IsRejected);
        Assert.False(leg.IsRejected);
        AssertReadable(inbound.Events, $"inbound {status}");
        AssertReadable(leg.Events, $"leg {status}");
    }

    [Fact]
    public void Simulated_traffic_of_many_seeds_is_readable()
    {
        var store = SimulatedStores.Lakeside();
        var events = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            foreach (var department in (Wallboard.Domain.Stores.Department[])[Wallboard.Domain.Stores.Department.Sales, Wallboard.Domain.Stores.Department.Service])
            {
                foreach (var script in SimulatedStores.Generate(store, department, 50, seed))
                {
                    AssertReadable(script.Events, $"simulator seed {seed}, {department}, call {script.CallId}");
                    events += script.Events.Count;
                }
            }
        }

        Assert.True(events > 4_000, $"only {events} simulated events");
    }

    [Fact]
    public void Generated_json_lines_replayed_with_their_times_moved_stay_readable()
    {
        var random = new Random(Seed);
        var events = Enumerable.Range(0, Cases).Select(i => RandomEvent(random, i)).ToList();
        var lines = events.Select(CallEventJson.Serialize).ToList();
        var records = ReplayFile.Parse(lines, ReplayFormat.Jsonl).ToList();
        var (first, last) = ReplayFile.Span(records);
        var by = ReplayFile.ShiftFor(TimeShift.LastToNow, first, last, DateTimeOffset.UtcNow);

        foreach (var record in records.Select(r => ReplayFile.Shift(r, by, ReplayFormat.Jsonl)))
        {
            Assert.Null(record.Problem);
            using var json = JsonDocument.Parse(record.Text);
            Assert.True(CallEventJson.TryRead(json.RootElement, out var read, out var error), $"line {record.LineNumber}: {error}: {record.Text}");
            Assert.Equal(events[record.LineNumber - 1].EventId, read!.EventId);
        }
    }

    // ---- generators -------------------------------------------------------------------------

    private static readonly string[] QueueEvents =
    [
        "ENTERQUEUE", "DID", "RINGNOANSWER", "RINGCANCELED", "AGENTDUMP", "CONNECT", "COMPLETECALLER", "COMPLETEAGENT",
        "ABANDON", "EXITWITHKEY", "EXITWITHTIMEOUT", "EXITEMPTY", "JOINEMPTY", "JOINUNAVAIL", "WITHDRAW", "TRANSFER",
        "BLINDTRANSFER", "ATTENDEDTRANSFER", "SYSCOMPAT", "ADDMEMBER", "PAUSE", "QUEUESTART", "CONFIGRELOAD", "HOLD", "UNHOLD", "BOGUS",
    ];

    private static string QueueLogLine(Random random)
    {
        var epoch = DateTimeOffset.UtcNow.AddSeconds(-random.Next(0, 86_400)).ToUnixTimeSeconds();
        var callId = random.Next(8) switch
        {
            0 => "NONE",
            1 => Text(random, 250),
            _ => "1543" + random.Next(1000, 1010).ToString(CultureInfo.InvariantCulture) + ".7",
        };
        var queue = Pick(random, "IT", "sales", "NONE", "", "unknown-queue", Text(random, 230));
        var member = Pick(random, "SIP/101", "SIP/102", "Local/103@from-queue/n", "NONE", "", Text(random, 260), "PJSIP/ünïcødé");
        var fields = Enumerable.Range(0, random.Next(0, 6)).Select(_ => Field(random));
        return string.Join('|', [epoch.ToString(CultureInfo.InvariantCulture), callId, queue, member, Pick(random, QueueEvents), .. fields]);
    }

    private static string Field(Random random) => random.Next(7) switch
    {
        0 => "",
        1 => random.Next(-5, 100_000).ToString(CultureInfo.InvariantCulture),
        2 => "+1" + random.NextInt64(2_000_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture),
        3 => Text(random, 300),
        4 => "1",
        5 => random.Next(0, 120_000).ToString(CultureInfo.InvariantCulture),
        _ => "3125550" + random.Next(100, 999).ToString(CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, string> TwilioForm(Random random)
    {
        var sid = random.Next(10) == 0 ? "CA" + Text(random, 240) : "CA" + random.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = sid,
            ["CallStatus"] = Pick(random, "queued", "initiated", "ringing", "in-progress", "completed", "busy", "no-answer", "canceled", "failed", "answered"),
            ["Direction"] = Pick(random, "inbound", "inbound", "outbound-dial", "outbound-dial", "outbound-api", "trunking-originating", "sideways"),
            ["Timestamp"] = DateTimeOffset.UtcNow.AddSeconds(-random.Next(0, 3_600)).ToString("r", CultureInfo.InvariantCulture),
        };
        void Maybe(string name, Func<string> value)
        {
            if (random.Next(3) > 0)
            {
                form[name] = value();
            }
        }

        Maybe("ParentCallSid", () => Pick(random, "CA0123456789abcdef0123456789abcdef", "CA" + Text(random, 240)));
        Maybe("From", () => Pick(random, "+17035550100", "anonymous", "", "+1" + new string('5', 80), Text(random, 100)));
        Maybe("To", () => Pick(random, "+15125550100", "client:jane", "sip:101@pbx.example.com", "", Text(random, 300)));
        Maybe("CallerName", () => Pick(random, "DOE JANE", "", Text(random, 260)));
        Maybe("CallDuration", () => Pick(random, "0", "95", random.Next(0, 5000).ToString(CultureInfo.InvariantCulture), "-3", "x"));
        Maybe("RecordingUrl", () => Pick(random, "https://api.twilio.com/rec/RE1", "https://example.com/" + new string('r', 2100)));
        return form;
    }

    private static CallEvent RandomEvent(Random random, int i)
    {
        var type = Pick(random, Enum.GetValues<CallEventType>());
        var needsAgent = type is CallEventType.Ringing or CallEventType.RingNoAnswer or CallEventType.Answered;
        return new CallEvent
        {
            EventId = $"jsonl-{i}",
            CallId = $"call-{random.Next(200)}",
            Type = type,
            At = DateTimeOffset.UnixEpoch.AddMilliseconds(random.NextInt64(1_500_000_000_000, 1_800_000_000_000)),
            From = random.Next(2) == 0 ? null : "+13125550" + random.Next(100, 999).ToString(CultureInfo.InvariantCulture),
            CallerName = random.Next(3) == 0 ? Text(random, 200) : null,
            Group = type == CallEventType.Queued || random.Next(4) == 0 ? "sales" : null,
            Agent = needsAgent || random.Next(4) == 0 ? "10" + random.Next(10).ToString(CultureInfo.InvariantCulture) : null,
            RingSeconds = random.Next(3) == 0 ? random.Next(0, 86_400) : null,
            MessageLeft = random.Next(3) == 0 ? random.Next(2) == 0 : null,
            EndedBy = random.Next(3) == 0 ? Pick(random, Enum.GetValues<CallEndedBy>()) : null,
        };
    }

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];

    /// <summary>Text up to <paramref name="max"/> characters, with separators, quotes, non-ASCII and control characters.</summary>
    private static string Text(Random random, int max)
    {
        const string alphabet = "abcXYZ019 -_:/@.\"'\\\t\u00e9\u00fc\u4e2d\u0001\u2028";
        var length = random.Next(0, max + 1);
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }

        // A queue_log line is one line and its fields are split on '|'.
        return text.ToString().Replace('\n', ' ');
    }
}
