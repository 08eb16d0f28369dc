using System.Globalization;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;

namespace Wallboard.Web.Ingest.Twilio;

/// <summary>A form field that was missing or could not be read.</summary>
public sealed record TwilioFieldError(string Field, string Reason);

/// <summary>
/// What one status callback became: call events, or nothing with the reason why (an outbound call), or
/// the field errors that made it unreadable. Exactly one of the three is non-empty.
/// </summary>
public sealed record TwilioStatusMapping(
    IReadOnlyList<CallEvent> Events,
    string? IgnoredReason,
    IReadOnlyList<TwilioFieldError> Errors)
{
    public bool IsRejected => Errors.Count > 0;

    internal static TwilioStatusMapping Of(params CallEvent[] events) => new(events, null, []);

    internal static TwilioStatusMapping Ignored(string reason) => new([], reason, []);

    internal static TwilioStatusMapping Rejected(IReadOnlyList<TwilioFieldError> errors) => new([], null, errors);
}

/// <summary>
/// Translates Twilio voice status callbacks (form posts: CallSid, CallStatus, Direction, Timestamp, From,
/// To, CallDuration…) into the normalized call events of the design (§4). Pure translation; the endpoint
/// checks <see cref="TwilioSignature"/> first.
/// </summary>
/// <remarks>
/// <para>Two kinds of callback describe a dealership's inbound call:</para>
/// <list type="bullet">
/// <item>The inbound call itself (Direction <c>inbound</c>): started and ended. Its <c>in-progress</c> means
/// Twilio picked up to run the number's instructions, not that a person did: it starts the call and
/// answers nothing (a <c>call.answered</c> always names the person's phone, see the legs below).
/// For calls to a Twilio number Twilio usually reports only its final status, so every callback of an
/// inbound call also yields the call's <c>call.started</c>, placed <c>CallDuration</c> before a final
/// status: a call whose only callback is <c>completed</c> still starts when it started.</item>
/// <item>The legs a <c>&lt;Dial&gt;</c> rings (Direction <c>outbound-dial</c> with a <c>ParentCallSid</c>):
/// each leg is one salesperson's phone (its <c>To</c> is the agent identity: a cell, <c>client:jane</c>, a SIP
/// address). They are the only place Twilio says whether a person picked up, so they map onto the parent
/// call as ringing, answered and ring-no-answer. Without them every inbound call that Twilio answered looks
/// connected, and missed calls would be invisible.</item>
/// </list>
/// <para>Calls the dealership places (<c>outbound-api</c>, a <c>&lt;Dial&gt;</c> leg without a parent,
/// <c>trunking-terminating</c>) are not sales leads: no events, and a reason saying so.</para>
/// <para>Event ids are <c>{CallSid}:{event}</c>: one started, answered, ringing… per call or leg, whatever
/// mix of statuses the account subscribed to. A retried callback repeats its ids (a duplicate), and the
/// <c>initiated</c>, <c>ringing</c> and <c>completed</c> callbacks of one call share a single
/// <c>call.started</c>, the first to arrive. SequenceNumber is therefore not needed.</para>
/// </remarks>
public static class TwilioVoiceStatusMapper
{
    private static readonly string[] Statuses =
        ["queued", "initiated", "ringing", "in-progress", "completed", "busy", "no-answer", "canceled", "failed"];

    private static readonly string[] Directions =
        ["inbound", "outbound-api", "outbound-dial", "trunking-originating", "trunking-terminating"];

    // Twilio stamps callbacks RFC 1123/2822 style: "Mon, 16 Aug 2010 03:45:01 +0000".
    private static readonly string[] TimestampFormats =
    [
        "ddd, dd MMM yyyy HH:mm:ss zzz",
        "ddd, d MMM yyyy HH:mm:ss zzz",
        "r",
    ];

    /// <summary>Maps one status callback's decoded form fields.</summary>
    public static TwilioStatusMapping Map(IEnumerable<KeyValuePair<string, string>> form)
    {
        ArgumentNullException.ThrowIfNull(form);

        var errors = new List<TwilioFieldError>();
        var fields = ReadFields(form, errors);
        var callSid = Required(fields, "CallSid", errors);
        var status = OneOf(fields, "CallStatus", Statuses, errors);
        var direction = OneOf(fields, "Direction", Directions, errors);
        var timestamp = Timestamp(fields, errors);
        var duration = Duration(fields, errors);
        if (errors.Count > 0 || callSid is null || status is null || direction is null || timestamp is null)
        {
            return TwilioStatusMapping.Rejected(errors);
        }

        var parentSid = Optional(fields, "ParentCallSid");
        var mapping = direction switch
        {
            "inbound" or "trunking-originating" => InboundCall(fields, callSid, status, timestamp.Value, duration),
            "outbound-dial" when parentSid is not null =>
                DialLeg(fields, callSid, parentSid, status, timestamp.Value, duration),
            _ => TwilioStatusMapping.Ignored(
                $"outbound call (Direction {direction}{(parentSid is null ? "" : ", ParentCallSid " + parentSid)}): " +
                "placed by the dealership, not an inbound sales call"),
        };

        // Every event must read back through the API's reader (CallEventJson): a field Twilio sent
        // that the reader refuses (too long, say) refuses the callback with the reader's reason.
        var unreadable = mapping.Events
            .Select(e => (Event: e, Error: CallEventJson.Check(e)))
            .Where(c => c.Error is not null)
            .Select(c => new TwilioFieldError(c.Event.Type.ToWireName(), c.Error!))
            .ToList();
        return unreadable.Count > 0 ? TwilioStatusMapping.Rejected(unreadable) : mapping;
    }

