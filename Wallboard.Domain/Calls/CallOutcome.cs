namespace Wallboard.Domain.Calls;

/// <summary>How a call ended (§3). Decided when the call ends.</summary>
public enum CallOutcome
{
    /// <summary>A person answered and the call did not end while the caller was on hold.</summary>
    Connected = 0,

    /// <summary>Answered, then the caller hung up while on hold.</summary>
    AbandonedOnHold = 1,

    /// <summary>Reached voicemail (message left or not).</summary>
    Voicemail = 2,

    /// <summary>The caller hung up before any answer, after the short-abandon threshold.</summary>
    Abandoned = 3,

    /// <summary>Nobody answered and the system ended the call (ring-out, busy, failed, stale).</summary>
    NoAnswer = 4,

    /// <summary>The caller hung up before any answer within the threshold: a misdial, shown apart.</summary>
    ShortAbandon = 5,
}

public static class CallOutcomes
{
    /// <summary>The outcomes that count as missed (§3): every missed sales call needs a call-back (§6).</summary>
    public static readonly IReadOnlyList<CallOutcome> Missed =
        [CallOutcome.AbandonedOnHold, CallOutcome.Voicemail, CallOutcome.Abandoned, CallOutcome.NoAnswer];

    /// <summary>Counts as answered in answer rates.</summary>
    public static bool IsAnswered(this CallOutcome outcome) => outcome == CallOutcome.Connected;

    /// <summary>Counts as missed: every missed sales call needs a call-back (§6).</summary>
    public static bool IsMissed(this CallOutcome outcome) => Missed.Contains(outcome);
}
