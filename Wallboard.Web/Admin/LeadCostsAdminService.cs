using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Admin;

/// <summary>One source's spend for a month, and whether it was entered for that month or carried forward.</summary>
public sealed record LeadSpendRow(int LeadSourceId, string Name, decimal? Spend, bool EnteredForMonth);

/// <summary>
/// What lead sources cost and what an answered sales call is worth, per store (docs/metrics.md,
/// "What missed calls cost"). Every change is audited in the same transaction.
/// </summary>
public sealed class LeadCostsAdminService(IDbContextFactory<WallboardDbContext> dbFactory, AuditLog audit)
{
    public const string AmountField = "Amount";
    public const decimal MaxAmount = 100_000_000m;

    public async Task<(decimal AnsweredCallValue, IReadOnlyList<LeadSpendRow> Sources)> GetAsync(int storeId, DateOnly month, CancellationToken ct)
    {
        var first = new DateOnly(month.Year, month.Month, 1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var spend = await SourceCostReports.MonthSpendAsync(db, storeId, first, ct);
        var entered = await db.LeadSourceSpends.AsNoTracking().Where(s => s.StoreId == storeId && s.Month == first).Select(s => s.LeadSourceId).ToListAsync(ct);
        var sources = await db.LeadSources.AsNoTracking().Where(s => s.StoreId == storeId).OrderBy(s => s.Name).ToListAsync(ct);
        var value = await SourceCostReports.AnsweredCallValueCentsAsync(db, storeId, ct);
        return (value / 100m, sources
            .Select(s => new LeadSpendRow(s.Id, s.Name, spend.TryGetValue(s.Id, out var cents) ? cents / 100m : null, entered.Contains(s.Id)))
            .ToList());
    }

    /// <summary>Sets a source's spend for a month (0 for a free source).</summary>
    public async Task<AdminResult> SetSpendAsync(string actor, int leadSourceId, DateOnly month, decimal? amount, CancellationToken ct)
    {
        if (AmountError(amount) is { } error)
        {
            return AdminResult.Invalid(AmountField, error);
        }

        var first = new DateOnly(month.Year, month.Month, 1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.LeadSources.AsNoTracking().SingleOrDefaultAsync(s => s.Id == leadSourceId, ct);
        if (source is null)
        {
            return AdminResult.Invalid(AdminResult.General, "That lead source no longer exists.");
        }

        var row = await db.LeadSourceSpends.SingleOrDefaultAsync(s => s.LeadSourceId == leadSourceId && s.Month == first, ct);
        var before = row is null ? null : new { source.Name, Month = Month(first), Spend = row.AmountCents / 100m };
        if (row is null)
        {
            row = new LeadSourceSpend { StoreId = source.StoreId, LeadSourceId = leadSourceId, Month = first };
            db.LeadSourceSpends.Add(row);
        }

        row.AmountCents = (long)(amount!.Value * 100);
        await audit.SaveAsync(db, actor, () => new AuditFact("lead-source.spend-set", nameof(LeadSourceSpend), $"{leadSourceId}:{Month(first)}", source.StoreId, before, new { source.Name, Month = Month(first), Spend = amount.Value }), ct);
        return AdminResult.Done;
    }

    /// <summary>Sets what an answered sales call is worth to the store.</summary>
    public async Task<AdminResult> SetAnsweredCallValueAsync(string actor, int storeId, decimal? amount, CancellationToken ct)
    {
        if (AmountError(amount) is { } error)
        {
            return AdminResult.Invalid(AmountField, error);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Stores.AnyAsync(s => s.Id == storeId, ct))
        {
            return AdminResult.Invalid(AdminResult.General, "That store no longer exists.");
        }

        var row = await db.SalesCallValues.SingleOrDefaultAsync(v => v.StoreId == storeId, ct);
        var before = new { AnsweredCallValue = (row?.AnsweredCallValueCents ?? SalesCallValue.DefaultCents) / 100m };
        if (row is null)
        {
            row = new SalesCallValue { StoreId = storeId };
            db.SalesCallValues.Add(row);
        }

        row.AnsweredCallValueCents = (long)(amount!.Value * 100);
        await audit.SaveAsync(db, actor, () => new AuditFact("store.sales-call-value-set", nameof(SalesCallValue), storeId.ToString(CultureInfo.InvariantCulture), storeId, before, new { AnsweredCallValue = amount.Value }), ct);
        return AdminResult.Done;
    }

    private static string? AmountError(decimal? amount) => amount switch
    {
        null => "Enter an amount (0 for none).",
        < 0 => "An amount cannot be negative.",
        > MaxAmount => "That is more than 100,000,000.",
        { } a when decimal.Round(a, 2) != a => "Whole cents only (two decimals).",
        _ => null,
    };

    private static string Month(DateOnly first) => first.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
