using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Web.Data;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Live;

/// <summary>
/// Today's figures of one board, read with the metrics' own queries
/// (<see cref="MetricsQueries.ReadRowsAsync"/>) over the store-local day and added up by the
/// domain's rules (<see cref="MetricsAggregation"/>): the TV counts answered, missed, recovered and
/// short abandons exactly as the reports do. A day's calls are counted in the database, never
/// loaded; only the latest missed calls are listed.
/// </summary>
public static class BoardQueries
{
    public sealed record MissedRow(
        long Id, DateTimeOffset StartedAt, CallOutcome Outcome, string? CallerE164, string? CallerRaw, bool CallerWithheld,
        string? CallerName, int? LeadSourceId, MissedRecovery Recovery);

    public sealed record SourceCount(int? LeadSourceId, int Calls, int Missed);

    public sealed record DayFigures(
        CallTotals Totals,
        IReadOnlyList<MissedRow> LatestMissed,
        IReadOnlyDictionary<int, int> AnsweredBy,
        IReadOnlyDictionary<int, int> MissedWhileRung,
        IReadOnlyList<SourceCount> Sources,
        SpeedToCallbackTile? SpeedToCallback = null);

    public static async Task<DayFigures> ReadDayAsync(
        WallboardDbContext db, BoardKey key, DateTimeOffset dayStart, DateTimeOffset dayEnd, DateTimeOffset now, int serviceLevelSeconds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var scope = new MetricsQueries.Scope(key.StoreId, key.Department, dayStart, dayEnd, now, serviceLevelSeconds);
        var rows = await MetricsQueries.ReadRowsAsync(db, scope, [new MetricsBucket(0, dayStart, dayEnd, "Today")], MetricsQueries.Parts.Calls, ct);

        var totals = MetricsAggregation.Totals(rows, (_, _) => true);
        var sources = rows.Calls.Select(c => c.SourceId).Distinct()
            .Select(id =>
            {
                var t = MetricsAggregation.Totals(rows, (_, source) => source == id);
                return new SourceCount(id, t.Offered, t.Missed);
            })
            .ToList();
        var answeredBy = rows.Answers.GroupBy(a => a.SalespersonId).ToDictionary(g => g.Key, g => g.Sum(a => a.Answered));
        var missedWhileRung = rows.Rings.Where(r => r.NoAnswer > 0).GroupBy(r => r.SalespersonId).ToDictionary(g => g.Key, g => g.Sum(r => r.NoAnswer));
        var speed = rows.SpeedToCallback.Count == 0
            ? SpeedToCallbackTile.NotYet
            : new SpeedToCallbackTile(Median.Of(rows.SpeedToCallback.Select(s => s.Minutes)), rows.SpeedToCallback.Count);

        var missedOutcomes = CallOutcomes.Missed.Select(o => (CallOutcome?)o).ToList();
        var latest = await db.Calls.AsNoTracking()
            .Where(c => c.StoreId == key.StoreId && c.Department == key.Department && c.StartedAt >= dayStart && c.StartedAt < dayEnd
                && missedOutcomes.Contains(c.Outcome))
            .OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id)
            .Take(MissedTile.MaxListed)
            .Select(c => new { c.Id, c.StartedAt, Outcome = c.Outcome!.Value, c.CallerE164, c.CallerRaw, c.CallerWithheld, c.CallerName, c.LeadSourceId })
            .ToListAsync(ct);
        var recoveries = await MetricsQueries.ReadRecoveriesAsync(db, latest.Select(c => c.Id).ToList(), ct);
        var latestMissed = latest
            .Select(c => new MissedRow(
                c.Id, c.StartedAt, c.Outcome, c.CallerE164, c.CallerRaw, c.CallerWithheld, c.CallerName, c.LeadSourceId,
                recoveries.GetValueOrDefault(c.Id, MissedRecovery.StillOpen)))
            .ToList();

        return new DayFigures(totals, latestMissed, answeredBy, missedWhileRung, sources, speed);
    }
}
