using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Metrics;

/// <summary>What a rebuild of the daily roll-ups (<see cref="DailyRollups"/>) has done so far.</summary>
/// <param name="Done">Days rolled up so far, over every store of the run.</param>
/// <param name="Total">Days the run rolls up.</param>
public sealed record RollupProgress(int StoreId, DateOnly Day, int Done, int Total);

/// <summary>
/// Daily roll-ups of the metrics (docs/metrics.md "Daily roll-ups"): a closed store-local day's
/// call facts (<see cref="DailyFacts"/>) are computed once from its calls and kept in
/// <c>MetricsDailyRollups</c>, so a window is its closed days' roll-ups, the days not closed yet
/// read live, and what keeps moving after a day (recovery, call-backs) read for the window.
/// </summary>
/// <remarks>
/// A day is closed <see cref="Grace"/> after the store's next local midnight (a write begun before
/// midnight has committed by then). Only the writers write roll-ups: the minute job
/// (<see cref="KeepCurrentAsync"/>) and <c>rebuild</c> (<see cref="RebuildAsync(WallboardDbContext, int?, IProgress{RollupProgress}?, CancellationToken)"/>);
/// a window that meets a closed day without a current roll-up computes that day in memory
/// (<see cref="FactsAsync"/> never writes). Ingest bumps the roll-up's generation in its own
/// transaction when an event touches a call of a day before today (<see cref="MarkLateCallsAsync"/>),
/// inserting the row if there is none yet, and the generation of later days whose first-time and
/// distinct callers that call can change. A writer claims the row first (inserted if missing),
/// reads its generation, computes, and keeps the facts only if the generation has not moved: a
/// late event that commits at any moment of that leaves the day stale, never wrong.
/// </remarks>
public static class DailyRollups
{
    /// <summary>How long after a store's midnight the day counts as closed and is kept.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    /// <summary>How far back a call's previous call of the same number is looked up: past the longest window, with room for DST.</summary>
    public static readonly TimeSpan GapLookBack = TimeSpan.FromDays(DailyRollup.MaxDays + 2);

    /// <summary>Closed days the minute job keeps current: every day the standard windows read.</summary>
    public const int KeptCurrentDays = DailyRollup.MaxDays;

    // Enums as their numbers, which never change (the names might).
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Each store's zone as ingest's marking last read it, per database: several apps in one process
    // (tests, the bench) each have their own stores under the same ids. A store change forgets it
    // (StoreChanged), so a time-zone change reaches late-call marking at once, not after CalendarKept.
    private static readonly ConcurrentDictionary<(string Database, int StoreId), (StoreCalendar Calendar, DateTimeOffset LoadedAt)> Calendars = new();

    // Counts StoreChanged calls: a zone read before a change is not kept after it.
    private static long _calendarsChanged;

    private static readonly TimeSpan CalendarKept = TimeSpan.FromMinutes(5);

    /// <summary>The rolled generation of a row whose facts were never kept (a claimed or marked day).</summary>
    private const int NeverRolled = -1;

    /// <summary>Whether the store-local day is closed at <paramref name="now"/> (its roll-up can be kept).</summary>
    public static bool IsClosed(StoreCalendar calendar, DateOnly day, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return calendar.DayBounds(day).End + Grace <= now;
    }

    /// <summary>
    /// The facts of each day of the period, first day first: kept roll-ups where current, every
    /// other day (missing or stale roll-up, today, a day in its grace) read from its calls now.
    /// Null when no day of the period has a current roll-up (today, a month never rolled up): the
    /// period is then read from its calls whole, which costs less than day by day. Writes nothing:
    /// readers never contend with ingest or with each other for a roll-up row.
    /// </summary>
    public static async Task<IReadOnlyList<DailyFacts>?> FactsAsync(
        WallboardDbContext db, MetricsQueries.StoreFacts store, MetricsPeriod period, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(period);
        var first = period.FirstDay;
        var last = first.AddDays(period.DayCount - 1);
        // One day reads its hours (the by-hour charts), more days the whole-day facts.
        var hourly = period.DayCount == 1;
        var kept = await db.MetricsDailyRollups.AsNoTracking()
            .Where(r => r.StoreId == store.Id && r.Day >= first && r.Day <= last)
            .Select(r => new { r.Day, r.Generation, r.RolledGeneration, r.DayStart, r.DayEnd, r.ServiceLevelSeconds, Payload = hourly ? r.Hours : r.Payload })
            .ToDictionaryAsync(r => r.Day, ct);
        if (!kept.Any(r => IsCurrent(store, r.Key, r.Value.Generation, r.Value.RolledGeneration, r.Value.DayStart, r.Value.DayEnd, r.Value.ServiceLevelSeconds)))
        {
            return null;
        }

        var facts = new List<DailyFacts>(period.DayCount);
        for (var i = 0; i < period.DayCount; i++)
        {
            var day = first.AddDays(i);
            var row = kept.GetValueOrDefault(day);
            if (row is not null && IsCurrent(store, day, row.Generation, row.RolledGeneration, row.DayStart, row.DayEnd, row.ServiceLevelSeconds)
                && JsonSerializer.Deserialize<DailyFacts>(row.Payload, Json) is { } stored)
            {
                facts.Add(stored);
            }
            else
            {
                facts.Add(await MetricsQueries.ReadDayAsync(db, store, day, now, ct));
            }
        }

        return facts;
    }

