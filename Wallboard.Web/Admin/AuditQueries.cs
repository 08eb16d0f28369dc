using Microsoft.EntityFrameworkCore;
using Wallboard.Web.Data;

namespace Wallboard.Web.Admin;

/// <summary>What the audit viewer filters by; null means any.</summary>
public sealed record AuditFilter(string? EntityType = null, int? StoreId = null, string? Actor = null);

public sealed record AuditResults(IReadOnlyList<AuditEntry> Entries, int Total, int Page, int PageSize);

/// <summary>Reads the audit trail for the viewer: newest first, filtered, a page at a time.</summary>
public sealed class AuditQueries(IDbContextFactory<WallboardDbContext> dbFactory)
{
    public const int MaxPageSize = 200;

    /// <param name="page">Zero-based.</param>
    public async Task<AuditResults> PageAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        page = Math.Max(0, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(filter.EntityType))
        {
            query = query.Where(e => e.EntityType == filter.EntityType);
        }

        if (filter.StoreId is { } store)
        {
            query = query.Where(e => e.StoreId == store);
        }

        if (!string.IsNullOrEmpty(filter.Actor))
        {
            query = query.Where(e => e.Actor == filter.Actor);
        }

        var total = await query.CountAsync(ct);
        var entries = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(page * pageSize).Take(pageSize).ToListAsync(ct);
        return new AuditResults(entries, total, page, pageSize);
    }

    /// <summary>The record types and actors the trail holds, for the filters' choices.</summary>
    public async Task<(IReadOnlyList<string> EntityTypes, IReadOnlyList<string> Actors)> ChoicesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var types = await db.AuditEntries.AsNoTracking().Select(e => e.EntityType).Distinct().OrderBy(t => t).ToListAsync(ct);
        var actors = await db.AuditEntries.AsNoTracking().Select(e => e.Actor).Distinct().OrderBy(a => a).ToListAsync(ct);
        return (types, actors);
    }
}
