using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;
using Wallboard.Web.Metrics;

namespace Wallboard.Tests.Rebuild;

/// <summary>
/// The real recordings played once through the incremental path of a running app: the August bank
/// month (../shared/data/anonymous-bank/august.csv, 26,011 queued calls, posted as signed §4 events in
/// batches, as <c>AnonymousBankReplayTests</c> posts them) and the PBXware queue log (108 calls,
/// posted to the queue-log endpoint). The metrics' daily roll-ups are made as the minute job makes
/// them at <see cref="MetricsNow"/>: once half-way through the month, so the second half's calls
/// arrive as late events for days already rolled up (ingest marks them stale), and again at the end.
/// The app is then stopped and its database kept; each test works on a copy of it (<see cref="CopyDatabase"/>).
/// </summary>
public sealed class RecordedHistory : IAsyncLifetime
{
    private sealed class ReplayApp(string dataDirectory) : WallboardAppFactory(dataDirectory)
    {
        // The recordings are from 2010 and 2018: accept old events; nothing else changes.
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Wallboard:Ingest:MaxEventAgeDays"] = "100000",
        };
    }

    private readonly string _folder = Directory.CreateTempSubdirectory("wallboard-rebuild-").FullName;

    /// <summary>What the rebuild tests count as now: mid-August 2010, so every metrics window holds bank calls.</summary>
    public static readonly DateTimeOffset MetricsNow = new(2010, 8, 20, 20, 0, 0, TimeSpan.Zero);

    /// <summary>Roll-ups that late calls of the month's second half made stale, rolled up again by the second run.</summary>
    public int RolledUpAgain { get; private set; }

    /// <summary>The calls the recordings make: the bank month's queued calls and the queue log's callers.</summary>
    public int Calls { get; private set; }

    /// <summary>How many stores the database holds (the demo dealer group).</summary>
    public int Stores { get; private set; }

    /// <summary>The first store: where the bank month was dialled.</summary>
    public int StoreId { get; private set; }

    public StoreCalendar Calendar { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var app = new ReplayApp(Directory.CreateDirectory(Path.Combine(_folder, "app")).FullName);
        try
        {
            await app.InitializeAsync();
            var ingest = new SignedIngestClient(app);
            var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
            string trackingNumber;
            await using (var db = await factory.CreateDbContextAsync())
            {
                Stores = await db.Stores.CountAsync();
                var store = await db.Stores.OrderBy(s => s.Id).FirstAsync();
                (StoreId, Calendar) = (store.Id, store.Calendar);
                trackingNumber = await db.TrackingNumbers.Where(t => t.StoreId == store.Id && t.Department == Department.Sales)
                    .OrderBy(t => t.Id).Select(t => t.E164).FirstAsync();
            }

            var rows = BankMonth.ReadQueuedRows();
            var batches = rows.SelectMany(r => BankMonth.EventsOf(r, Calendar, trackingNumber)).Chunk(1000).ToList();
            for (var i = 0; i < batches.Count; i++)
            {
                if (i == batches.Count / 2)
                {
                    await using var db = await factory.CreateDbContextAsync();
                    Assert.NotEmpty(await RollUpAsync(db));
                }

                using var response = await ingest.PostEventsAsync(batches[i]);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, body);
                Assert.Contains($"\"accepted\":{batches[i].Length}", body, StringComparison.Ordinal);
            }

            var log = Encoding.UTF8.GetBytes(await File.ReadAllTextAsync(SharedData.PathTo("asterisk-queue-log", "pbxware-2018.queue_log")));
            using (var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/integrations/{ingest.IntegrationId}/asterisk/queue-log") { Content = new ByteArrayContent(log) })
            {
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
                request.Headers.Add(RequestSignature.SignatureHeader,
                    RequestSignature.Sign(ingest.Credentials.Integration.Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), log));
                using var response = await ingest.Http.SendAsync(request);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }

            Calls = rows.Count + 108;
        }
        finally
        {
            // Stopped, as rebuild expects: the ingest queue drains, the jobs stop, the file is closed.
            var data = app.DataDirectory;
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            await using (var db = WallboardDatabase.CreateContext(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(data, "wallboard.db")};Pooling=False"))
            {
                RolledUpAgain = (await RollUpAsync(db)).Count;
            }

            foreach (var file in Directory.GetFiles(data, "wallboard.db*"))
            {
                File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
            }
        }
    }

    /// <summary>The minute job's roll-up of every store's closed days at <see cref="MetricsNow"/>; the days kept.</summary>
    private static async Task<List<DateOnly>> RollUpAsync(WallboardDbContext db)
    {
        var days = new List<DateOnly>();
        foreach (var store in await MetricsQueries.LoadStoresAsync(db, null, CancellationToken.None))
        {
            days.AddRange(await DailyRollups.KeepCurrentAsync(db, store, MetricsNow, CancellationToken.None));
        }

        return days;
    }

    /// <summary>A copy of the stopped app's database in a folder of its own (deleted with the fixture).</summary>
    public string CopyDatabase()
    {
        var copy = Directory.CreateDirectory(Path.Combine(_folder, Guid.NewGuid().ToString("N"))).FullName;
        foreach (var file in Directory.GetFiles(_folder, "wallboard.db*"))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return Path.Combine(copy, "wallboard.db");
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