    /// <summary>
    /// Rolls up the store's closed days of the last <see cref="KeptCurrentDays"/> that have no roll-up
    /// or a stale one (the day just closed at the store's midnight, days with late events); returns
    /// those kept (a day whose generation moved while it was computed stays stale for the next run).
    /// </summary>
    public static async Task<IReadOnlyList<DateOnly>> KeepCurrentAsync(WallboardDbContext db, MetricsQueries.StoreFacts store, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(store);
        var today = store.Calendar.LocalDate(now);
        var first = today.AddDays(-KeptCurrentDays);
        var kept = await db.MetricsDailyRollups.AsNoTracking()
            .Where(r => r.StoreId == store.Id && r.Day >= first && r.Day < today)
            .Select(r => new { r.Day, r.Generation, r.RolledGeneration, r.DayStart, r.DayEnd, r.ServiceLevelSeconds })
            .ToDictionaryAsync(r => r.Day, ct);
        var rolled = new List<DateOnly>();
        for (var day = first; day < today; day = day.AddDays(1))
        {
            var row = kept.GetValueOrDefault(day);
            if ((row is null || !IsCurrent(store, day, row.Generation, row.RolledGeneration, row.DayStart, row.DayEnd, row.ServiceLevelSeconds))
                && IsClosed(store.Calendar, day, now))
            {
                if (await RollUpAsync(db, store, day, now, ct))
                {
                    rolled.Add(day);
                }
            }
        }

        return rolled;
    }

    /// <summary>Recomputes every roll-up of a store (or of all stores) from the calls, as of now.</summary>
    public static Task<int> RebuildAsync(WallboardDbContext db, int? storeId, IProgress<RollupProgress>? progress, CancellationToken ct) =>
        RebuildAsync(db, storeId, null, null, DateTimeOffset.UtcNow, progress, ct);

    /// <summary>
    /// Recomputes the roll-ups of a store (or of all stores) from the calls: every day closed at
    /// <paramref name="now"/> from <paramref name="from"/> (default: the day of the store's first
    /// call, or the first day the minute job keeps if that is earlier) to <paramref name="to"/>
    /// (default: the last closed day), days without calls included. Without <paramref name="from"/>
    /// the roll-ups of days before the first are removed (their calls are gone). Days not closed at
    /// <paramref name="now"/> have nothing to roll up and are left alone. Returns the days kept
    /// (a day that a late event changed while it was computed stays stale for the minute job).
    /// </summary>
    public static async Task<int> RebuildAsync(
        WallboardDbContext db, int? storeId, DateOnly? from, DateOnly? to, DateTimeOffset now, IProgress<RollupProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var stores = await MetricsQueries.LoadStoresAsync(db, storeId, ct);
        var plan = new List<(MetricsQueries.StoreFacts Store, DateOnly First, DateOnly Last)>();
        foreach (var store in stores)
        {
            var (first, last) = await RangeAsync(db, store, from, to, now, ct);
            if (from is null)
            {
                await db.MetricsDailyRollups.Where(r => r.StoreId == store.Id && r.Day < first).ExecuteDeleteAsync(ct);
            }

            plan.Add((store, first, last));
        }

        var total = plan.Sum(p => Math.Max(0, p.Last.DayNumber - p.First.DayNumber + 1));
        var (done, kept) = (0, 0);
        foreach (var (store, first, last) in plan)
        {
            for (var day = first; day <= last; day = day.AddDays(1))
            {
                kept += await RollUpAsync(db, store, day, now, ct) ? 1 : 0;
                progress?.Report(new RollupProgress(store.Id, day, ++done, total));
            }
        }

        return kept;
    }

