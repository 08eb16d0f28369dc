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

    /// <summary>One queued row of the file: when it reached the queue, how long it waited, what came of it.</summary>
    private sealed record BankCall(string Id, DateTime QueueStart, int QueueSeconds, bool Served, int ServiceSeconds, string Server, string Customer);

    [Fact]
    public async Task August_replayed_through_ingest_gives_the_months_counts_and_mean_waits_the_rows_give()
    {
        var rows = ReadQueuedRows();
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

        var events = rows.SelectMany(r => EventsOf(r, calendar, trackingNumber)).ToList();
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

    private static List<BankCall> ReadQueuedRows()
    {
        var lines = File.ReadAllLines(SharedData.PathTo("anonymous-bank", "august.csv"));
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var (date, qStart, qTime, outcome, serTime, server, customer) =
            (Column("date"), Column("q_start"), Column("q_time"), Column("outcome"), Column("ser_time"), Column("server"), Column("customer_id"));
        var calls = new List<BankCall>();
        for (var i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            // Only calls that reached the queue; a PHANTOM is neither served nor a caller who hung up.
            if (f[qStart] == "0:00:00" || f[outcome] is not ("AGENT" or "HANG"))
            {
                continue;
            }

            var day = DateTime.ParseExact(f[date], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var start = day + TimeSpan.Parse(f[qStart], CultureInfo.InvariantCulture);
            calls.Add(new BankCall(
                $"bank-{i}", start, int.Parse(f[qTime], CultureInfo.InvariantCulture), f[outcome] == "AGENT",
                int.Parse(f[serTime], CultureInfo.InvariantCulture), f[server], f[customer]));
        }

        return calls;
    }

    // §4 events of one row, its wall-clock times read in the store's zone: started when it reached
    // the queue, answered after its queue time (served) or ended by the caller after it (hung up).
    private static IEnumerable<CallEvent> EventsOf(BankCall call, StoreCalendar calendar, string trackingNumber)
    {
        var local = NodaTime.LocalDateTime.FromDateTime(call.QueueStart);
        var start = calendar.Zone.AtLeniently(local).ToDateTimeOffset().ToUniversalTime();
        var from = call.Customer is "0" or "" ? null : $"+1312{2_000_000 + (long.Parse(call.Customer, CultureInfo.InvariantCulture) % 7_000_000):0000000}";
        yield return new CallEvent { EventId = $"{call.Id}-1", CallId = call.Id, Type = CallEventType.Started, At = start, From = from, To = trackingNumber };
        if (call.Served)
        {
            var answered = start.AddSeconds(call.QueueSeconds);
            yield return new CallEvent { EventId = $"{call.Id}-2", CallId = call.Id, Type = CallEventType.Answered, At = answered, Agent = call.Server };
            yield return new CallEvent
            {
                EventId = $"{call.Id}-3", CallId = call.Id, Type = CallEventType.Ended, At = answered.AddSeconds(call.ServiceSeconds), EndedBy = CallEndedBy.Agent,
            };
        }
        else
        {
            yield return new CallEvent
            {
                EventId = $"{call.Id}-2", CallId = call.Id, Type = CallEventType.Ended, At = start.AddSeconds(call.QueueSeconds), EndedBy = CallEndedBy.Caller,
            };
        }
    }
}