    private static TwilioStatusMapping InboundCall(
        Dictionary<string, string> fields, string callSid, string status, DateTimeOffset timestamp, TimeSpan? duration)
    {
        var isFinal = status is "completed" or "busy" or "no-answer" or "canceled" or "failed";
        var startedAt = isFinal ? timestamp - (duration ?? TimeSpan.Zero) : timestamp;
        var started = NewEvent(callSid, callSid, CallEventType.Started, startedAt) with
        {
            From = CallerNumber.GivenOrNull(Optional(fields, "From")),
            To = Optional(fields, "To"),
            CallerName = Optional(fields, "CallerName"),
        };

        var ended = NewEvent(callSid, callSid, CallEventType.Ended, timestamp) with
        {
            RecordingUrl = Optional(fields, "RecordingUrl"),
        };

        return status switch
        {
            // in-progress: Twilio answered to run its instructions; who picks up is told by the dial legs.
            "queued" or "initiated" or "ringing" or "in-progress" => TwilioStatusMapping.Of(started),
            // Twilio does not say who hung up a completed call.
            "completed" => TwilioStatusMapping.Of(started, ended),
            // The caller hung up before Twilio answered.
            "canceled" => TwilioStatusMapping.Of(started, ended with { EndedBy = CallEndedBy.Caller }),
            // busy, no-answer, failed: the call never got through.
            _ => TwilioStatusMapping.Of(started, ended with { EndedBy = CallEndedBy.System }),
        };
    }

    private static TwilioStatusMapping DialLeg(
        Dictionary<string, string> fields,
        string legSid,
        string parentSid,
        string status,
        DateTimeOffset timestamp,
        TimeSpan? duration)
    {
        if (Optional(fields, "To") is not { } agent)
        {
            return TwilioStatusMapping.Rejected(
                [new TwilioFieldError("To", "missing: a dial leg's To is the phone that rang")]);
        }

        // A leg only reaches "completed" if it was answered; its CallDuration is the talk, so the answer
        // was that long before.
        var answeredAt = status == "completed" ? timestamp - (duration ?? TimeSpan.Zero) : timestamp;
        var ringing = NewEvent(legSid, parentSid, CallEventType.Ringing, answeredAt) with { Agent = agent };
        var answered = NewEvent(legSid, parentSid, CallEventType.Answered, answeredAt) with { Agent = agent };
        var missed = NewEvent(legSid, parentSid, CallEventType.RingNoAnswer, timestamp) with { Agent = agent };

        return status switch
        {
            "queued" or "initiated" or "ringing" => TwilioStatusMapping.Of(ringing),
            "in-progress" or "completed" => TwilioStatusMapping.Of(ringing, answered),
            // Another phone answered first, or the caller hung up: this phone rang but did not miss the call.
            "canceled" => TwilioStatusMapping.Of(ringing),
            // no-answer, busy, failed: this salesperson's phone did not take the call.
            _ => TwilioStatusMapping.Of(ringing, missed),
        };
    }

    private static CallEvent NewEvent(string sid, string callId, CallEventType type, DateTimeOffset at) => new()
    {
        EventId = $"{sid}:{type.ToWireName()["call.".Length..]}",
        CallId = callId,
        Type = type,
        At = at,
    };

    private static Dictionary<string, string> ReadFields(
        IEnumerable<KeyValuePair<string, string>> form, List<TwilioFieldError> errors)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in form)
        {
            if (fields.TryGetValue(name, out var earlier) && earlier != (value ?? string.Empty))
            {
                errors.Add(new TwilioFieldError(name, "sent twice with different values"));
                continue;
            }

            fields[name] = value ?? string.Empty;
        }

        return fields;
    }

    private static string? Optional(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string? Required(Dictionary<string, string> fields, string name, List<TwilioFieldError> errors)
    {
        var value = Optional(fields, name);
        if (value is null)
        {
            errors.Add(new TwilioFieldError(name, "missing"));
        }

        return value;
    }

    private static string? OneOf(
        Dictionary<string, string> fields, string name, string[] allowed, List<TwilioFieldError> errors)
    {
        var value = Required(fields, name, errors);
        if (value is null || allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        errors.Add(new TwilioFieldError(name, $"'{value}' is not one of {string.Join(", ", allowed)}"));
        return null;
    }

    private static DateTimeOffset? Timestamp(Dictionary<string, string> fields, List<TwilioFieldError> errors)
    {
        var text = Required(fields, "Timestamp", errors);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(
                text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at.ToUniversalTime();
        }

        errors.Add(new TwilioFieldError(
            "Timestamp", $"'{text}' is not an RFC 1123 time such as 'Mon, 16 Aug 2010 03:45:01 +0000'"));
        return null;
    }

    private static TimeSpan? Duration(Dictionary<string, string> fields, List<TwilioFieldError> errors)
    {
        var text = Optional(fields, "CallDuration");
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        errors.Add(new TwilioFieldError("CallDuration", $"'{text}' is not a whole number of seconds"));
        return null;
    }
}
