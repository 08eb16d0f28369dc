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

namespace Wallboard.Tests.Rebuild;

/// <summary>
/// The real recordings played once through the incremental path of a running app: the August bank
/// month (../shared/data/anonymous-bank/august.csv, 26,011 queued calls, posted as signed §4 events in
/// batches, as <c>AnonymousBankReplayTests</c> posts them) and the PBXware queue log (108 calls,
/// posted to the queue-log endpoint). The app is then stopped and its database kept; each test
/// works on a copy of it (<see cref="CopyDatabase"/>).
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

    /// <summary>The calls the recordings make: the bank month's queued calls and the queue log's callers.</summary>
    public int Calls { get; private set; }

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
                var store = await db.Stores.OrderBy(s => s.Id).FirstAsync();
                (StoreId, Calendar) = (store.Id, store.Calendar);
                trackingNumber = await db.TrackingNumbers.Where(t => t.StoreId == store.Id && t.Department == Department.Sales)
                    .OrderBy(t => t.Id).Select(t => t.E164).FirstAsync();
            }

            var rows = BankMonth.ReadQueuedRows();
            foreach (var batch in rows.SelectMany(r => BankMonth.EventsOf(r, Calendar, trackingNumber)).Chunk(1000))
            {
                using var response = await ingest.PostEventsAsync(batch);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, body);
                Assert.Contains($"\"accepted\":{batch.Length}", body, StringComparison.Ordinal);
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
            foreach (var file in Directory.GetFiles(data, "wallboard.db*"))
            {
                File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
            }
        }
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
