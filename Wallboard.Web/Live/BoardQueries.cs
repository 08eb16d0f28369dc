using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Calls;
using Wallboard.Web.Data;

namespace Wallboard.Web.Live;

/// <summary>
/// Today's counters of one board, read with aggregates over the calls index
/// (<c>StoreId, Department, StartedAt</c>) for the store-local day: a day's calls are counted in
/// the database, never loaded. Recovery looks up later calls of the same number through the
/// (<c>StoreId, CallerE164, StartedAt</c>) index.
/// </summary>
public static class BoardQueries
{
    private static readonly CallOutcome?[] MissedOutcomes =
        [CallOutcome.AbandonedOnHold, CallOutcome.Voicemail, CallOutcome.Abandoned, CallOutcome.NoAnswer];

    public sealed record DayTotals(int Offered, int Ended, int ShortAbandons, int Connected, int Missed, int ConnectedWithinServiceLevel, int Recovered);

    public sealed record MissedRow(
        long Id, DateTimeOffset StartedAt, CallOutcome Outcome, string? CallerE164, string? CallerRaw, bool CallerWithheld,
        string? CallerName, int? LeadSourceId, bool Recovered);

    public sealed record SourceCount(int? LeadSourceId, int Calls, int Missed);

    public sealed record DayFigures(
        DayTotals Totals,
        IReadOnlyList<MissedRow> LatestMissed,
        IReadOnlyDictionary<int, int> AnsweredBy,
        IReadOnlyDictionary<int, int> MissedWhileRung,
        IReadOnlyList<SourceCount> Sources);

    public static async Task<DayFigures> ReadDayAsync(
        WallboardDbContext db, BoardKey key, DateTimeOffset dayStart, DateTimeOffset dayEnd, int serviceLevelSeconds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var storeId = key.StoreId;
        var today = db.Calls.AsNoTracking()
            .Where(c => c.StoreId == storeId && c.Department == key.Department && c.StartedAt >= dayStart && c.StartedAt < dayEnd);

        var totals = await today
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Offered = g.Count(),
                Ended = g.Count(c => c.EndedAt != null),
                ShortAbandons = g.Count(c => c.Outcome == CallOutcome.ShortAbandon),
                Connected = g.Count(c => c.Outcome == CallOutcome.Connected),
                Missed = g.Count(c => MissedOutcomes.Contains(c.Outcome)),
                WithinServiceLevel = g.Count(c => c.Outcome == CallOutcome.Connected && c.WaitSeconds <= serviceLevelSeconds),
            })
            .SingleOrDefaultAsync(ct);

        // A missed caller is recovered when the same number got through to the store later today.
        var missed = today.Where(c => MissedOutcomes.Contains(c.Outcome));
        var recoveredCount = await missed
            .CountAsync(c => c.CallerE164 != null && db.Calls.Any(later =>
                later.StoreId == storeId && later.CallerE164 == c.CallerE164 && later.StartedAt > c.StartedAt
                && later.StartedAt < dayEnd && later.Outcome == CallOutcome.Connected), ct);

        var latestMissed = await missed
            .OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id)
            .Take(MissedTile.MaxListed)
            .Select(c => new MissedRow(
                c.Id, c.StartedAt, c.Outcome!.Value, c.CallerE164, c.CallerRaw, c.CallerWithheld, c.CallerName, c.LeadSourceId,
                c.CallerE164 != null && db.Calls.Any(later =>
                    later.StoreId == storeId && later.CallerE164 == c.CallerE164 && later.StartedAt > c.StartedAt
                    && later.StartedAt < dayEnd && later.Outcome == CallOutcome.Connected)))
            .ToListAsync(ct);

        var answeredBy = await today
            .Where(c => c.AnsweredBySalespersonId != null)
            .GroupBy(c => c.AnsweredBySalespersonId!.Value)
            .Select(g => new { SalespersonId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.SalespersonId, x => x.Count, ct);

        var missedWhileRung = await (
                from ring in db.CallRings
                join call in today on ring.CallId equals call.Id
                where ring.Result == RingResult.NoAnswer && ring.SalespersonId != null
                group ring by ring.SalespersonId!.Value into g
                select new { SalespersonId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.SalespersonId, x => x.Count, ct);

        var sources = await today
            .GroupBy(c => c.LeadSourceId)
            .Select(g => new SourceCount(g.Key, g.Count(), g.Count(c => MissedOutcomes.Contains(c.Outcome))))
            .ToListAsync(ct);

        var dayTotals = totals is null
            ? new DayTotals(0, 0, 0, 0, 0, 0, 0)
            : new DayTotals(totals.Offered, totals.Ended, totals.ShortAbandons, totals.Connected, totals.Missed, totals.WithinServiceLevel, recoveredCount);
        return new DayFigures(dayTotals, latestMissed, answeredBy, missedWhileRung, sources);
    }

    /// <summary>
    /// §5 tile 6: the median minutes from a missed call to the first call-back attempt, over the
    /// call-backs whose first miss was today and that have been tried.
    /// </summary>
    public static async Task<SpeedToCallbackTile> ReadSpeedToCallbackAsync(
        WallboardDbContext db, BoardKey key, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var tried = await db.Callbacks.AsNoTracking()
            .Where(c => c.StoreId == key.StoreId && c.Department == key.Department
                && c.FirstMissedAt >= start && c.FirstMissedAt < end && c.FirstAttemptAt != null)
            .Select(c => new { c.FirstMissedAt, c.FirstAttemptAt })
            .ToListAsync(ct);
        if (tried.Count == 0)
        {
            return SpeedToCallbackTile.NotYet;
        }

        var minutes = tried.Select(c => (c.FirstAttemptAt!.Value - c.FirstMissedAt).TotalMinutes).Order().ToList();
        var middle = minutes.Count / 2;
        var median = minutes.Count % 2 == 1 ? minutes[middle] : (minutes[middle - 1] + minutes[middle]) / 2;
        return new SpeedToCallbackTile(median, tried.Count);
    }
}
