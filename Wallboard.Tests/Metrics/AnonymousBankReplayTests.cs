using System.Data;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Web.Data;
using Wallboard.Web.Metrics;
using Xunit.Abstractions;

namespace Wallboard.Tests.Metrics;

/// <summary>
/// A real month of a call centre (../shared/data/anonymous-bank/august.csv, 26,011 queued calls)
/// replayed through the signed ingest API of the running app, then counted by the metrics
/// queries: the month's served and abandoned callers, the short abandons and their mean waits
/// must come out exactly as the rows give them.
/// </summary>
public abstract class AnonymousBankReplayTests(DatabaseProvider provider, ITestOutputHelper output)
{
    public sealed class OnSqlite(ITestOutputHelper output) : AnonymousBankReplayTests(DatabaseProvider.Sqlite, output);

    public sealed class OnPostgres(ITestOutputHelper output) : AnonymousBankReplayTests(DatabaseProvider.Postgres, output);

    private sealed class ReplayApp : WallboardAppFactory
    {
        // The recording is from 2010: accept old events; nothing else changes.
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Wallboard:Ingest:MaxEventAgeDays"] = "100000",
        };
    }

    [Fact]
    public async Task August_replayed_through_ingest_gives_the_months_counts_and_mean_waits_the_rows_give()
    {
        var rows = BankMonth.ReadQueuedRows();
        var served = rows.Where(r => r.Served).ToList();
        var hungUp = rows.Where(r => !r.Served).ToList();
        // §3: hanging up sooner than the store's threshold (5 s) after the start is a short abandon.
        var shortAbandons = hungUp.Where(r => r.QueueSeconds < 5).ToList();
        var abandoned = hungUp.Where(r => r.QueueSeconds >= 5).ToList();

        await using var app = new ReplayApp { Provider = provider };
        await app.InitializeAsync();
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        var (storeId, calendar) = await ReplayAsync(app, rows);

        MetricsReport month;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var facts = (await MetricsQueries.LoadStoresAsync(db, storeId, CancellationToken.None)).Single();
            var august = MetricsPeriod.Days(calendar, new DateOnly(2010, 8, 1), 31);
            month = await MetricsQueries.ReadAsync(db, facts, MetricsWindow.MonthToDate, august, DateTimeOffset.UtcNow, CancellationToken.None);
        }

        var figures = month.Store;
        Assert.Equal(rows.Count, figures.Offered);
        Assert.Equal(0, figures.InProgress);
        Assert.Equal(served.Count, figures.Connected);
        Assert.Equal(abandoned.Count, figures.Abandoned);
        Assert.Equal(abandoned.Count, figures.Missed);
        Assert.Equal(shortAbandons.Count, figures.ShortAbandons);
        Assert.Equal(served.Average(r => r.QueueSeconds), figures.AsaSeconds!.Value, 9);
        Assert.Equal(abandoned.Average(r => r.QueueSeconds), figures.AvgAbandonWaitSeconds!.Value, 9);
        Assert.Equal(rows.Max(r => r.QueueSeconds), figures.LongestWaitSeconds);
        Assert.Equal((double)served.Count / (rows.Count - shortAbandons.Count), figures.AnswerRate!.Value, 12);
        // Each day of the month's series holds that day's rows.
        Assert.Equal(31, month.Series.Count);
        foreach (var day in month.Series.Select((point, i) => (point, date: new DateTime(2010, 8, 1 + i, 0, 0, 0, DateTimeKind.Unspecified))))
        {
            Assert.Equal(rows.Count(r => r.QueueStart.Date == day.date), day.point.Offered);
        }

        output.WriteLine($"served {served.Count:N0} (mean wait {figures.AsaSeconds:F2} s), abandoned {abandoned.Count:N0} (mean wait {figures.AvgAbandonWaitSeconds:F2} s), short abandons {shortAbandons.Count:N0}");
    }

    [Fact]
    public async Task August_from_daily_rollups_equals_August_recomputed_from_the_calls()
    {
        await using var app = new ReplayApp { Provider = provider };
        await app.InitializeAsync();
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        var (storeId, calendar) = await ReplayAsync(app, BankMonth.ReadQueuedRows());

        await using var db = await factory.CreateDbContextAsync();
        var store = (await MetricsQueries.LoadStoresAsync(db, storeId, CancellationToken.None)).Single();
        var now = DateTimeOffset.UtcNow;
        var (first, last) = (new DateOnly(2010, 8, 1), new DateOnly(2010, 8, 31));
        var (august, week, day) = (MetricsPeriod.Days(calendar, first, 31), MetricsPeriod.Days(calendar, new DateOnly(2010, 8, 9), 7), MetricsPeriod.Days(calendar, new DateOnly(2010, 8, 17), 1));
        // Before the month is rolled up (its days read from their calls, nothing written), then from its roll-ups: the month, a week, one day by hour.
        // Each pair is read in one snapshot: the running app's sweep keeps escalating the month's call-backs meanwhile.
        await using (await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead))
        {
            Assert.Equal(await RecomputedAsync(august), await FromRollupsAsync(august));
        }

        Assert.Equal(0, await db.MetricsDailyRollups.CountAsync(r => r.StoreId == storeId && r.Day >= first && r.Day <= last && r.RolledGeneration >= 0));
        Assert.Equal(31, await DailyRollups.RebuildAsync(db, storeId, first, last, now, null, CancellationToken.None));
        foreach (var period in new[] { august, week, day })
        {
            await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead);
            Assert.Equal(await RecomputedAsync(period), await FromRollupsAsync(period));
        }

        Assert.Equal(31, await db.MetricsDailyRollups.CountAsync(r => r.StoreId == storeId && r.Day >= first && r.Day <= last && r.Generation == r.RolledGeneration));

        async Task<string> RecomputedAsync(MetricsPeriod period) =>
            JsonSerializer.Serialize(await MetricsQueries.ReadFromCallsAsync(db, store, MetricsWindow.MonthToDate, period, now, CancellationToken.None), MetricsReports.Json);

        async Task<string> FromRollupsAsync(MetricsPeriod period) =>
            JsonSerializer.Serialize(await MetricsQueries.ReadAsync(db, store, MetricsWindow.MonthToDate, period, now, CancellationToken.None), MetricsReports.Json);
    }

    /// <summary>The rows' events through the signed ingest API into the first store; returns it.</summary>
    private async Task<(int StoreId, StoreCalendar Calendar)> ReplayAsync(ReplayApp app, List<BankMonth.BankCall> rows)
    {
        var ingest = new SignedIngestClient(app);
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        string trackingNumber;
        StoreCalendar calendar;
        int storeId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var store = await db.Stores.OrderBy(s => s.Id).FirstAsync();
            (storeId, calendar) = (store.Id, store.Calendar);
            trackingNumber = await db.TrackingNumbers.Where(t => t.StoreId == store.Id && t.Department == Department.Sales).OrderBy(t => t.Id).Select(t => t.E164).FirstAsync();
        }

        var events = rows.SelectMany(r => BankMonth.EventsOf(r, calendar, trackingNumber)).ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var batch in events.Chunk(1000))
        {
            using var response = await ingest.PostEventsAsync(batch);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            Assert.Contains($"\"accepted\":{batch.Length}", body, StringComparison.Ordinal);
        }

        output.WriteLine($"{rows.Count:N0} calls, {events.Count:N0} events ingested in {watch.Elapsed.TotalSeconds:F1} s");
        return (storeId, calendar);
    }
}