    /// <summary>The days <see cref="RebuildAsync(WallboardDbContext, int?, DateOnly?, DateOnly?, DateTimeOffset, IProgress{RollupProgress}?, CancellationToken)"/> rolls up for the store (none when last is before first).</summary>
    public static async Task<(DateOnly First, DateOnly Last)> RangeAsync(
        WallboardDbContext db, MetricsQueries.StoreFacts store, DateOnly? from, DateOnly? to, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(store);
        var today = store.Calendar.LocalDate(now);
        var last = today.AddDays(-1);
        while (!IsClosed(store.Calendar, last, now))
        {
            last = last.AddDays(-1);
        }

        last = to is { } until && until < last ? until : last;
        if (from is { } since)
        {
            return (since, last);
        }

        var firstCall = await db.Calls.AsNoTracking().Where(c => c.StoreId == store.Id && c.Department == Department.Sales)
            .OrderBy(c => c.StartedAt).Select(c => (DateTimeOffset?)c.StartedAt).FirstOrDefaultAsync(ct);
        var kept = today.AddDays(-KeptCurrentDays);
        return (firstCall is { } at && store.Calendar.LocalDate(at) < kept ? store.Calendar.LocalDate(at) : kept, last);
    }

    /// <summary>
    /// For ingest, in its transaction: the calls it wrote that started before their store's today
    /// make their day's roll-up stale (<see cref="MarkAsync"/>). Calls of today cost nothing here
    /// but a time-zone lookup held in memory.
    /// </summary>
    public static async Task MarkLateCallsAsync(WallboardDbContext db, IEnumerable<Call> calls, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(calls);
        var late = new List<(int StoreId, DateTimeOffset StartedAt, string? CallerE164)>();
        foreach (var call in calls)
        {
            var calendar = await CalendarAsync(db, call.StoreId, now, ct);
            if (calendar is not null && call.StartedAt < calendar.DayContaining(now).Start)
            {
                late.Add((call.StoreId, call.StartedAt, call.CallerE164));
            }
        }

        if (late.Count > 0)
        {
            await MarkAsync(db, late, now, ct);
        }
    }

