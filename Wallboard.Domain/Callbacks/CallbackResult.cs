namespace Wallboard.Domain.Callbacks;

/// <summary>Why a call-back refused an action; the API maps each to its status code.</summary>
public enum CallbackRefusal
{
    None = 0,

    /// <summary>This person may not do that (someone else's claim, a manager's action): 403.</summary>
    NotAllowed = 1,

    /// <summary>The call-back's state does not allow it (claimed by someone else, already closed): 409.</summary>
    Conflict = 2,

    /// <summary>What was asked is wrong (a bad attempt): 400, with reasons per field.</summary>
    Invalid = 3,
}

/// <summary>The answer of a rule on <see cref="Callback"/>: done (and whether anything changed), or refused and why.</summary>
public sealed record CallbackResult
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public CallbackRefusal Refusal { get; private init; }

    public bool IsDone => Refusal == CallbackRefusal.None;

    /// <summary>Whether the call-back changed (a repeated claim by its owner changes nothing).</summary>
    public bool Changed { get; private init; }

    /// <summary>A one-line reason for a person.</summary>
    public string Reason { get; private init; } = string.Empty;

    /// <summary>Reasons per field of the request, for a refused attempt.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private init; } = NoErrors;

    /// <summary>Who holds the claim, when that is why the action was refused.</summary>
    public int? HeldBySalespersonId { get; private init; }

    public string? HeldBy { get; private init; }

    public static CallbackResult Done { get; } = new() { Changed = true };

    public static CallbackResult Unchanged { get; } = new() { Changed = false };

    public static CallbackResult NotAllowed(string reason) => new() { Refusal = CallbackRefusal.NotAllowed, Reason = reason };

    public static CallbackResult Conflict(string reason) => new() { Refusal = CallbackRefusal.Conflict, Reason = reason };

    public static CallbackResult HeldBySomeoneElse(int? salespersonId, string? name, string reason) =>
        new() { Refusal = CallbackRefusal.Conflict, Reason = reason, HeldBySalespersonId = salespersonId, HeldBy = name };

    public static CallbackResult Invalid(string reason, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new() { Refusal = CallbackRefusal.Invalid, Reason = reason, Errors = errors ?? NoErrors };
}
