namespace Wallboard.Domain.Callbacks;

/// <summary>
/// Who does something to a call-back, for the rules (managers may do more) and the audit trail.
/// <paramref name="SalespersonId"/> is null for the system and for managers acting through a
/// token that is not a salesperson's.
/// </summary>
public sealed record CallbackActor(int? SalespersonId, string Name, bool IsManager)
{
    /// <summary>The app itself: ingest, the sweep.</summary>
    public static CallbackActor System { get; } = new(null, "Wallboard", IsManager: false);

    public static CallbackActor Salesperson(int salespersonId, string name) => new(salespersonId, name, IsManager: false);

    public static CallbackActor Manager(int? salespersonId, string name) => new(salespersonId, name, IsManager: true);
}
