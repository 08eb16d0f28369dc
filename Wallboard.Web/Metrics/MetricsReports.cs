using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Metrics;
using Wallboard.Web.Data;

namespace Wallboard.Web.Metrics;

/// <summary>
/// Computes metrics snapshots (<see cref="MetricsQueries"/>), keeps them (one row per store and
/// window in <c>MetricsSnapshots</c>, and the latest in memory) and publishes each new one through
/// <see cref="IMetricsNotifier"/>. The jobs call <see cref="ComputeAsync"/>; readers call
/// <see cref="GetAsync"/>, which computes on the spot when there is no snapshot of the current
/// period yet (a new day before the next run, a store added a moment ago).
/// </summary>
public sealed partial class MetricsReports(
    IDbContextFactory<WallboardDbContext> dbFactory,
    IMetricsNotifier notifier,
    TimeProvider time,
    ILogger<MetricsReports> logger)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly ConcurrentDictionary<(int StoreId, MetricsWindow Window), MetricsReport> _latest = new();

    /// <summary>How long the last <see cref="ComputeAsync"/> took per window, for logs and the benchmark.</summary>
    public sealed record RunTiming(MetricsWindow Window, int Stores, double Milliseconds);

    /// <summary>
    /// Computes the windows for every store (or one), saves them and publishes them; returns the
    /// reports. Idempotent: a repeat replaces each snapshot with the same figures.
    /// </summary>
    public async Task<IReadOnlyList<MetricsReport>> ComputeAsync(IReadOnlyCollection<MetricsWindow> windows, int? storeId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var now = time.GetUtcNow();
        var reports = new List<(MetricsReport Report, int Milliseconds)>();
        HashSet<(int StoreId, MetricsWindow Window)> existedAtStart;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var stores = await MetricsQueries.LoadStoresAsync(db, storeId, ct);
            var ids = stores.Select(s => s.Id).ToList();
            existedAtStart = (await db.MetricsSnapshots.AsNoTracking().Where(s => ids.Contains(s.StoreId)).Select(s => new { s.StoreId, s.Window }).ToListAsync(ct))
                .Select(k => (k.StoreId, k.Window)).ToHashSet();
            foreach (var store in stores)
            {
                foreach (var window in windows)
                {
                    var watch = Stopwatch.StartNew();
                    var report = await MetricsQueries.ReadAsync(db, store, window, window.Period(store.Calendar, now), now, ct);
                    reports.Add((report, (int)watch.ElapsedMilliseconds));
                }
            }
        }

        IReadOnlyList<MetricsReport> saved = [];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                saved = await SaveAsync(reports, existedAtStart, now, ct);
                break;
            }
            catch (DbUpdateException ex) when (attempt < 3)
            {
                // Another run (the job and a read that found no snapshot, or another node) inserted
                // a snapshot of the same store and window first: it is kept, the rest is saved.
                LogSavedConcurrently(logger, ex.InnerException?.Message ?? ex.Message);
            }
        }

        foreach (var report in saved)
        {
            _latest[(report.StoreId, report.Window)] = report;
        }

        notifier.Publish(saved);
        return reports.Select(r => r.Report).ToList();
    }

    // One row per store and window: updated when it exists, else inserted. A row that another run
    // inserted after this one started is that run's, computed at the same time or later: kept.
    // Answers the reports saved.
    private async Task<IReadOnlyList<MetricsReport>> SaveAsync(
        List<(MetricsReport Report, int Milliseconds)> reports, HashSet<(int StoreId, MetricsWindow Window)> existedAtStart, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = reports.Select(r => r.Report.StoreId).Distinct().ToList();
        var rows = await db.MetricsSnapshots.Where(s => ids.Contains(s.StoreId)).ToListAsync(ct);
        var saved = new List<MetricsReport>(reports.Count);
        foreach (var (report, milliseconds) in reports)
        {
            var row = rows.SingleOrDefault(r => r.StoreId == report.StoreId && r.Window == report.Window);
            if (row is null)
            {
                row = new MetricsSnapshot { StoreId = report.StoreId, Window = report.Window, Payload = string.Empty };
                db.MetricsSnapshots.Add(row);
                rows.Add(row);
            }
            else if (!existedAtStart.Contains((report.StoreId, report.Window)))
            {
                continue;
            }

            row.From = report.From;
            row.To = report.To;
            row.ComputedAt = now;
            row.ElapsedMilliseconds = milliseconds;
            row.Payload = JsonSerializer.Serialize(report, Json);
            saved.Add(report);
        }

        await db.SaveChangesAsync(ct);
        return saved;
    }

    /// <summary>
    /// The stored snapshots of these stores and windows, as another node computed and saved them;
    /// they become this node's latest too. Not published: the caller says where they came from.
    /// </summary>
    public async Task<IReadOnlyList<MetricsReport>> ReadStoredAsync(IReadOnlyCollection<(int StoreId, MetricsWindow Window)> snapshots, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var storeIds = snapshots.Select(s => s.StoreId).Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.MetricsSnapshots.AsNoTracking().Where(s => storeIds.Contains(s.StoreId)).ToListAsync(ct);
        var reports = new List<MetricsReport>();
        foreach (var row in rows.Where(r => snapshots.Contains((r.StoreId, r.Window))))
        {
            if (JsonSerializer.Deserialize<MetricsReport>(row.Payload, Json) is { } report)
            {
                _latest[(report.StoreId, report.Window)] = report;
                reports.Add(report);
            }
        }

        return reports;
    }

    /// <summary>
    /// Rolls up every store's closed days that have no roll-up or a stale one (the day that just
    /// closed at the store's midnight, days that got a late event: <see cref="DailyRollups.KeepCurrentAsync"/>);
    /// returns the stores whose roll-ups changed, so their longer windows are computed again.
    /// </summary>
    public async Task<IReadOnlyList<int>> KeepRollupsCurrentAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var changed = new List<int>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var store in await MetricsQueries.LoadStoresAsync(db, null, ct))
        {
            var days = await DailyRollups.KeepCurrentAsync(db, store, now, ct);
            if (days.Count > 0)
            {
                LogRolledUp(logger, store.Id, days.Count, days[0], days[^1]);
                changed.Add(store.Id);
            }
        }

        return changed;
    }

    /// <summary>
    /// The snapshot of the store's window for the current period: from memory, else the table,
    /// else computed now. Null when there is no such store.
    /// </summary>
    public async Task<MetricsReport?> GetAsync(int storeId, MetricsWindow window, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_latest.TryGetValue((storeId, window), out var cached) && IsCurrent(cached, now))
        {
            return cached;
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var row = await db.MetricsSnapshots.AsNoTracking().SingleOrDefaultAsync(s => s.StoreId == storeId && s.Window == window, ct);
            if (row is not null && JsonSerializer.Deserialize<MetricsReport>(row.Payload, Json) is { } stored && IsCurrent(stored, now))
            {
                _latest[(storeId, window)] = stored;
                return stored;
            }
        }

        LogComputingOnRead(logger, storeId, window);
        return (await ComputeAsync([window], storeId, ct)).SingleOrDefault();
    }

    /// <summary>The latest snapshot held in memory, whatever its period (the TV's fallback check is the caller's).</summary>
    public MetricsReport? Latest(int storeId, MetricsWindow window) => _latest.GetValueOrDefault((storeId, window));

    /// <summary>Whether a report still covers the window's period at <paramref name="now"/> (no local midnight has passed since).</summary>
    public static bool IsCurrent(MetricsReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        var calendar = new Wallboard.Domain.Stores.StoreCalendar(report.TimeZoneId);
        var period = report.Window.Period(calendar, now);
        return period.Start == report.From && period.End == report.To;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics snapshots were saved by another run at the same moment ({Reason}); saving again over them")]
    private static partial void LogSavedConcurrently(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {StoreId}: rolled up {Days} closed days ({First} to {Last})")]
    private static partial void LogRolledUp(ILogger logger, int storeId, int days, DateOnly first, DateOnly last);

    [LoggerMessage(Level = LogLevel.Information, Message = "No current metrics snapshot of store {StoreId} for {Window}: computing it now")]
    private static partial void LogComputingOnRead(ILogger logger, int storeId, MetricsWindow window);
}
