using Microsoft.EntityFrameworkCore;
using Wallboard.Web.Components.Shared;

namespace Wallboard.Web.Data;

/// <summary>The stores as the database has them, for the UI.</summary>
public sealed class DbStoreDirectory(IDbContextFactory<WallboardDbContext> dbFactory) : IStoreDirectory
{
    public async Task<IReadOnlyList<StoreSummary>> ListStoresAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Stores.AsNoTracking()
            .OrderBy(s => s.Name)
            .Select(s => new StoreSummary(
                s.Id,
                s.Name,
                s.City,
                s.TimeZoneId,
                db.Salespeople.Count(p => p.StoreId == s.Id && p.IsActive),
                db.TrackingNumbers.Count(n => n.StoreId == s.Id)))
            .ToListAsync(ct);
    }
}
