namespace Wallboard.Domain.Calls;

/// <summary>
/// A call as its events say it is (§4). Always the result of applying the call's events in
/// <c>at</c> order (ties in arrival order) with repeats removed, so events that arrive late, twice
/// or out of order give the same call as events that arrived in order. Build one with
/// <see cref="Project"/>; it is never changed in place by callers.
/// </summary>
public sealed class CallState
{
    /// <summary>Event ids of the synthetic end written by the stale-call sweep start with this.</summary>
    public const string StaleCloseEventIdPrefix = "wallboard:stale-close:";

    private readonly List<RingAttempt> _rings = [];
    private readonly List<HoldSegment> _holds = [];
    private readonly List<TransferStep> _transfers = [];

    private CallState(string callId, DateTimeOffset startedAt)
    {
        CallId = callId;
        StartedAt = startedAt;
    }

    public string CallId { get; }

    /// <summary>The earliest event's time: <c>call.started</c>, or the first event seen (§4).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The caller id as the phone system sent it (normalize with the store's country).</summary>
    public string? From { get; private set; }

    /// <summary>The number the caller dialled: a tracking number.</summary>
    public string? To { get; private set; }

    public string? CallerName { get; private set; }

    /// <summary>The hunt group the call first queued in.</summary>
    public string? Group { get; private set; }

    public IReadOnlyList<RingAttempt> Rings => _rings;

    public DateTimeOffset? AnsweredAt { get; private set; }

    /// <summary>The agent who first answered.</summary>
    public string? AnsweredBy { get; private set; }

    /// <summary>The agent who has the caller now (changes with transfers).</summary>
    public string? CurrentAgent { get; private set; }

    public IReadOnlyList<HoldSegment> Holds => _holds;

    public IReadOnlyList<TransferStep> Transfers => _transfers;

    public DateTimeOffset? VoicemailAt { get; private set; }

    public string? Mailbox { get; private set; }

