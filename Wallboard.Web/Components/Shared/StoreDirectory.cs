namespace Wallboard.Web.Components.Shared;

/// <summary>The stores the UI lists. The data layer provides the real implementation.</summary>
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

/// <summary>Lists no stores: stands in until the data layer registers its own directory.</summary>
public sealed class EmptyStoreDirectory : IStoreDirectory
{
    public Task<IReadOnlyList<StoreSummary>> ListStoresAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<StoreSummary>>([]);
}
