namespace Wallboard.Domain.Stores;

/// <summary>A person who takes calls (§2). One person may have several phone-system identities.</summary>
public sealed class Salesperson
{
    public int Id { get; set; }

    public int StoreId { get; set; }

    public required string Name { get; set; }

    public SalespersonRole Role { get; set; } = SalespersonRole.Salesperson;

    public bool IsActive { get; set; } = true;

    public List<AgentIdentity> Identities { get; set; } = [];
}

public enum SalespersonRole
{
    Salesperson = 0,
    Manager = 1,
    Admin = 2,
}

/// <summary>
/// How a phone system names a salesperson: an extension ("101"), a queue member
/// ("SIP/101"), a cell the call was forwarded to. Unique per integration.
/// </summary>
public sealed class AgentIdentity
{
    public int Id { get; set; }

    public int SalespersonId { get; set; }

    public int IntegrationId { get; set; }

    public required string Identity { get; set; }
}
