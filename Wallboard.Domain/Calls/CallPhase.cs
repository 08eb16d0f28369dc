namespace Wallboard.Domain.Calls;

/// <summary>Where a call is right now, for the live board (§5).</summary>
public enum CallPhase
{
    /// <summary>Queued or ringing, no person has answered yet.</summary>
    Waiting = 0,

    /// <summary>A person answered and is talking with the caller.</summary>
    Talking = 1,

    /// <summary>Answered, and the caller is on hold (or back in a queue after a transfer).</summary>
    OnHold = 2,

    /// <summary>The caller is in a voicemail box.</summary>
    Voicemail = 3,

    Ended = 4,
}