    public bool? MessageLeft { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public CallEndedBy? EndedBy { get; private set; }

    /// <summary>True when the call was ended by the stale-call sweep, not by the phone system.</summary>
    public bool ClosedAsStale { get; private set; }

    /// <summary>The caller was on hold when the call ended.</summary>
    public bool EndedOnHold { get; private set; }

    public string? RecordingUrl { get; private set; }

    /// <summary>The latest <c>at</c> among the call's events.</summary>
    public DateTimeOffset LastEventAt { get; private set; }

    /// <summary>Distinct events applied.</summary>
    public int EventCount { get; private set; }

    public bool IsAnswered => AnsweredAt is not null;

    public bool IsEnded => EndedAt is not null;

    public HoldSegment? OpenHold => _holds.Count > 0 && _holds[^1].EndedAt is null ? _holds[^1] : null;

    public CallPhase Phase =>
        EndedAt is not null ? CallPhase.Ended
        : VoicemailAt is not null ? CallPhase.Voicemail
        : AnsweredAt is null ? CallPhase.Waiting
        : OpenHold is not null ? CallPhase.OnHold
        : CallPhase.Talking;

    /// <summary>
    /// Time from the start until a person answered, voicemail took the call, or the caller gave up;
    /// null while the caller is still waiting.
    /// </summary>
    public TimeSpan? Wait => (AnsweredAt ?? VoicemailAt ?? EndedAt) - StartedAt;

    /// <summary>Total time on hold after a person answered (open segments count up to the end).</summary>
    public TimeSpan HoldTime => HoldTimeUntil(EndedAt ?? LastEventAt);

    /// <summary>Time with a person, not counting holds; null until the call has been answered and ended.</summary>
    public TimeSpan? TalkTime
    {
        get
        {
            if (AnsweredAt is not { } answered || EndedAt is not { } ended)
            {
                return null;
            }

            var talk = (VoicemailAt ?? ended) - answered - HoldTime;
            return talk < TimeSpan.Zero ? TimeSpan.Zero : talk;
        }
    }

    /// <summary>The agents whose phones rang and were not answered, in the order they rang.</summary>
    public IReadOnlyList<string> MissedBy =>
        _rings.Where(r => r.Result == RingResult.NoAnswer).Select(r => r.Agent).Distinct().ToList();

    /// <summary>Every agent whose phone rang, in the order they first rang.</summary>
    public IReadOnlyList<string> RungAgents => _rings.Select(r => r.Agent).Distinct().ToList();

    public TimeSpan HoldTimeUntil(DateTimeOffset now) =>
        _holds.Aggregate(TimeSpan.Zero, (sum, h) => sum + h.DurationUntil(now));

    /// <summary>The §3 outcome under a store's thresholds; null while the call is in progress.</summary>
    public CallOutcome? Outcome(TimeSpan shortAbandonThreshold)
    {
        if (EndedAt is not { } ended)
        {
            return null;
        }

        if (EndedOnHold && EndedBy != CallEndedBy.Agent)
        {
            return CallOutcome.AbandonedOnHold;
        }

        // Voicemail wins over an earlier answer: a receptionist who sends the caller to a
        // salesperson's voicemail has not served the caller, and the caller needs a call-back.
        if (VoicemailAt is not null)
        {
            return CallOutcome.Voicemail;
        }

        if (AnsweredAt is not null)
        {
            return CallOutcome.Connected;
        }

        if (EndedBy is CallEndedBy.System or CallEndedBy.Agent)
        {
            return CallOutcome.NoAnswer;
        }

        // Ended by the caller, or the phone system did not say by whom: the caller gave up.
        return ended - StartedAt < shortAbandonThreshold ? CallOutcome.ShortAbandon : CallOutcome.Abandoned;
    }

    /// <summary>Whether the stale-call sweep should close this call (§3).</summary>
    public bool IsStale(DateTimeOffset now, TimeSpan limit) => EndedAt is null && now - LastEventAt >= limit;

    /// <summary>
    /// The synthetic <c>call.ended</c> the stale-call sweep stores for a call whose end never came.
    /// It is dated at the call's last event, so waits and talk times are not stretched by the
    /// limit, and a real end that arrives later still wins (see <see cref="Project"/>).
    /// </summary>
    public CallEvent StaleCloseEvent() => StaleCloseEvent(CallId, LastEventAt);

    /// <inheritdoc cref="StaleCloseEvent()"/>
    public static CallEvent StaleCloseEvent(string callId, DateTimeOffset lastEventAt) => new()
    {
        EventId = StaleCloseEventIdPrefix + callId,
        CallId = callId,
        Type = CallEventType.Ended,
        At = lastEventAt,
        EndedBy = CallEndedBy.System,
    };

    /// <summary>Applies a call's events (any order, repeats allowed) and returns the call.</summary>
    public static CallState Project(IEnumerable<CallEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);

        // Repeats: the first arrival of an event id counts. Then time order, ties by arrival.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ordered = events
            .OrderBy(e => e.Sequence)
            .Where(e => seen.Add(e.EventId))
            .OrderBy(e => e.At)
            .ThenBy(e => e.Sequence)
            .ToList();

        if (ordered.Count == 0)
        {
            throw new ArgumentException("A call needs at least one event.", nameof(events));
        }

        // A real end always beats the sweep's synthetic one, whenever it arrives.
        if (ordered.Any(e => e.Type == CallEventType.Ended && !IsStaleClose(e)))
        {
            ordered.RemoveAll(IsStaleClose);
        }

        var state = new CallState(ordered[0].CallId, ordered[0].At);
        foreach (var e in ordered)
        {
            state.Apply(e);
        }

        return state;
    }

    private static bool IsStaleClose(CallEvent e) =>
        e.Type == CallEventType.Ended && e.EventId.StartsWith(StaleCloseEventIdPrefix, StringComparison.Ordinal);

