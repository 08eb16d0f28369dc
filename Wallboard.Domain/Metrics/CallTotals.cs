using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;

namespace Wallboard.Domain.Metrics;

/// <summary>
/// What the calls of a period (one store, or one source of it, or one hour) add up to: plain
/// counts and sums, so the rates of <see cref="CallMetrics"/> follow in one place from them. Made
/// from the database's <see cref="CallGroup"/> and <see cref="MissedGroup"/> rows by
/// <see cref="Of(CallGroup)"/> and <see cref="Of(MissedGroup)"/>, added with <see cref="Plus"/>:
/// which outcome counts as what is decided here, never in SQL.
/// </summary>
public sealed record CallTotals
{
    public static readonly CallTotals None = new();

    public int Offered { get; init; }

    public int Ended { get; init; }

    public int ShortAbandons { get; init; }

    public int Connected { get; init; }

    public int Missed { get; init; }

    public int Abandoned { get; init; }

    public int AbandonedOnHold { get; init; }

    public int Voicemail { get; init; }

    public int NoAnswer { get; init; }

    public int ConnectedWithinServiceLevel { get; init; }

    /// <summary>Calls a person answered that have not ended yet: answered from the moment they are answered.</summary>
    public int AnsweredInProgress { get; init; }

    /// <summary>Of <see cref="AnsweredInProgress"/>, those answered within the service level.</summary>
    public int AnsweredInProgressWithinServiceLevel { get; init; }

    /// <summary>Calls a person answered (connected, or answered and then lost on hold, or talking now).</summary>
    public int Answered { get; init; }

    public long AnsweredWaitSeconds { get; init; }

    public int? LongestWaitSeconds { get; init; }

    public long AbandonedWaitSeconds { get; init; }

    /// <summary>Answered calls that were put on hold at least once.</summary>
    public int Held { get; init; }

    public long HeldSeconds { get; init; }

    public int? LongestHoldSeconds { get; init; }

    public int UniqueCallers { get; init; }

    public int FirstTimeCallers { get; init; }

    /// <summary>Missed calls recovered either way (<see cref="MissedRecoveries"/>).</summary>
    public int RecoveredMissed { get; init; }

    /// <summary>Of <see cref="RecoveredMissed"/>, those a call-back reached.</summary>
    public int RecoveredByCallback { get; init; }

    /// <summary>
    /// Calls that count as answered in the answer rate: connected, and those answered now (a call
    /// being answered right now is answered; if the caller then hangs up on hold it ends missed).
    /// </summary>
    public int CountedAnswered => Connected + AnsweredInProgress;

    /// <summary>
    /// The answer rate's denominator: calls whose answer is decided (ended, or answered now), less
    /// short abandons. A call still ringing is neither answered nor missed yet; once every call has
    /// ended it is §7's offered − shortAbandons.
    /// </summary>
    public int Decided => Ended - ShortAbandons + AnsweredInProgress;

    /// <summary>Of <see cref="CountedAnswered"/>, those answered within the service level.</summary>
    public int CountedWithinServiceLevel => ConnectedWithinServiceLevel + AnsweredInProgressWithinServiceLevel;

    /// <summary>The totals of one group of calls that share an outcome and state.</summary>
    public static CallTotals Of(CallGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var n = group.Calls;
        var outcome = group.Ended ? group.Outcome : null;
        var answeredNow = group.Answered && !group.Ended;
        return new CallTotals
        {
            Offered = n,
            Ended = group.Ended ? n : 0,
            ShortAbandons = outcome == CallOutcome.ShortAbandon ? n : 0,
            Connected = outcome is { } c && c.IsAnswered() ? n : 0,
            Missed = outcome is { } m && m.IsMissed() ? n : 0,
            Abandoned = outcome == CallOutcome.Abandoned ? n : 0,
            AbandonedOnHold = outcome == CallOutcome.AbandonedOnHold ? n : 0,
            Voicemail = outcome == CallOutcome.Voicemail ? n : 0,
            NoAnswer = outcome == CallOutcome.NoAnswer ? n : 0,
            ConnectedWithinServiceLevel = outcome is { } s && s.IsAnswered() ? group.WithinServiceLevel : 0,
            AnsweredInProgress = answeredNow ? n : 0,
            AnsweredInProgressWithinServiceLevel = answeredNow ? group.WithinServiceLevel : 0,
            Answered = group.Answered ? n : 0,
            AnsweredWaitSeconds = group.Answered ? group.WaitSeconds : 0,
            LongestWaitSeconds = group.LongestWaitSeconds,
            AbandonedWaitSeconds = outcome == CallOutcome.Abandoned ? group.WaitSeconds : 0,
            Held = group.Answered ? group.Held : 0,
            HeldSeconds = group.Answered ? group.HeldSeconds : 0,
            LongestHoldSeconds = group.Answered ? group.LongestHoldSeconds : null,
            FirstTimeCallers = group.FirstTimeCallers,
        };
    }

