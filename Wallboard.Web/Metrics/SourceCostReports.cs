using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Metrics;

/// <summary>What missed calls cost per lead source over a month or a day (docs/metrics.md).</summary>
public sealed record SourceCostReport(
    int StoreId,
    string StoreName,
    string Period,
    DateOnly From,
    DateOnly To,
    decimal AnsweredCallValue,
    IReadOnlyList<SourceCost> Sources,
    SourceCost Total);

/// <summary>
/// The cost report per lead source: the §7 figures of the period come from
/// <see cref="MetricsQueries.ReadAsync"/> (the same calls, connected, missed and recovered as every
/// other screen), the money from the spend admins entered. A month's spend is its own entry, or the
/// latest earlier month's (spend carries forward until changed), or nothing; a day gets its share
/// of its month's spend (<see cref="SourceCosts.DaySpendCents"/>), so a month's days add up to it.
/// </summary>
public sealed class SourceCostReports(IDbContextFactory<WallboardDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Now, for the default month.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    public Task<SourceCostReport?> MonthAsync(int storeId, int year, int month, CancellationToken ct)
    {
        var first = new DateOnly(year, month, 1);
        return ReadAsync(storeId, first, DateTime.DaysInMonth(year, month), first.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), cents => cents, ct);
    }

    public Task<SourceCostReport?> DayAsync(int storeId, DateOnly day, CancellationToken ct) =>
        ReadAsync(storeId, day, 1, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), cents => SourceCosts.DaySpendCents(cents, day), ct);

    /// <summary>Each source's spend for the month (carried forward from the latest earlier entry), in cents.</summary>
    public static async Task<Dictionary<int, long>> MonthSpendAsync(WallboardDbContext db, int storeId, DateOnly month, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var first = new DateOnly(month.Year, month.Month, 1);
        var entries = await db.LeadSourceSpends.AsNoTracking().Where(s => s.StoreId == storeId && s.Month <= first).ToListAsync(ct);
        return entries.GroupBy(s => s.LeadSourceId).ToDictionary(g => g.Key, g => g.MaxBy(s => s.Month)!.AmountCents);
    }

    public static async Task<long> AnsweredCallValueCentsAsync(WallboardDbContext db, int storeId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.SalesCallValues.AsNoTracking().Where(v => v.StoreId == storeId).Select(v => (long?)v.AnsweredCallValueCents).SingleOrDefaultAsync(ct)
            ?? SalesCallValue.DefaultCents;
    }

    private async Task<SourceCostReport?> ReadAsync(
        int storeId, DateOnly first, int days, string label, Func<long, long> spendOfPeriod, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var store = (await MetricsQueries.LoadStoresAsync(db, storeId, ct)).SingleOrDefault();
        if (store is null)
        {
            return null;
        }

        var period = MetricsPeriod.Days(store.Calendar, first, days);
        var metrics = await MetricsQueries.ReadAsync(db, store, MetricsWindow.MonthToDate, period, time.GetUtcNow(), ct);
        var spend = await MonthSpendAsync(db, storeId, first, ct);
        var value = await AnsweredCallValueCentsAsync(db, storeId, ct);

        var rows = metrics.Sources.Select(s => (s.LeadSourceId, s.Name, s.Figures))
            .Concat(spend.Keys.Where(id => metrics.Sources.All(s => s.LeadSourceId != id))
                .Select(id => ((int?)id, store.SourceName(id), CallMetrics.Empty)))
            .Select(s => SourceCosts.From(s.Item1, s.Item2, s.Item3, s.Item1 is { } id && spend.TryGetValue(id, out var cents) ? spendOfPeriod(cents) : null, value))
            .OrderByDescending(s => s.Spend).ThenByDescending(s => s.Calls).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        long? totalCents = rows.Any(r => r.SpendEntered) ? rows.Sum(r => (long)(r.Spend * 100)) : null;
        var total = SourceCosts.From(null, "All sources", metrics.Store, totalCents, value);
        // The store's "missed not recovered" money is the sum of the sources' (each rounded to cents).
        total = total with { SpendOnMissedNotRecovered = rows.Sum(r => r.SpendOnMissedNotRecovered) };
        return new SourceCostReport(store.Id, store.Name, label, first, first.AddDays(days - 1), value / 100m, rows, total);
    }
}