    private void Apply(CallEvent e)
    {
        EventCount++;
        if (e.At > LastEventAt)
        {
            LastEventAt = e.At;
        }

        if (EndedAt is not null)
        {
            // After the end only facts about the end itself still count.
            RecordingUrl ??= e.RecordingUrl;
            MessageLeft ??= e.MessageLeft;
            From ??= e.From;
            CallerName ??= e.CallerName;
            return;
        }

        switch (e.Type)
        {
            case CallEventType.Started:
                From ??= e.From;
                To ??= e.To;
                CallerName ??= e.CallerName;
                break;
            case CallEventType.Queued:
                Group ??= e.Group;
                break;
            case CallEventType.Ringing when e.Agent is not null:
                if (FindOpenRing(e.Agent) < 0)
                {
                    _rings.Add(new RingAttempt(e.Agent, e.At, null, RingResult.Ringing));
                }

                break;
            case CallEventType.RingNoAnswer when e.Agent is not null:
                RingNoAnswer(e);
                break;
            case CallEventType.Answered:
                Answer(e.At, e.Agent);
                break;
            case CallEventType.HoldStarted when AnsweredAt is not null && OpenHold is null:
                _holds.Add(new HoldSegment(e.At, null, e.Agent ?? CurrentAgent));
                break;
            case CallEventType.HoldEnded:
                CloseHold(e.At);
                break;
            case CallEventType.Transferred:
                Transfer(e);
                break;
            case CallEventType.Voicemail:
                if (VoicemailAt is null)
                {
                    VoicemailAt = e.At;
                    Mailbox = e.Mailbox;
                    CloseOpenRings(e.At, RingResult.NoAnswer);
                    CloseHold(e.At);
                }

                MessageLeft ??= e.MessageLeft;
                break;
            case CallEventType.Ended:
                End(e);
                break;
            default:
                break;
        }

        From ??= e.From;
        CallerName ??= e.CallerName;
    }

    private void RingNoAnswer(CallEvent e)
    {
        var agent = e.Agent!;
        var index = FindOpenRing(agent);
        if (index >= 0)
        {
            _rings[index] = _rings[index] with { EndedAt = e.At, Result = RingResult.NoAnswer };
            return;
        }

        // Some systems (Asterisk's RINGNOANSWER) only say a phone rang out, and for how long.
        var started = e.RingSeconds is > 0 ? e.At - TimeSpan.FromSeconds(e.RingSeconds.Value) : e.At;
        _rings.Add(new RingAttempt(agent, started < StartedAt ? StartedAt : started, e.At, RingResult.NoAnswer));
    }

    private void Answer(DateTimeOffset at, string? agent)
    {
        if (agent is not null)
        {
            var index = FindOpenRing(agent);
            if (index >= 0)
            {
                _rings[index] = _rings[index] with { EndedAt = at, Result = RingResult.Answered };
            }
            else
            {
                _rings.Add(new RingAttempt(agent, at, at, RingResult.Answered));
            }
        }

        CloseOpenRings(at, RingResult.Canceled);

        if (AnsweredAt is null)
        {
            AnsweredAt = at;
            AnsweredBy = agent;
        }
        else
        {
            // Picked up again after a transfer or a hold: the wait in between was a hold.
            CloseHold(at);
        }

        CurrentAgent = agent ?? CurrentAgent;
    }

    private void Transfer(CallEvent e)
    {
        _transfers.Add(new TransferStep(e.At, e.FromAgent ?? CurrentAgent, e.ToAgent, e.ToGroup));
        if (AnsweredAt is not null && e.ToAgent is null && e.ToGroup is not null && OpenHold is null)
        {
            // Sent back to a queue after a person answered: the caller waits again, which the
            // design counts as hold (§2) until someone picks up.
            _holds.Add(new HoldSegment(e.At, null, e.FromAgent ?? CurrentAgent));
        }

        if (e.ToAgent is not null)
        {
            CurrentAgent = e.ToAgent;
        }
    }

    private void End(CallEvent e)
    {
        EndedAt = e.At;
        EndedBy = e.EndedBy;
        ClosedAsStale = IsStaleClose(e);
        EndedOnHold = OpenHold is not null;
        CloseHold(e.At);
        CloseOpenRings(e.At, RingResult.Canceled);
        RecordingUrl ??= e.RecordingUrl;
        MessageLeft ??= e.MessageLeft;
    }

    private void CloseHold(DateTimeOffset at)
    {
        if (OpenHold is { } open)
        {
            _holds[^1] = open with { EndedAt = at };
        }
    }

    private void CloseOpenRings(DateTimeOffset at, RingResult result)
    {
        for (var i = 0; i < _rings.Count; i++)
        {
            if (_rings[i].Result == RingResult.Ringing)
            {
                _rings[i] = _rings[i] with { EndedAt = at, Result = result };
            }
        }
    }

    private int FindOpenRing(string agent) =>
        _rings.FindIndex(r => r.Result == RingResult.Ringing && string.Equals(r.Agent, agent, StringComparison.Ordinal));
}