    /// <summary>
    /// In the caller's transaction: makes stale the roll-up of each day before today that holds one of
    /// these calls (its row inserted, stale, if it has none yet, so that a first roll-up of the day
    /// running at the same moment cannot keep facts without the call), and of each later day within
    /// the first-time look-back where the call's number called again (its first-time and distinct
    /// callers move with the call). Each day is marked once.
    /// </summary>
    public static async Task MarkAsync(
        WallboardDbContext db, IReadOnlyCollection<(int StoreId, DateTimeOffset StartedAt, string? CallerE164)> calls, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(calls);
        // Stores and days in order, so that two transactions marking the same days cannot deadlock.
        foreach (var store in calls.GroupBy(c => c.StoreId).OrderBy(g => g.Key))
        {
            var calendar = await CalendarAsync(db, store.Key, now, ct);
            if (calendar is null)
            {
                continue;
            }

            var instants = store.Select(c => c.StartedAt).ToList();
            // Later calls of the same numbers, by the calls' (StoreId, CallerE164, StartedAt) index, a chunk of numbers at a time.
            var numbers = store.Where(c => c.CallerE164 is not null)
                .GroupBy(c => c.CallerE164!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (From: g.Min(c => c.StartedAt), Until: g.Max(c => c.StartedAt) + MetricsQueries.FirstTimeLookBack), StringComparer.Ordinal);
            foreach (var chunk in numbers.Keys.Chunk(500))
            {
                var (from, until) = (chunk.Min(n => numbers[n].From), chunk.Max(n => numbers[n].Until));
                var later = await db.Calls.AsNoTracking()
                    .Where(c => c.StoreId == store.Key && chunk.Contains(c.CallerE164!) && c.StartedAt > from && c.StartedAt <= until)
                    .Select(c => new { Number = c.CallerE164!, c.StartedAt })
                    .ToListAsync(ct);
                instants.AddRange(later.Where(c => c.StartedAt > numbers[c.Number].From && c.StartedAt <= numbers[c.Number].Until).Select(c => c.StartedAt));
            }

            var today = calendar.LocalDate(now);
            foreach (var day in instants.Select(calendar.LocalDate).Where(d => d < today).Distinct().Order())
            {
                var (start, end) = calendar.DayBounds(day);
                var (dayStart, dayEnd) = (start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds());
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "MetricsDailyRollups" ("StoreId", "Day", "DayStart", "DayEnd", "ServiceLevelSeconds", "Generation", "RolledGeneration", "ComputedAt", "Payload", "Hours")
                    VALUES ({store.Key}, {day}, {dayStart}, {dayEnd}, 0, 1, {NeverRolled}, 0, '', '')
                    ON CONFLICT ("StoreId", "Day") DO UPDATE SET "Generation" = "MetricsDailyRollups"."Generation" + 1
                    """, ct);
            }
        }
    }

    /// <summary>
    /// Rolls up one closed day for keeps: claims the day's row (<see cref="ClaimAsync"/>), computes
    /// the facts from the calls, and keeps them only if no late event committed meanwhile
    /// (<see cref="KeepAsync"/>). Any number of writers may run at once, on any node: they write
    /// the same facts. True when the facts were kept.
    /// </summary>
    private static async Task<bool> RollUpAsync(WallboardDbContext db, MetricsQueries.StoreFacts store, DateOnly day, DateTimeOffset now, CancellationToken ct)
    {
        var generation = await ClaimAsync(db, store, day, ct);
        var facts = await MetricsQueries.ReadDayAsync(db, store, day, now, ct);
        return await KeepAsync(db, store, day, generation, facts, now, ct);
    }

    /// <summary>
    /// Inserts the day's row, stale, if there is none (a late event for the day from now on bumps
    /// it, whichever commits first), and returns its generation: the facts read after this hold
    /// every change up to that generation.
    /// </summary>
    internal static async Task<int> ClaimAsync(WallboardDbContext db, MetricsQueries.StoreFacts store, DateOnly day, CancellationToken ct)
    {
        var (start, end) = store.Calendar.DayBounds(day);
        var (dayStart, dayEnd) = (start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds());
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "MetricsDailyRollups" ("StoreId", "Day", "DayStart", "DayEnd", "ServiceLevelSeconds", "Generation", "RolledGeneration", "ComputedAt", "Payload", "Hours")
            VALUES ({store.Id}, {day}, {dayStart}, {dayEnd}, 0, 0, {NeverRolled}, 0, '', '')
            ON CONFLICT ("StoreId", "Day") DO NOTHING
            """, ct);
        return await db.MetricsDailyRollups.AsNoTracking().Where(r => r.StoreId == store.Id && r.Day == day).Select(r => r.Generation).SingleAsync(ct);
    }

    /// <summary>Keeps the day's facts, read after <see cref="ClaimAsync"/> returned <paramref name="generation"/>, if the row is still at it; true when kept.</summary>
    internal static async Task<bool> KeepAsync(
        WallboardDbContext db, MetricsQueries.StoreFacts store, DateOnly day, int generation, DailyFacts facts, DateTimeOffset now, CancellationToken ct)
    {
        var (start, end) = store.Calendar.DayBounds(day);
        var (dayStart, dayEnd, computedAt) = (start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds());
        var payload = JsonSerializer.Serialize(facts.WholeDay(), Json);
        var hours = JsonSerializer.Serialize(facts, Json);
        var serviceLevel = store.Settings.ServiceLevelSeconds;
        return await db.Database.ExecuteSqlAsync($"""
            UPDATE "MetricsDailyRollups" SET "DayStart" = {dayStart}, "DayEnd" = {dayEnd}, "ServiceLevelSeconds" = {serviceLevel},
              "RolledGeneration" = {generation}, "ComputedAt" = {computedAt}, "Payload" = {payload}, "Hours" = {hours}
            WHERE "StoreId" = {store.Id} AND "Day" = {day} AND "Generation" = {generation}
            """, ct) == 1;
    }

    /// <summary>Whether a kept roll-up can stand for its day: not stale, and made with the day's bounds and the store's service level as they are now.</summary>
    private static bool IsCurrent(MetricsQueries.StoreFacts store, DateOnly day, int generation, int rolledGeneration, DateTimeOffset dayStart, DateTimeOffset dayEnd, int serviceLevelSeconds) =>
        generation == rolledGeneration && serviceLevelSeconds == store.Settings.ServiceLevelSeconds && store.Calendar.DayBounds(day) == (dayStart, dayEnd);

    /// <summary>
    /// A store's name, zone, hours or thresholds changed (<c>AdminChanges.StoreChanged</c>, and another
    /// node's announcement of it): the zone late-call marking holds for it is read again, in every
    /// database of this process (ids are per database; reading a zone again costs one query).
    /// </summary>
    public static void StoreChanged(int storeId)
    {
        Interlocked.Increment(ref _calendarsChanged);
        foreach (var key in Calendars.Keys.Where(k => k.StoreId == storeId))
        {
            Calendars.TryRemove(key, out _);
        }
    }

    private static async Task<StoreCalendar?> CalendarAsync(WallboardDbContext db, int storeId, DateTimeOffset now, CancellationToken ct)
    {
        var key = (db.Database.GetConnectionString() ?? string.Empty, storeId);
        if (Calendars.TryGetValue(key, out var held) && now - held.LoadedAt < CalendarKept && now >= held.LoadedAt)
        {
            return held.Calendar;
        }

        var changes = Interlocked.Read(ref _calendarsChanged);
        var zone = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.TimeZoneId).SingleOrDefaultAsync(ct);
        if (zone is null)
        {
            return null;
        }

        var calendar = new StoreCalendar(zone);
        if (Interlocked.Read(ref _calendarsChanged) == changes)
        {
            Calendars[key] = (calendar, now);
        }

        return calendar;
    }
}
