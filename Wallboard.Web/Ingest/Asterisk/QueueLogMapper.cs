using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;

namespace Wallboard.Web.Ingest.Asterisk;

/// <summary>What a batch of queue log lines became: call events, lines deliberately left out, lines refused.</summary>
public sealed record QueueLogMapping(
    IReadOnlyList<CallEvent> Events,
    IReadOnlyList<QueueLogIgnoredLine> Ignored,
    IReadOnlyList<QueueLogLineError> Errors);

/// <summary>
/// Translates Asterisk/FreePBX queue_log lines into the normalized call events of the design (§4).
/// Pure translation: no I/O, no clock; times come from the log's own epochs, in UTC.
/// </summary>
/// <remarks>
/// <para>Times: every event is stamped with its line's epoch, so the PBX's own figures come back out of the
/// events: wait = answered.At − started.At is CONNECT's holdtime, talk = ended.At − answered.At is
/// COMPLETE*'s calltime (both within the one second of whole-second epochs; see docs/integrations/asterisk-queue-log.md).</para>
/// <para>Ringing: the log has no "ringing" line, only how long a member rang when it stopped
/// (RINGNOANSWER's milliseconds, CONNECT's ringtime). A <c>call.ringing</c> is placed at that line's epoch
/// minus the ring time, so the call's path shows who rang and when; never before the call's start.</para>
/// <para>Transfers: Asterisk closes the queue's record of a call at a transfer (it reports the agent
/// "complete" with reason TRANSFER and logs no COMPLETE* afterwards; the real log's two transfers end
/// there, and the PBX's ttime counts talk up to the transfer). So a transfer yields
/// <c>call.transferred</c> followed by <c>call.ended</c> (endedBy agent: the agent handed the caller on;
/// the caller did not hang up).</para>
/// <para>Event ids: <c>{callid}:{EVENT}:{epoch}:{member}:{hash}:{type}</c>, where the hash covers the queue
/// and data fields. Built from the line's content alone, an id does not depend on how a log was cut into
/// posts: re-posting any part of a file yields the same ids, so the pipeline sees duplicates. Two lines
/// that differ anywhere get different ids; two byte-identical lines get the same id and count once, which
/// is what a re-shipped line is (Asterisk cannot log the same member's same event for one caller twice in
/// one second: a ring attempt lasts seconds).</para>
/// </remarks>
public sealed class QueueLogMapper
{
    // Queue and member housekeeping: true facts about the PBX, but not about any caller.
    private static readonly HashSet<string> HousekeepingEvents = new(StringComparer.Ordinal)
    {
        "ADDMEMBER", "REMOVEMEMBER", "PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL", "PENALTY", "RINGINUSE",
        "AGENTLOGIN", "AGENTLOGOFF", "AGENTCALLBACKLOGIN", "AGENTCALLBACKLOGOFF", "CONFIGRELOAD", "QUEUESTART",
    };

    private readonly Dictionary<string, string> _queueTrackingNumbers;
    private readonly string? _defaultTrackingNumber;
    private readonly Dictionary<string, string> _memberAgents;

    public QueueLogMapper(AsteriskMappingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _queueTrackingNumbers = CaseInsensitive(options.QueueTrackingNumbers);
        _defaultTrackingNumber = string.IsNullOrWhiteSpace(options.DefaultTrackingNumber)
            ? null
            : options.DefaultTrackingNumber.Trim();
        _memberAgents = CaseInsensitive(options.MemberAgents);
    }

    /// <summary>Parses and maps posted queue_log text; parse and mapping errors come back together, by line.</summary>
    public QueueLogMapping Translate(string text)
    {
        var parsed = QueueLogParser.Parse(text);
        var mapped = Map(parsed.Lines);
        var errors = parsed.Errors.Concat(mapped.Errors).OrderBy(e => e.LineNumber).ToList();
        return mapped with { Errors = errors };
    }

    /// <summary>
    /// Maps lines in log order. Lines of one call may sit in different batches; what a line needs from an
    /// earlier one (the dialed number of a FreePBX <c>DID</c> line, the start a ring cannot precede) is used
    /// when it is in the same batch and simply missed otherwise.
    /// </summary>
    public QueueLogMapping Map(IEnumerable<QueueLogLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var batch = new BatchState();
        var events = new List<CallEvent>();
        var ignored = new List<QueueLogIgnoredLine>();
        var errors = new List<QueueLogLineError>();

        foreach (var line in lines)
        {
            var outcome = MapLine(line, batch);
            switch (outcome)
            {
                // A line whose events the API's reader would refuse (an over-long member name, say) is
                // refused here with the reader's reason, never stored to fail its call's projection.
                case Mapped mapped when mapped.Events.Select(CallEventJson.Check).FirstOrDefault(e => e is not null) is { } unreadable:
                    errors.Add(new QueueLogLineError(line.LineNumber, $"line {line.LineNumber}: {unreadable}"));
                    break;
                case Mapped mapped:
                    events.AddRange(mapped.Events);
                    break;
                case Ignored skip:
                    ignored.Add(new QueueLogIgnoredLine(line.LineNumber, line.Event, skip.Reason));
                    break;
                case Refused refused:
                    errors.Add(new QueueLogLineError(line.LineNumber, $"line {line.LineNumber}: {refused.Reason}"));
                    break;
            }
        }

        return new QueueLogMapping(events, ignored, errors);
    }

