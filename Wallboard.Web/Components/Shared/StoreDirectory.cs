namespace Wallboard.Web.Components.Shared;

/// <summary>The stores the UI lists (<see cref="Data.DbStoreDirectory"/>).</summary>
public interface IStoreDirectory
{
    Task<IReadOnlyList<StoreSummary>> ListStoresAsync(CancellationToken ct);
}

public sealed record StoreSummary(
    int Id,
    string Name,
    string City,
    string TimeZoneId,
    int SalespeopleCount,
    int TrackingNumbersCount);
