namespace Wallboard.Domain.Stores;

/// <summary>
/// An E.164 number that rings the store; each maps to one store, one lead source and one
/// department (§2). A website's pool of dynamic numbers is several rows with the same source.
/// </summary>
public sealed class TrackingNumber
{
    public int Id { get; set; }

    public required string E164 { get; set; }

    public int StoreId { get; set; }

    public int LeadSourceId { get; set; }

    public Department Department { get; set; } = Department.Sales;

    public string Label { get; set; } = string.Empty;
}