    private LineOutcome MapLine(QueueLogLine line, BatchState batch)
    {
        if (HousekeepingEvents.Contains(line.Event))
        {
            return new Ignored("queue or member housekeeping, not about a caller");
        }

        if (line.CallId.Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            return new Ignored("not about a call (call id NONE)");
        }

        return line.Event switch
        {
            "ENTERQUEUE" => EnterQueue(line, batch),
            "DID" => Did(line, batch),
            "RINGNOANSWER" => RingNoAnswer(line, batch),
            "RINGCANCELED" => RingCanceled(line, batch),
            "AGENTDUMP" => AgentDump(line, batch),
            "CONNECT" => Connect(line, batch),
            "COMPLETECALLER" => Ended(line, CallEndedBy.Caller),
            "COMPLETEAGENT" => Ended(line, CallEndedBy.Agent),
            // The caller hung up while waiting, or pressed the queue's exit key to leave it.
            "ABANDON" or "EXITWITHKEY" => Ended(line, CallEndedBy.Caller),
            // The PBX let the caller go: waited too long, nobody to ring, or withdrawn by an application.
            "EXITWITHTIMEOUT" or "EXITEMPTY" or "JOINEMPTY" or "JOINUNAVAIL" or "WITHDRAW" =>
                Ended(line, CallEndedBy.System),
            "TRANSFER" or "BLINDTRANSFER" or "ATTENDEDTRANSFER" => Transfer(line),
            "SYSCOMPAT" => new Ignored("the answering phone could not be bridged; the caller stays in the queue"),
            _ => new Ignored($"'{line.Event}' is not a queue_log event this adapter maps to a call event"),
        };
    }

    // ENTERQUEUE(url|callerid|origposition[|calleridname])
    private Mapped EnterQueue(QueueLogLine line, BatchState batch)
    {
        batch.StartedAt[line.CallId] = line.At;
        var to = batch.DialedNumbers.GetValueOrDefault(line.CallId)
            ?? _queueTrackingNumbers.GetValueOrDefault(line.Queue)
            ?? _defaultTrackingNumber;

        return new Mapped(
            NewEvent(line, CallEventType.Started, line.At) with
            {
                From = CallerNumber.GivenOrNull(line.DataAt(1)),
                To = to,
                CallerName = NullIfBlank(line.DataAt(3)),
            },
            NewEvent(line, CallEventType.Queued, line.At) with { Group = line.Queue });
    }

    // FreePBX writes QueueLog(queue,${UNIQUEID},NONE,DID,${FROM_DID}) just before Queue(): the number the
    // caller dialed, which is the tracking number when several numbers feed one queue.
    private static Ignored Did(QueueLogLine line, BatchState batch)
    {
        var dialed = NullIfBlank(line.DataAt(0));
        if (dialed is null)
        {
            return new Ignored("DID line without a number");
        }

        batch.DialedNumbers[line.CallId] = dialed;
        return new Ignored("the dialed number becomes call.started.to of this call's ENTERQUEUE");
    }

    // RINGNOANSWER(ringtime in ms)
    private LineOutcome RingNoAnswer(QueueLogLine line, BatchState batch)
    {
        if (ResolveAgent(line.Agent) is not { } agent)
        {
            return new Refused("RINGNOANSWER names no queue member");
        }

        if (!TryParseSeconds(line.DataAt(0), 1000m, out var ringSeconds))
        {
            return new Refused($"RINGNOANSWER needs the ring time in milliseconds as data1, got '{line.DataAt(0)}'");
        }

        return new Mapped(
            Ringing(line, batch, agent, ringSeconds),
            NewEvent(line, CallEventType.RingNoAnswer, line.At) with { Agent = agent, RingSeconds = ringSeconds });
    }

    // RINGCANCELED: the caller hung up (or another member answered) while this member's phone rang. The
    // member rang but did not miss the call, so it shows in the path without counting as a ring-no-answer.
    private LineOutcome RingCanceled(QueueLogLine line, BatchState batch)
    {
        if (ResolveAgent(line.Agent) is not { } agent)
        {
            return new Refused("RINGCANCELED names no queue member");
        }

        // Newer Asterisk versions log how long it rang (ms); the documented form has no data.
        var ringSeconds = 0d;
        if (NullIfBlank(line.DataAt(0)) is { } ringText && !TryParseSeconds(ringText, 1000m, out ringSeconds))
        {
            return new Refused($"RINGCANCELED ring time '{ringText}' is not a number of milliseconds");
        }

        return new Mapped(Ringing(line, batch, agent, ringSeconds));
    }

