using Wallboard.Domain.Calls;

namespace Wallboard.Tests.Domain.Calls;

/// <summary>Builds a call's events at offsets in seconds from its start, in the order written.</summary>
internal sealed class CallBuilder(string callId = "call-1", DateTimeOffset? start = null)
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    private readonly DateTimeOffset _start = start ?? DefaultStart;
    private readonly List<CallEvent> _events = [];

    public IReadOnlyList<CallEvent> Events => _events;

    public DateTimeOffset Start => _start;

    public CallBuilder Started(string? from = "+13125550142", string to = "+13125550100", double at = 0) =>
        Add(CallEventType.Started, at, e => e with { From = from, To = to });

    public CallBuilder Queued(string group = "Sales", double at = 0) =>
        Add(CallEventType.Queued, at, e => e with { Group = group });

    public CallBuilder Ringing(string agent, double at) =>
        Add(CallEventType.Ringing, at, e => e with { Agent = agent });

    public CallBuilder RingNoAnswer(string agent, double at, double? ringSeconds = null) =>
        Add(CallEventType.RingNoAnswer, at, e => e with { Agent = agent, RingSeconds = ringSeconds });

    public CallBuilder Answered(string agent, double at) =>
        Add(CallEventType.Answered, at, e => e with { Agent = agent });

    public CallBuilder HoldStarted(double at) => Add(CallEventType.HoldStarted, at, e => e);

    public CallBuilder HoldEnded(double at) => Add(CallEventType.HoldEnded, at, e => e);

    public CallBuilder Transferred(double at, string? toAgent = null, string? toGroup = null) =>
        Add(CallEventType.Transferred, at, e => e with { ToAgent = toAgent, ToGroup = toGroup });

    public CallBuilder Voicemail(double at, bool? messageLeft = null) =>
        Add(CallEventType.Voicemail, at, e => e with { Mailbox = "200", MessageLeft = messageLeft });

    public CallBuilder Ended(double at, CallEndedBy? by = CallEndedBy.Caller, bool? messageLeft = null) =>
        Add(CallEventType.Ended, at, e => e with { EndedBy = by, MessageLeft = messageLeft });

    public CallState Project() => CallState.Project(_events);

    private CallBuilder Add(CallEventType type, double at, Func<CallEvent, CallEvent> fill)
    {
        var e = new CallEvent
        {
            EventId = $"{callId}-{_events.Count + 1}",
            CallId = callId,
            Type = type,
            At = _start.AddSeconds(at),
            Sequence = _events.Count + 1,
        };
        _events.Add(fill(e));
        return this;
    }
}
