using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Live;
using Wallboard.Web.Data;
using Wallboard.Web.Jobs;
using Wallboard.Web.Metrics;

namespace Wallboard.Tests.Metrics;

/// <summary>
/// Daily roll-ups (docs/metrics.md): windows made of closed days' roll-ups and today read live are
/// the windows recomputed from the calls, figure for figure, across the day the clocks go back; a
/// window never writes (a day without a current roll-up is read from its calls); a change to a
/// closed day's calls makes its roll-up stale and moves the windows, also while the day is being
/// rolled up; writers and readers at once, on SQLite and PostgreSQL; a day is rolled up at the
/// store's midnight.
/// </summary>
public abstract class DailyRollupsTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : DailyRollupsTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : DailyRollupsTests(DatabaseProvider.Postgres);

    // Chicago: Sunday 1 November 2026 has 25 hours (CDT until 02:00, then CST).
    private static readonly DateTimeOffset MondayAfterDst = new(2026, 11, 2, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LateNovember = new(2026, 11, 20, 18, 0, 0, TimeSpan.Zero);
    private static readonly string[] Agents = ["101", "102", "103"];
    private static readonly string[] Sources = ["Cars.com", "Website", "AutoTrader", LeadSource.UnknownName];
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private Task<BoardTestBed> CreateBedAsync(DateTimeOffset now) => BoardTestBed.CreateAsync(now, provider: provider);

    [Fact]
    public async Task Windows_from_rollups_equal_windows_recomputed_from_calls_across_a_DST_change()
    {
        await using var bed = await CreateBedAsync(LateNovember);
        await AddGeneratedCallsAsync(bed, new DateOnly(2026, 9, 25), 57, seed: 12);

        foreach (var now in new[] { MondayAfterDst, MondayAfterDst.AddHours(7), LateNovember })
        {
            // Before the minute job's roll-up (days read from their calls), and after it (from the kept roll-ups).
            foreach (var window in MetricsWindows.All)
            {
                Assert.Equal(await ReadAsync(bed, window, now, fromCalls: true), await ReadAsync(bed, window, now, fromCalls: false));
            }

            await RollUpAsync(bed, now);
            foreach (var window in MetricsWindows.All)
            {
                Assert.Equal(await ReadAsync(bed, window, now, fromCalls: true), await ReadAsync(bed, window, now, fromCalls: false));
            }
        }

        // A whole month (as the source-cost report reads it), October and DST-day November.
        foreach (var (first, days) in new[] { (new DateOnly(2026, 10, 1), 31), (new DateOnly(2026, 11, 1), 30) })
        {
            await using var db = bed.Database.CreateDbContext();
            var store = (await MetricsQueries.LoadStoresAsync(db, bed.Lakeside, default)).Single();
            var period = MetricsPeriod.Days(store.Calendar, first, days);
            Assert.Equal(
                Json(await MetricsQueries.ReadFromCallsAsync(db, store, MetricsWindow.MonthToDate, period, LateNovember, default)),
                Json(await MetricsQueries.ReadAsync(db, store, MetricsWindow.MonthToDate, period, LateNovember, default)));
        }

        await using (var db = bed.Database.CreateDbContext())
        {
            var kept = await db.MetricsDailyRollups.Where(r => r.StoreId == bed.Lakeside).ToListAsync();
            // Every closed day of the last 31 at each run is kept once, current, none of today, the 25-hour Sunday with its own bounds.
            Assert.Equal(kept.Count, kept.Select(r => r.Day).Distinct().Count());
            Assert.All(kept, r => Assert.Equal(r.Generation, r.RolledGeneration));
            Assert.Equal(Enumerable.Range(0, 49).Select(d => new DateOnly(2026, 10, 2).AddDays(d)), kept.Select(r => r.Day).Order());
            var sunday = Assert.Single(kept, r => r.Day == new DateOnly(2026, 11, 1));
            Assert.Equal(TimeSpan.FromHours(25), sunday.DayEnd - sunday.DayStart);
            // October 1st is older than any run kept: the month read it from its calls and wrote nothing.
            Assert.DoesNotContain(kept, r => r.Day == new DateOnly(2026, 10, 1));
        }
    }

    [Fact]
    public async Task A_window_writes_nothing_a_day_without_a_current_rollup_is_read_from_its_calls()
    {
        await using var bed = await CreateBedAsync(LateNovember);
        await AddGeneratedCallsAsync(bed, new DateOnly(2026, 11, 1), 20, seed: 4);

        foreach (var window in MetricsWindows.All)
        {
            Assert.Equal(await ReadAsync(bed, window, LateNovember, fromCalls: true), await ReadAsync(bed, window, LateNovember, fromCalls: false));
        }

        await using (var db = bed.Database.CreateDbContext())
        {
            Assert.Equal(0, await db.MetricsDailyRollups.CountAsync());
        }

        // The store's service level changes: roll-ups counted with the old one are not used.
        await RollUpAsync(bed, LateNovember);
        var before = await ReadAsync(bed, MetricsWindow.Last7Days, LateNovember, fromCalls: false);
        await using (var db = bed.Database.CreateDbContext())
        {
            var store = await db.Stores.SingleAsync(s => s.Id == bed.Lakeside);
            store.Settings.ServiceLevelSeconds = 9;
            await db.SaveChangesAsync();
        }

        var recomputed = await ReadAsync(bed, MetricsWindow.Last7Days, LateNovember, fromCalls: true);
        Assert.NotEqual(before, recomputed);
        Assert.Equal(recomputed, await ReadAsync(bed, MetricsWindow.Last7Days, LateNovember, fromCalls: false));
        Assert.Equal(31, (await RollUpAsync(bed, LateNovember)).Count);
        Assert.Equal(recomputed, await ReadAsync(bed, MetricsWindow.Last7Days, LateNovember, fromCalls: false));
    }

    [Fact]
    public async Task A_change_to_a_closed_days_calls_makes_its_rollup_stale_and_moves_the_windows()
    {
        await using var bed = await CreateBedAsync(LateNovember);
        await AddGeneratedCallsAsync(bed, new DateOnly(2026, 11, 1), 20, seed: 7);
        var day = new DateOnly(2026, 11, 15);
        var calendar = new StoreCalendar("America/Chicago");
        // A new caller on the 17th: first-time, and one of the distinct callers of any window.
        const string number = "+13125559911";
        await bed.AddCallAsync(new CallBuilder("again", calendar.DayBounds(day.AddDays(2)).Start.AddHours(11)).Started(from: number).Ringing("102", 1).Answered("102", 4).Ended(60, CallEndedBy.Agent));
        await RollUpAsync(bed, LateNovember);
        var before = await ReadAsync(bed, MetricsWindow.Last7Days, LateNovember, fromCalls: false);
        var (generation, rolled) = await GenerationsAsync(bed, day);
        Assert.Equal(generation, rolled);

        // A late call for the 15th from that number, as ingest writes it: in one transaction with the mark.
        var late = calendar.DayBounds(day).Start.AddHours(10);
        var call = await bed.AddCallAsync(new CallBuilder("late", late).Started(from: number).Ringing("101", 1).Answered("101", 8).Ended(120, CallEndedBy.Agent));
        await MarkAsync(bed, call);

        // The 15th is stale, and so is the 17th (its caller is no longer first-time nor new in a window from the 15th).
        var (stale, kept) = await GenerationsAsync(bed, day);
        Assert.NotEqual(stale, kept);
        var (laterStale, laterKept) = await GenerationsAsync(bed, day.AddDays(2));
        Assert.NotEqual(laterStale, laterKept);
        var (untouched, untouchedKept) = await GenerationsAsync(bed, day.AddDays(1));
        Assert.Equal(untouched, untouchedKept);

        // The windows move with it at once (the stale days read from their calls), and still equal the recomputed ones.
        var after = await ReadAsync(bed, MetricsWindow.Last7Days, LateNovember, fromCalls: false);
        Assert.NotEqual(before, after);
        Assert.Equal(await ReadAsync(bed, MetricsWindow.Last7Days, LateNovember, fromCalls: true), after);
        using var figures = JsonDocument.Parse(after);
        using var previous = JsonDocument.Parse(before);
        var (was, now) = (previous.RootElement.GetProperty("store"), figures.RootElement.GetProperty("store"));
        Assert.Equal(was.GetProperty("offered").GetInt32() + 1, now.GetProperty("offered").GetInt32());
        // The number is first-time on the 15th now, not on the 17th; still one distinct caller.
        Assert.Equal(was.GetProperty("firstTimeCallers").GetInt32(), now.GetProperty("firstTimeCallers").GetInt32());
        Assert.Equal(was.GetProperty("uniqueCallers").GetInt32(), now.GetProperty("uniqueCallers").GetInt32());

        // The minute job rolls up exactly the two stale days again: current, the same figures.
        Assert.Equal(new[] { day, day.AddDays(2) }, await RollUpAsync(bed, LateNovember));
        (generation, rolled) = await GenerationsAsync(bed, day);
        Assert.Equal(generation, rolled);
        Assert.Equal(stale, generation);
        Assert.Equal(after, await ReadAsync(bed, MetricsWindow.Last7Days, LateNovember, fromCalls: false));
    }

    [Fact]
    public async Task A_late_event_through_ingest_marks_the_closed_day_inserting_its_row_if_missing_and_today_costs_nothing()
    {
        await using var bed = await CreateBedAsync(LateNovember);
        await AddGeneratedCallsAsync(bed, new DateOnly(2026, 11, 10), 10, seed: 3);
        await RollUpAsync(bed, LateNovember);
        var calendar = new StoreCalendar("America/Chicago");
        var day = new DateOnly(2026, 11, 18);
        var (generation, _) = await GenerationsAsync(bed, day);

        // A call of today is not late: nothing is marked.
        var today = await bed.AddCallAsync(new CallBuilder("today", LateNovember.AddHours(-1)).Started(from: "+13125550777").Ended(30));
        await MarkAsync(bed, today);
        Assert.Equal(generation, (await GenerationsAsync(bed, day)).Generation);
        Assert.Null(await RollupAsync(bed, calendar.LocalDate(LateNovember)));

        // A call that started in the last second of the 18th is.
        var lastSecond = await bed.AddCallAsync(new CallBuilder("last-second", calendar.DayBounds(day).End.AddSeconds(-1)).Started(from: null).Ended(30));
        await MarkAsync(bed, lastSecond);
        Assert.Equal(generation + 1, (await GenerationsAsync(bed, day)).Generation);
        Assert.Equal(await ReadAsync(bed, MetricsWindow.Yesterday, LateNovember, fromCalls: true), await ReadAsync(bed, MetricsWindow.Yesterday, LateNovember, fromCalls: false));

        // A late call for a day no one rolled up yet leaves its row, stale: a first roll-up under way cannot keep the day without it.
        var old = new DateOnly(2026, 10, 5);
        var oldCall = await bed.AddCallAsync(new CallBuilder("old", calendar.DayBounds(old).Start.AddHours(9)).Started(from: "+13125550778").Ended(30));
        await MarkAsync(bed, oldCall);
        var (marked, never) = await GenerationsAsync(bed, old);
        Assert.Equal((1, -1), (marked, never));
    }

    [Fact]
    public async Task A_late_call_committed_while_its_day_is_rolled_up_leaves_the_day_stale_never_wrong()
    {
        await using var bed = await CreateBedAsync(LateNovember);
        await AddGeneratedCallsAsync(bed, new DateOnly(2026, 11, 10), 10, seed: 9);
        var calendar = new StoreCalendar("America/Chicago");
        var day = new DateOnly(2026, 11, 18);

        // The minute job starts the day's first roll-up: claims the row, reads the day's calls.
        MetricsQueries.StoreFacts store;
        int generation;
        DailyFacts facts;
        await using (var writer = bed.Database.CreateDbContext())
        {
            store = (await MetricsQueries.LoadStoresAsync(writer, bed.Lakeside, default)).Single();
            generation = await DailyRollups.ClaimAsync(writer, store, day, default);
            facts = await MetricsQueries.ReadDayAsync(writer, store, day, LateNovember, default);
        }

        // Meanwhile ingest commits a late call for the day, with its mark.
        var call = await bed.AddCallAsync(new CallBuilder("late", calendar.DayBounds(day).Start.AddHours(15)).Started(from: "+13125550779").Ringing("101", 1).Answered("101", 3).Ended(90, CallEndedBy.Agent));
        await MarkAsync(bed, call);

        // The job's facts lack the call: not kept. The day stays stale, and windows read it from its calls.
        await using (var writer = bed.Database.CreateDbContext())
        {
            Assert.False(await DailyRollups.KeepAsync(writer, store, day, generation, facts, LateNovember, default));
        }

        var (stale, never) = await GenerationsAsync(bed, day);
        Assert.Equal((generation + 1, -1), (stale, never));
        var recomputed = await ReadAsync(bed, MetricsWindow.Last7Days, LateNovember, fromCalls: true);
        Assert.Equal(recomputed, await ReadAsync(bed, MetricsWindow.Last7Days, LateNovember, fromCalls: false));

        // The next run keeps the day, with the call.
        Assert.Contains(day, await RollUpAsync(bed, LateNovember));
        var rollup = (await RollupAsync(bed, day))!;
        await using (var db = bed.Database.CreateDbContext())
        {
            var (start, end) = calendar.DayBounds(day);
            Assert.Equal(
                await db.Calls.CountAsync(c => c.StoreId == bed.Lakeside && c.Department == Department.Sales && c.StartedAt >= start && c.StartedAt < end),
                JsonSerializer.Deserialize<DailyFacts>(rollup.Payload, WebJson)!.Calls.Sum(g => g.Calls));
        }

        Assert.Equal(recomputed, await ReadAsync(bed, MetricsWindow.Last7Days, LateNovember, fromCalls: false));
    }

    [Fact]
    public async Task Writers_and_readers_at_once_on_days_never_rolled_up_all_succeed_with_one_current_row_per_day()
    {
        await using var bed = await CreateBedAsync(LateNovember);
        await AddGeneratedCallsAsync(bed, new DateOnly(2026, 10, 18), 33, seed: 21);
        var recomputed = await ReadAsync(bed, MetricsWindow.Last30Days, LateNovember, fromCalls: true);

        // Three minute jobs (three nodes) and three screens, all at the same moment, on days without a roll-up.
        using var start = new ManualResetEventSlim();
        var writers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return (await RollUpAsync(bed, LateNovember)).Count;
        })).ToList();
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await ReadAsync(bed, MetricsWindow.Last30Days, LateNovember, fromCalls: false);
        })).ToList();
        start.Set();

        var kept = await Task.WhenAll(writers);
        Assert.All(await Task.WhenAll(readers), read => Assert.Equal(recomputed, read));
        Assert.All(kept, days => Assert.InRange(days, 0, 31));
        await using (var db = bed.Database.CreateDbContext())
        {
            var rows = await db.MetricsDailyRollups.AsNoTracking().Where(r => r.StoreId == bed.Lakeside).ToListAsync();
            Assert.Equal(31, rows.Count);
            Assert.Equal(31, rows.Select(r => r.Day).Distinct().Count());
            Assert.All(rows, r => Assert.Equal(r.Generation, r.RolledGeneration));
        }

        Assert.Equal(recomputed, await ReadAsync(bed, MetricsWindow.Last30Days, LateNovember, fromCalls: false));
    }

    [Fact]
    public async Task A_new_days_rollup_appears_at_the_stores_midnight()
    {
        var calendar = new StoreCalendar("America/Chicago");
        var day = new DateOnly(2026, 11, 19);
        var (start, midnight) = calendar.DayBounds(day);
        await using var bed = await CreateBedAsync(midnight.AddMinutes(-5));
        await AddGeneratedCallsAsync(bed, day.AddDays(-3), 4, seed: 5);
        var job = new MetricsTodayJob(bed.Metrics, bed.Clock, NullLogger<MetricsTodayJob>.Instance);

        // Before midnight the day is today: no roll-up of it.
        await job.Execute(null!);
        Assert.Null(await RollupAsync(bed, day));
        Assert.NotNull(await RollupAsync(bed, day.AddDays(-1)));

        // Midnight, and the grace in which writes begun before it commit: still none.
        bed.Clock.SetUtcNow(midnight.AddSeconds(30));
        await job.Execute(null!);
        Assert.Null(await RollupAsync(bed, day));

        // The next run after it: the day is rolled up, with the day's calls.
        bed.Clock.SetUtcNow(midnight + DailyRollups.Grace + TimeSpan.FromSeconds(30));
        await job.Execute(null!);
        var rollup = await RollupAsync(bed, day);
        Assert.NotNull(rollup);
        Assert.Equal((start, midnight), (rollup.DayStart, rollup.DayEnd));
        var facts = JsonSerializer.Deserialize<DailyFacts>(rollup.Payload, WebJson)!;
        await using (var db = bed.Database.CreateDbContext())
        {
            var calls = await db.Calls.CountAsync(c => c.StoreId == bed.Lakeside && c.Department == Department.Sales && c.StartedAt >= start && c.StartedAt < midnight);
            Assert.True(calls > 0);
            Assert.Equal(calls, facts.Calls.Sum(g => g.Calls));
        }

        // Yesterday's snapshot moved on to it at once.
        var yesterday = bed.Metrics.Latest(bed.Lakeside, MetricsWindow.Yesterday);
        Assert.NotNull(yesterday);
        Assert.Equal(start, yesterday.From);
        Assert.Equal(await ReadAsync(bed, MetricsWindow.Yesterday, bed.Clock.GetUtcNow(), fromCalls: true), Json(yesterday));
    }

    /// <summary>The minute job's roll-up of the store's closed days at <paramref name="now"/>; the days it kept.</summary>
    private static async Task<IReadOnlyList<DateOnly>> RollUpAsync(BoardTestBed bed, DateTimeOffset now)
    {
        await using var db = bed.Database.CreateDbContext();
        var store = (await MetricsQueries.LoadStoresAsync(db, bed.Lakeside, default)).Single();
        return await DailyRollups.KeepCurrentAsync(db, store, now, default);
    }

    private static async Task MarkAsync(BoardTestBed bed, Call call)
    {
        await using var db = bed.Database.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await DailyRollups.MarkLateCallsAsync(db, [call], LateNovember, default);
        await transaction.CommitAsync();
    }

    private static async Task<MetricsDailyRollup?> RollupAsync(BoardTestBed bed, DateOnly day)
    {
        await using var db = bed.Database.CreateDbContext();
        return await db.MetricsDailyRollups.AsNoTracking().SingleOrDefaultAsync(r => r.StoreId == bed.Lakeside && r.Day == day);
    }

    private static async Task<(int Generation, int Rolled)> GenerationsAsync(BoardTestBed bed, DateOnly day)
    {
        var row = await RollupAsync(bed, day) ?? throw new InvalidOperationException($"No roll-up of {day}.");
        return (row.Generation, row.RolledGeneration);
    }

    private static async Task<string> ReadAsync(BoardTestBed bed, MetricsWindow window, DateTimeOffset now, bool fromCalls)
    {
        await using var db = bed.Database.CreateDbContext();
        var store = (await MetricsQueries.LoadStoresAsync(db, bed.Lakeside, default)).Single();
        var period = window.Period(store.Calendar, now);
        var report = fromCalls
            ? await MetricsQueries.ReadFromCallsAsync(db, store, window, period, now, default)
            : await MetricsQueries.ReadAsync(db, store, window, period, now, default);
        return Json(report);
    }

    private static string Json(MetricsReport report) => JsonSerializer.Serialize(report with { ComputedAt = default }, MetricsReports.Json);

    /// <summary>
    /// Calls on every local day from <paramref name="first"/>: a small pool of numbers (repeat and
    /// first-time callers, gaps of every length), withheld callers, four sources, rings, answers,
    /// holds, every outcome, calls at the edges of days, and calls still in progress at the end.
    /// </summary>
    private static async Task AddGeneratedCallsAsync(BoardTestBed bed, DateOnly first, int days, int seed)
    {
        var random = new Random(seed);
        var calendar = new StoreCalendar("America/Chicago");
        var calls = new List<(CallBuilder Call, string Source)>();
        for (var d = 0; d < days; d++)
        {
            var (start, end) = calendar.DayBounds(first.AddDays(d));
            var length = (end - start).TotalSeconds;
            for (var i = 0; i < 18; i++)
            {
                var at = i switch
                {
                    0 => start,
                    1 => end.AddSeconds(-2),
                    _ => start.AddSeconds(Math.Floor(random.NextDouble() * length)),
                };
                var from = random.Next(10) == 0 ? null : $"+1312555{random.Next(60):0000}";
                var call = new CallBuilder($"g{seed}-{d}-{i}", at).Started(from: from);
                var agent = Agents[random.Next(Agents.Length)];
                switch (random.Next(7))
                {
                    case 0:
                        call.Ringing(agent, 1).Answered(agent, 5 + random.Next(40)).Ended(60 + random.Next(300), CallEndedBy.Agent);
                        break;
                    case 1:
                        call.Ringing(agent, 1).RingNoAnswer(agent, 16).Ringing(Agents[(Array.IndexOf(Agents, agent) + 1) % 3], 17).Answered(Agents[(Array.IndexOf(Agents, agent) + 1) % 3], 30)
                            .HoldStarted(40).HoldEnded(40 + random.Next(90)).Ended(400, CallEndedBy.Agent);
                        break;
                    case 2:
                        call.Ringing(agent, 1).RingNoAnswer(agent, 16).Ended(20 + random.Next(60));
                        break;
                    case 3:
                        call.Ended(1 + random.Next(4));
                        break;
                    case 4:
                        call.Voicemail(20, messageLeft: true).Ended(50);
                        break;
                    case 5:
                        call.Answered(agent, 12).HoldStarted(30).Ended(90);
                        break;
                    default:
                        call.Ringing(agent, 1).Answered(agent, 3).Ended(100, CallEndedBy.Agent);
                        break;
                }

                calls.Add((call, Sources[random.Next(Sources.Length)]));
            }
        }

        // Still ringing and talking now (they count once they end or as answered).
        var last = calendar.DayBounds(first.AddDays(days - 1)).Start.AddHours(12);
        calls.Add((new CallBuilder($"g{seed}-ringing", last).Started(from: "+13125550001").Ringing("101", 1), "Website"));
        calls.Add((new CallBuilder($"g{seed}-talking", last).Started(from: "+13125550002").Ringing("102", 1).Answered("102", 6), "Website"));
        foreach (var source in calls.GroupBy(c => c.Source))
        {
            await bed.AddCallsAsync(source.Select(c => c.Call), source: source.Key);
        }

        // Other departments count for first-time callers only.
        await bed.AddCallAsync(new CallBuilder($"g{seed}-service", calendar.DayBounds(first).Start.AddHours(9)).Started(from: "+13125550003").Ended(30), department: Department.Service);
    }
}