    // AGENTDUMP: the member picked up and hung up during the announcement; the caller goes back to waiting.
    private LineOutcome AgentDump(QueueLogLine line, BatchState batch)
    {
        if (ResolveAgent(line.Agent) is not { } agent)
        {
            return new Refused("AGENTDUMP names no queue member");
        }

        return new Mapped(
            Ringing(line, batch, agent, 0),
            NewEvent(line, CallEventType.RingNoAnswer, line.At) with { Agent = agent });
    }

    // CONNECT(holdtime|bridgedchanneluniqueid|ringtime): holdtime is the caller's wait, which the epochs
    // already give (this line's minus ENTERQUEUE's); ringtime (seconds) is how long the answering phone rang.
    private LineOutcome Connect(QueueLogLine line, BatchState batch)
    {
        if (ResolveAgent(line.Agent) is not { } agent)
        {
            return new Refused("CONNECT names no queue member");
        }

        var answered = NewEvent(line, CallEventType.Answered, line.At) with { Agent = agent };
        var ringText = NullIfBlank(line.DataAt(2));
        if (ringText is null)
        {
            return new Mapped(answered); // Asterisk before 1.4 logged no ringtime.
        }

        if (!TryParseSeconds(ringText, 1m, out var ringSeconds))
        {
            return new Refused($"CONNECT ringtime (data3) '{ringText}' is not a number of seconds");
        }

        return new Mapped(Ringing(line, batch, agent, ringSeconds), answered);
    }

    // TRANSFER/BLINDTRANSFER(extension|context|holdtime|calltime|origposition),
    // ATTENDEDTRANSFER(method|method-data…|holdtime|calltime|origposition).
    private Mapped Transfer(QueueLogLine line)
    {
        // An attended transfer names a bridge or an application, not who took the caller.
        var toAgent = line.Event == "ATTENDEDTRANSFER" ? null : ResolveAgent(line.DataAt(0));
        return new Mapped(
            NewEvent(line, CallEventType.Transferred, line.At) with
            {
                FromAgent = ResolveAgent(line.Agent),
                ToAgent = toAgent,
            },
            NewEvent(line, CallEventType.Ended, line.At) with { EndedBy = CallEndedBy.Agent });
    }

    private static Mapped Ended(QueueLogLine line, CallEndedBy endedBy) =>
        new(NewEvent(line, CallEventType.Ended, line.At) with { EndedBy = endedBy });

    private static CallEvent Ringing(QueueLogLine line, BatchState batch, string agent, double ringSeconds)
    {
        var at = line.At - TimeSpan.FromSeconds(ringSeconds);
        // Whole-second epochs could put a ring a moment before the call entered the queue; a ring before
        // the start would open the call early and stretch its wait.
        if (batch.StartedAt.TryGetValue(line.CallId, out var startedAt) && at < startedAt)
        {
            at = startedAt;
        }

        return NewEvent(line, CallEventType.Ringing, at) with { Agent = agent };
    }

    private static CallEvent NewEvent(QueueLogLine line, CallEventType type, DateTimeOffset at) => new()
    {
        EventId = EventId(line, type),
        CallId = line.CallId,
        Type = type,
        At = at,
    };

    private static string EventId(QueueLogLine line, CallEventType type)
    {
        // Trailing empty fields carry nothing ("QUEUESTART|" vs "QUEUESTART"), so they do not change the id.
        var data = line.Data.ToList();
        while (data.Count > 0 && data[^1].Length == 0)
        {
            data.RemoveAt(data.Count - 1);
        }

        var content = string.Join('|', data.Prepend(line.Queue));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)).AsSpan(0, 4));
        var wireName = type.ToWireName();
        return $"{line.CallId}:{line.Event}:{line.EpochText}:{line.Agent}:{hash}:{wireName["call.".Length..]}";
    }

    private string? ResolveAgent(string? member)
    {
        var trimmed = member?.Trim();
        if (!string.IsNullOrEmpty(trimmed) && _memberAgents.TryGetValue(trimmed, out var configured))
        {
            return configured;
        }

        var normalized = QueueMemberNames.Normalize(trimmed);
        return normalized is not null && _memberAgents.TryGetValue(normalized, out var mapped) ? mapped : normalized;
    }

    private static bool TryParseSeconds(string? text, decimal unitsPerSecond, out double seconds)
    {
        seconds = 0;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        seconds = (double)(value / unitsPerSecond);
        return true;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Dictionary<string, string> CaseInsensitive(IReadOnlyDictionary<string, string> source)
    {
        var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in source)
        {
            copy[key.Trim()] = value.Trim();
        }

        return copy;
    }

    private sealed class BatchState
    {
        public Dictionary<string, DateTimeOffset> StartedAt { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> DialedNumbers { get; } = new(StringComparer.Ordinal);
    }

    private abstract record LineOutcome;

    private sealed record Mapped(params CallEvent[] Events) : LineOutcome;

    private sealed record Ignored(string Reason) : LineOutcome;

    private sealed record Refused(string Reason) : LineOutcome;
}