    /// <summary>The recovery totals of one group of missed calls (<see cref="MissedRecoveries.Of"/>).</summary>
    public static CallTotals Of(MissedGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var recovery = MissedRecoveries.Of(group.Outcome, group.CompletedAs, group.GotThroughLater);
        return new CallTotals
        {
            RecoveredMissed = recovery.IsRecovered() ? group.Calls : 0,
            RecoveredByCallback = recovery == MissedRecovery.CallbackReached ? group.Calls : 0,
        };
    }

    /// <summary>
    /// Every count and sum of <paramref name="other"/> taken away (the reverse of <see cref="Plus"/>):
    /// a call whose facts changed gives back its old totals before it adds its new ones. The longest
    /// wait and hold cannot be taken away; they stay as they are and the caller works them out again.
    /// </summary>
    public CallTotals Minus(CallTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new CallTotals
        {
            Offered = Offered - other.Offered,
            Ended = Ended - other.Ended,
            ShortAbandons = ShortAbandons - other.ShortAbandons,
            Connected = Connected - other.Connected,
            Missed = Missed - other.Missed,
            Abandoned = Abandoned - other.Abandoned,
            AbandonedOnHold = AbandonedOnHold - other.AbandonedOnHold,
            Voicemail = Voicemail - other.Voicemail,
            NoAnswer = NoAnswer - other.NoAnswer,
            ConnectedWithinServiceLevel = ConnectedWithinServiceLevel - other.ConnectedWithinServiceLevel,
            AnsweredInProgress = AnsweredInProgress - other.AnsweredInProgress,
            AnsweredInProgressWithinServiceLevel = AnsweredInProgressWithinServiceLevel - other.AnsweredInProgressWithinServiceLevel,
            Answered = Answered - other.Answered,
            AnsweredWaitSeconds = AnsweredWaitSeconds - other.AnsweredWaitSeconds,
            LongestWaitSeconds = LongestWaitSeconds,
            AbandonedWaitSeconds = AbandonedWaitSeconds - other.AbandonedWaitSeconds,
            Held = Held - other.Held,
            HeldSeconds = HeldSeconds - other.HeldSeconds,
            LongestHoldSeconds = LongestHoldSeconds,
            UniqueCallers = UniqueCallers - other.UniqueCallers,
            FirstTimeCallers = FirstTimeCallers - other.FirstTimeCallers,
            RecoveredMissed = RecoveredMissed - other.RecoveredMissed,
            RecoveredByCallback = RecoveredByCallback - other.RecoveredByCallback,
        };
    }

    /// <summary>The totals of many groups.</summary>
    public static CallTotals Sum(IEnumerable<CallTotals> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return parts.Aggregate(None, (a, b) => a.Plus(b));
    }

    /// <summary>Both together: counts and sums add, longest takes the larger.</summary>
    public CallTotals Plus(CallTotals other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new CallTotals
        {
            Offered = Offered + other.Offered,
            Ended = Ended + other.Ended,
            ShortAbandons = ShortAbandons + other.ShortAbandons,
            Connected = Connected + other.Connected,
            Missed = Missed + other.Missed,
            Abandoned = Abandoned + other.Abandoned,
            AbandonedOnHold = AbandonedOnHold + other.AbandonedOnHold,
            Voicemail = Voicemail + other.Voicemail,
            NoAnswer = NoAnswer + other.NoAnswer,
            ConnectedWithinServiceLevel = ConnectedWithinServiceLevel + other.ConnectedWithinServiceLevel,
            AnsweredInProgress = AnsweredInProgress + other.AnsweredInProgress,
            AnsweredInProgressWithinServiceLevel = AnsweredInProgressWithinServiceLevel + other.AnsweredInProgressWithinServiceLevel,
            Answered = Answered + other.Answered,
            AnsweredWaitSeconds = AnsweredWaitSeconds + other.AnsweredWaitSeconds,
            LongestWaitSeconds = Max(LongestWaitSeconds, other.LongestWaitSeconds),
            AbandonedWaitSeconds = AbandonedWaitSeconds + other.AbandonedWaitSeconds,
            Held = Held + other.Held,
            HeldSeconds = HeldSeconds + other.HeldSeconds,
            LongestHoldSeconds = Max(LongestHoldSeconds, other.LongestHoldSeconds),
            UniqueCallers = UniqueCallers + other.UniqueCallers,
            FirstTimeCallers = FirstTimeCallers + other.FirstTimeCallers,
            RecoveredMissed = RecoveredMissed + other.RecoveredMissed,
            RecoveredByCallback = RecoveredByCallback + other.RecoveredByCallback,
        };
    }

