namespace Wallboard.Domain.Metrics;

/// <summary>
/// What the database counts over the sales calls that started in a period (one store, or one
/// source of it): plain counts and sums, so the rates of <see cref="CallMetrics"/> are computed in
/// one place from them.
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

    /// <summary>Calls a person answered (connected, or answered and then lost on hold).</summary>
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

    public int RecoveredMissed { get; init; }
}

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
}
