using System.Globalization;
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
}
