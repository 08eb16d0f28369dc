namespace Wallboard.Domain.Calls;

/// <summary>The normalized call event types of the design (§4), whatever phone system sent them.</summary>
public enum CallEventType
{
    Started = 0,
    Queued = 1,
    Ringing = 2,
    RingNoAnswer = 3,
    Answered = 4,
    HoldStarted = 5,
    HoldEnded = 6,
    Transferred = 7,
    Voicemail = 8,
    Ended = 9,
}

/// <summary>The wire names of <see cref="CallEventType"/> (<c>call.started</c>…).</summary>
public static class CallEventTypes
{
    private static readonly Dictionary<string, CallEventType> ByName = new(StringComparer.Ordinal)
    {
        ["call.started"] = CallEventType.Started,
        ["call.queued"] = CallEventType.Queued,
        ["call.ringing"] = CallEventType.Ringing,
        ["call.ring_no_answer"] = CallEventType.RingNoAnswer,
        ["call.answered"] = CallEventType.Answered,
        ["call.hold_started"] = CallEventType.HoldStarted,
        ["call.hold_ended"] = CallEventType.HoldEnded,
        ["call.transferred"] = CallEventType.Transferred,
        ["call.voicemail"] = CallEventType.Voicemail,
        ["call.ended"] = CallEventType.Ended,
    };

    private static readonly Dictionary<CallEventType, string> ByType =
        ByName.ToDictionary(pair => pair.Value, pair => pair.Key);

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static bool TryParse(string? name, out CallEventType type) =>
        ByName.TryGetValue(name ?? string.Empty, out type);

    public static string ToWireName(this CallEventType type) => ByType[type];
}