    private static int? Max(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}

/// <summary>
/// Calls of one bucket and source that share an outcome and state, as the database counts them:
/// the facts only, no rule (<see cref="CallTotals.Of(CallGroup)"/> applies the rules).
/// </summary>
/// <param name="Bucket">The series bucket (an hour of a day, or a day).</param>
/// <param name="Outcome">The calls' outcome; null while they are in progress.</param>
/// <param name="Ended">Whether the calls have ended.</param>
/// <param name="Answered">Whether a person answered them.</param>
/// <param name="WithinServiceLevel">How many waited no longer than the service level.</param>
/// <param name="WaitSeconds">Their waits added up.</param>
/// <param name="Held">How many were put on hold at least once.</param>
/// <param name="HeldSeconds">Hold time of those, added up.</param>
/// <param name="FirstTimeCallers">How many came from a number with no call to the store in the look-back before.</param>
public sealed record CallGroup(
    int Bucket,
    int? SourceId,
    CallOutcome? Outcome,
    bool Ended,
    bool Answered,
    int Calls,
    int WithinServiceLevel,
    long WaitSeconds,
    int? LongestWaitSeconds,
    int Held,
    long HeldSeconds,
    int? LongestHoldSeconds,
    int FirstTimeCallers)
{
    /// <summary>
    /// One call as a group of one: the facts the database counts for a group of calls
    /// (<c>MetricsQueries</c>' call groups), taken from a single call, so a figure kept up to date in
    /// memory call by call adds up to what the database counts. A call with no wait yet is not
    /// within the service level and waited nothing; hold time counts only for a call that was held.
    /// </summary>
    public static CallGroup OfCall(
        int? sourceId, CallOutcome? outcome, bool ended, bool answered, int? waitSeconds, int holdCount, int holdSeconds, bool firstTimeCaller, int serviceLevelSeconds) =>
        new(
            Bucket: 0,
            SourceId: sourceId,
            Outcome: outcome,
            Ended: ended,
            Answered: answered,
            Calls: 1,
            WithinServiceLevel: waitSeconds <= serviceLevelSeconds ? 1 : 0,
            WaitSeconds: waitSeconds ?? 0,
            LongestWaitSeconds: waitSeconds,
            Held: holdCount > 0 ? 1 : 0,
            HeldSeconds: holdCount > 0 ? holdSeconds : 0,
            LongestHoldSeconds: holdCount > 0 ? holdSeconds : null,
            FirstTimeCallers: firstTimeCaller ? 1 : 0);
}

/// <summary>Missed calls of one bucket and source that share the facts recovery is decided on (<see cref="MissedRecoveries.Of"/>).</summary>
/// <param name="CompletedAs">The resolution of the call's completed call-back; null when it has none that is completed.</param>
/// <param name="GotThroughLater">Whether a later call of the same number connected.</param>
public sealed record MissedGroup(int Bucket, int? SourceId, CallOutcome Outcome, CallbackResolution? CompletedAs, bool GotThroughLater, int Calls);

/// <summary>What the database counts of the call-backs for the misses of a period (§6, §7).</summary>
public sealed record CallbackTotals
{
    public static readonly CallbackTotals None = new();

    public int Created { get; init; }

    public int Completed { get; init; }

    public int CompletedWithinSla { get; init; }

    public int Escalated { get; init; }

    public int OverdueNow { get; init; }

    public int Appointments { get; init; }

    public static CallbackTotals Sum(IEnumerable<CallbackTotals> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return parts.Aggregate(None, (a, b) => new CallbackTotals
        {
            Created = a.Created + b.Created,
            Completed = a.Completed + b.Completed,
            CompletedWithinSla = a.CompletedWithinSla + b.CompletedWithinSla,
            Escalated = a.Escalated + b.Escalated,
            OverdueNow = a.OverdueNow + b.OverdueNow,
            Appointments = a.Appointments + b.Appointments,
        });
    }
}
