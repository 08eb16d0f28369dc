namespace Wallboard.Domain.Calls;

/// <summary>How one phone's ringing ended.</summary>
public enum RingResult
{
    Ringing = 0,
    Answered = 1,
    NoAnswer = 2,

    /// <summary>Stopped ringing because someone else answered, the caller hung up, or voicemail took it.</summary>
    Canceled = 3,
}

/// <summary>One phone of the hunt group ringing for the call.</summary>
public sealed record RingAttempt(string Agent, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, RingResult Result)
{
    public TimeSpan? Duration => EndedAt - StartedAt;
}

/// <summary>One stretch on hold after a person answered.</summary>
public sealed record HoldSegment(DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Agent)
{
    public TimeSpan DurationUntil(DateTimeOffset now) => (EndedAt ?? now) - StartedAt;
}

/// <summary>A transfer of the call to another phone or group.</summary>
public sealed record TransferStep(DateTimeOffset At, string? FromAgent, string? ToAgent, string? ToGroup);
