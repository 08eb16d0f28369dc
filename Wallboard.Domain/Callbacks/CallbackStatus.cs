namespace Wallboard.Domain.Callbacks;

/// <summary>Where a call-back stands (§6). Numbers are stored: never renumber.</summary>
public enum CallbackStatus
{
    /// <summary>In the store's pool: anyone may claim it.</summary>
    Open = 0,

    /// <summary>One salesperson has it; it lapses back to the pool without an attempt in the claim window.</summary>
    Claimed = 1,

    /// <summary>Tried without reaching the caller; back in the pool when the next attempt on the cadence is due.</summary>
    Scheduled = 2,

    /// <summary>Done: the caller was reached, or the call-back turned out not to be needed (see the resolution).</summary>
    Completed = 3,

    /// <summary>Every attempt of the cadence was made without reaching the caller.</summary>
    Unreached = 4,

    /// <summary>Closed by a manager, with a reason.</summary>
    Closed = 5,
}

/// <summary>How a completed call-back ended. Numbers are stored: never renumber.</summary>
public enum CallbackResolution
{
    Reached = 0,
    AppointmentSet = 1,
    WrongNumber = 2,
    NotSales = 3,
    DoNotCall = 4,

    /// <summary>The caller called the store again and got through (§6).</summary>
    CallerCalledBack = 5,
}

/// <summary>What a salesperson logs after trying to call back (§6). Numbers are stored: never renumber.</summary>
public enum AttemptOutcome
{
    Reached = 0,
    AppointmentSet = 1,
    LeftVoicemail = 2,
    NoAnswer = 3,
    WrongNumber = 4,
    NotSales = 5,
    DoNotCall = 6,
}

public static class CallbackStatuses
{
    /// <summary>The statuses of a call-back still being worked: at most one of these per (store, number).</summary>
    public static readonly CallbackStatus[] Active = [CallbackStatus.Open, CallbackStatus.Claimed, CallbackStatus.Scheduled];

    public static bool IsActive(this CallbackStatus status) =>
        status is CallbackStatus.Open or CallbackStatus.Claimed or CallbackStatus.Scheduled;

    /// <summary>Whether the outcome ends the call-back (the others schedule the next attempt).</summary>
    public static bool Completes(this AttemptOutcome outcome) =>
        outcome is not (AttemptOutcome.LeftVoicemail or AttemptOutcome.NoAnswer);

    public static CallbackResolution ToResolution(this AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Reached => CallbackResolution.Reached,
        AttemptOutcome.AppointmentSet => CallbackResolution.AppointmentSet,
        AttemptOutcome.WrongNumber => CallbackResolution.WrongNumber,
        AttemptOutcome.NotSales => CallbackResolution.NotSales,
        AttemptOutcome.DoNotCall => CallbackResolution.DoNotCall,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "This outcome does not complete a call-back."),
    };

    /// <summary>Words for a person.</summary>
    public static string Describe(this AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Reached => "Reached",
        AttemptOutcome.AppointmentSet => "Appointment set",
        AttemptOutcome.LeftVoicemail => "Left voicemail",
        AttemptOutcome.NoAnswer => "No answer",
        AttemptOutcome.WrongNumber => "Wrong number",
        AttemptOutcome.NotSales => "Not sales",
        AttemptOutcome.DoNotCall => "Do not call",
        _ => outcome.ToString(),
    };

    public static string Describe(this CallbackResolution resolution) => resolution switch
    {
        CallbackResolution.CallerCalledBack => "Caller called back",
        CallbackResolution.AppointmentSet => "Appointment set",
        CallbackResolution.WrongNumber => "Wrong number",
        CallbackResolution.NotSales => "Not sales",
        CallbackResolution.DoNotCall => "Do not call",
        _ => resolution.ToString(),
    };
}
