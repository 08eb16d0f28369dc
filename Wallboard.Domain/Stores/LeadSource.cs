namespace Wallboard.Domain.Stores;

/// <summary>Where a caller found the number: "Cars.com", "Website", "Radio"… (§2).</summary>
public sealed class LeadSource
{
    /// <summary>The source of calls to a number the store does not know.</summary>
    public const string UnknownName = "Unknown";

    public int Id { get; set; }

    public int StoreId { get; set; }

    public required string Name { get; set; }

    /// <summary>An inactive source is kept for the calls that name it but offered for no new number.</summary>
    public bool IsActive { get; set; } = true;
}
