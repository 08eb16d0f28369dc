namespace Wallboard.Domain.Stores;

/// <summary>A local date on which the whole store is closed (a holiday).</summary>
public sealed class ClosedDate
{
    public int Id { get; set; }

    public int StoreId { get; set; }

    public DateOnly Date { get; set; }

    public string Name { get; set; } = string.Empty;
}
