namespace Wallboard.Domain.Callbacks;

/// <summary>One missed call that created or joined a call-back. A call joins at most one call-back.</summary>
public sealed class CallbackCall
{
    public long CallbackId { get; set; }

    public long CallId { get; set; }

    public DateTimeOffset JoinedAt { get; set; }
}

/// <summary>One try at calling the caller back (§6), with what came of it.</summary>
public sealed class CallbackAttempt
{
    public long Id { get; set; }

    public long CallbackId { get; set; }

    public DateTimeOffset At { get; set; }

    public AttemptOutcome Outcome { get; set; }

    public string? Note { get; set; }

    /// <summary>For <see cref="AttemptOutcome.AppointmentSet"/>: when the caller comes in.</summary>
    public DateTimeOffset? AppointmentAt { get; set; }

    public int? SalespersonId { get; set; }

    public required string By { get; set; }
}

/// <summary>What happened to a call-back, for its audit trail.</summary>
public enum CallbackAction
{
    Created = 0,
    Joined = 1,
    Claimed = 2,
    Released = 3,
    Lapsed = 4,
    Reassigned = 5,
    AttemptLogged = 6,
    Reopened = 7,
    BecameOverdue = 8,
    Escalated = 9,
    ResolvedByCaller = 10,
    Closed = 11,
}

/// <summary>One entry of a call-back's audit trail (§6): who, when, from → to, why.</summary>
public sealed class CallbackTransition
{
    public long Id { get; set; }

    public long CallbackId { get; set; }

    public DateTimeOffset At { get; set; }

    public CallbackAction Action { get; set; }

    /// <summary>Null for the creation.</summary>
    public CallbackStatus? From { get; set; }

    public CallbackStatus To { get; set; }

    /// <summary>The salesperson who did it, when a salesperson did.</summary>
    public int? ActorSalespersonId { get; set; }

    /// <summary>Who did it, by name ("Wallboard" for the app itself).</summary>
    public required string Actor { get; set; }

    public required string Reason { get; set; }
}

/// <summary>What a salesperson logs for an attempt; lead details are kept on the call-back when given.</summary>
public sealed record AttemptInput(
    AttemptOutcome Outcome,
    string? Note = null,
    DateTimeOffset? AppointmentAt = null,
    string? LeadName = null,
    string? VehicleOfInterest = null,
    string? HeardAbout = null);
