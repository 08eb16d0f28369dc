using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;
using Wallboard.Tests.Browser;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Ingest;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// The scale-out proof with real parts (docs/scale-out.md): a throwaway PostgreSQL, two app nodes as
/// real processes on two loopback ports, and HAProxy 2.6 in front of them with the configuration in
/// <c>deploy/haproxy.cfg</c> (node cookie, health checks, WebSocket timeouts). A TV page in Chromium,
/// opened through the balancer, sits on the node that runs the call-back sweep; events posted to the
/// other node reach it within a second; then that node is killed with <c>kill -9</c> while events are
/// posted through the balancer: no acknowledged event is lost, the balancer takes the node out, the
/// TV says it is reconnecting, lands on the survivor and is live again by itself, and the survivor's
/// sweep marks a call-back overdue that fell due after the death. The figures are written to the
/// test output. Everything started is stopped, also when an assertion fails.
/// </summary>
public sealed class TwoNodeProofTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    private const string Haproxy = "/usr/sbin/haproxy";
    private const string CarsComLine = "+16305550104";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(5);

    // The demo stores' call-back target (StoreSettings.CallbackSlaMinutes).
    private static readonly TimeSpan CallbackSla = TimeSpan.FromMinutes(15);

    [Fact(Skip = "Not green yet: on the loaded build machine the event posted to the survivor reaches the other node (its log shows the change message applied) but the TV on that node did not show the caller within 10 s; the kill -9 half has not run yet. See docs/scale-out.md, 'Proven with real parts'.")]
    public async Task Two_nodes_behind_HAProxy_keep_the_TV_live_and_lose_no_acknowledged_event_when_one_is_killed()
    {
        Assert.True(File.Exists(Haproxy), $"HAProxy is not installed ({Haproxy}): apt-get install -y haproxy");
        await using var postgres = new PostgresFixtureScope();
        await postgres.Server.InitializeAsync();
        var folder = Directory.CreateTempSubdirectory("wallboard-proof-").FullName;
        var processes = new List<ServiceProcess>();
        try
        {
            var database = postgres.Server.NewDatabase("proof");
            var ports = (A: TestPorts.Take(), B: TestPorts.Take(), Balancer: TestPorts.Take(), Stats: TestPorts.Take());
            var a = StartNode("a", ports.A, database, folder);
            var b = StartNode("b", ports.B, database, folder);
            processes.AddRange([a, b]);
            await Task.WhenAll(WaitHealthyAsync(ports.A), WaitHealthyAsync(ports.B));
            var balancer = StartHaproxy(ports, Path.Combine(SharedData.RepositoryRoot, "deploy", "haproxy.cfg"));
            processes.Add(balancer);
            var front = new Uri($"http://127.0.0.1:{ports.Balancer}/");
            await WaitHealthyAsync(ports.Balancer);
            await WaitServerStatusAsync(ports.Stats, "a", "UP", TimeSpan.FromSeconds(30));
            await WaitServerStatusAsync(ports.Stats, "b", "UP", TimeSpan.FromSeconds(30));

            // Which node runs the sweep: a call-back already past due is marked overdue by whichever
            // node's scheduler fires the sweep, and that node says so in its log.
            var nodeA = new SignedIngestClient(new Uri($"http://127.0.0.1:{ports.A}/"), folder);
            var lakeside = nodeA.Credentials.Stores[0];
            await OpenAllWeekAsync(postgres.Server, database, lakeside.Id);
            await PostAsync(nodeA, new CallBuilder("proof-overdue-before", DateTimeOffset.UtcNow.AddMinutes(-20)).Started(from: "+13125550801", to: CarsComLine).Queued().Ended(30));
            var swept = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = a.WaitForLineAsync(IsSweepLine, TimeSpan.FromSeconds(90)).ContinueWith(t => t.IsCompletedSuccessfully && swept.TrySetResult(), TaskScheduler.Default);
            _ = b.WaitForLineAsync(IsSweepLine, TimeSpan.FromSeconds(90)).ContinueWith(t => t.IsCompletedSuccessfully && swept.TrySetResult(), TaskScheduler.Default);
            await swept.Task.WaitAsync(TimeSpan.FromSeconds(90));
            var victimCookie = a.Log.Contains("Call-back sweep changed", StringComparison.Ordinal) ? "a" : "b";
            var (victim, survivor, survivorPort) = victimCookie == "a" ? (a, b, ports.B) : (b, a, ports.A);
            output.WriteLine($"The sweep ran on node {victimCookie}: the TV goes there, and that node is killed.");

            // The TV, through the balancer, on the sweeping node (its node cookie set as HAProxy would).
            await using var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1920, Height = 1080 } });
            await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "SRV", Value = victimCookie, Domain = "127.0.0.1", Path = "/" }]);
            var page = await context.NewPageAsync();
            var link = nodeA.Credentials.DisplayLinks!.First(l => l.StoreId == lakeside.Id);
            await page.GotoAsync(new Uri(front, new Uri(link.Url).PathAndQuery).ToString());
            await TvBrowserTests.WaitUntilLiveAsync(page, timeout: 60_000);
            Assert.Equal(victimCookie, (await context.CookiesAsync()).Single(c => c.Name == "SRV").Value);

            // 1. An event posted to the other node, on this TV within a second, five times.
            var survivorIngest = new SignedIngestClient(new Uri($"http://127.0.0.1:{survivorPort}/"), folder);
            var latencies = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var number = $"+1312555{0820 + i:0000}";
                var masked = "•••-•••-" + number[^4..];
                await WatchForAsync(page, masked);
                var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                await PostAsync(survivorIngest, new CallBuilder($"proof-latency-{i}", DateTimeOffset.UtcNow.AddSeconds(-2)).Started(from: number, to: CarsComLine));
                var shownAt = await SeenAtAsync(page, masked, 10_000);
                latencies.Add(shownAt - sent);
            }

            output.WriteLine($"Event on node {(victimCookie == "a" ? "b" : "a")} → TV on node {victimCookie}: {string.Join(", ", latencies.Select(l => $"{l:0} ms"))} (max {latencies.Max():0} ms)");
            Assert.All(latencies, l => Assert.True(l <= 1_000, $"An event took {l:0} ms to reach the TV on the other node."));

            // 2. A call-back that falls due a few seconds after the death of the sweeping node.
            var dueIn = TimeSpan.FromSeconds(8);
            await PostAsync(nodeA, new CallBuilder("proof-overdue-after", DateTimeOffset.UtcNow - CallbackSla + dueIn).Started(from: "+13125550809", to: CarsComLine).Queued().Ended(1));

            // 3. Events through the balancer, flat out from four senders, while the TV's node is killed.
            var balancerIngest = new SignedIngestClient(front, folder);
            var acknowledged = new ConcurrentBag<string>();
            var refused = 0;
            using var stopPosting = new CancellationTokenSource();
            var posting = Enumerable.Range(0, 4).Select(sender => Task.Run(async () =>
            {
                for (var n = 0; !stopPosting.IsCancellationRequested; n++)
                {
                    var id = $"proof-kill-{sender}-{n}";
                    try
                    {
                        var events = new CallBuilder(id, DateTimeOffset.UtcNow.AddSeconds(-1)).Started(from: $"+1773555{(sender * 1000 + n) % 10000:0000}", to: CarsComLine).Events;
                        using var response = await balancerIngest.PostEventsAsync(events);
                        if (response.IsSuccessStatusCode)
                        {
                            foreach (var e in events)
                            {
                                acknowledged.Add(e.EventId);
                            }
                        }
                        else
                        {
                            Interlocked.Increment(ref refused);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref refused);
                    }
                }
            })).ToList();
            while (acknowledged.Count < 20)
            {
                await Task.Delay(50);
            }

            var banner = page.Locator(".tv-banner");
            var killedAt = Stopwatch.StartNew();
            victim.KillHard();
            var wentDown = await WaitServerStatusAsync(ports.Stats, victimCookie, "DOWN", TimeSpan.FromSeconds(10));
            var downAfter = killedAt.Elapsed;
            await Expect(banner).ToContainTextAsync("Reconnecting", new() { Timeout = 15_000 });
            await TvBrowserTests.ScreenshotAsync(page, "two-nodes-reconnecting.png");
            await TvBrowserTests.WaitUntilLiveAsync(page, timeout: 30_000);
            var liveAfter = killedAt.Elapsed;
            Assert.NotEqual(victimCookie, (await context.CookiesAsync()).Single(c => c.Name == "SRV").Value);
            while (killedAt.Elapsed < downAfter + TimeSpan.FromSeconds(2))
            {
                await Task.Delay(50);
            }

            await stopPosting.CancelAsync();
            await Task.WhenAll(posting);

            // The TV is live on the survivor: a call posted through the balancer shows.
            await WatchForAsync(page, "•••-•••-0830");
            await PostAsync(balancerIngest, new CallBuilder("proof-after-kill", DateTimeOffset.UtcNow.AddSeconds(-2)).Started(from: "+13125550830", to: CarsComLine));
            await SeenAtAsync(page, "•••-•••-0830", 10_000);

            // 4. The survivor's sweep marks the call-back that fell due after the death overdue.
            await Expect(page.Locator("#tile-overdue")).ToContainTextAsync("•••-•••-0809", new() { Timeout = 60_000 });
            Assert.Contains("Call-back sweep changed", survivor.Log, StringComparison.Ordinal);
            await TvBrowserTests.ScreenshotAsync(page, "two-nodes-live-again.png");

            // 5. Every acknowledged event is in the database.
            var ids = acknowledged.ToArray();
            var stored = new HashSet<string>();
            await using (var connection = new Npgsql.NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                await using var query = new Npgsql.NpgsqlCommand("SELECT \"EventId\" FROM \"CallEvents\" WHERE \"EventId\" = ANY($1)", connection)
                {
                    Parameters = { new() { Value = ids } },
                };
                await using var reader = await query.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    stored.Add(reader.GetString(0));
                }
            }

            var lost = ids.Count(id => !stored.Contains(id));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kill -9 of node {victimCookie}: balancer took it out after {downAfter.TotalSeconds:0.0} s (check inter 1s fall 2); TV live again after {liveAfter.TotalSeconds:0.0} s; {ids.Length} events acknowledged during the run, {lost} lost; {refused} requests refused or cut (not acknowledged)"));
            Assert.True(wentDown);
            Assert.True(downAfter <= TimeSpan.FromSeconds(4), $"The balancer took {downAfter.TotalSeconds:0.0} s to take the dead node out.");
            Assert.True(liveAfter <= TimeSpan.FromSeconds(15), $"The TV took {liveAfter.TotalSeconds:0.0} s to be live again.");
            Assert.Equal(0, lost);
        }
        catch
        {
            Directory.CreateDirectory(ChromiumFixture.ScreenshotDirectory);
            foreach (var process in processes)
            {
                output.WriteLine($"--- {process.Name} ---\n{Tail(process.Log)}");
                await File.WriteAllTextAsync(Path.Combine(ChromiumFixture.ScreenshotDirectory, $"two-nodes-{process.Name.Replace(' ', '-')}.log"), process.Log);
            }

            throw;
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    // Call-backs fall due in business minutes: the store is made open around the clock, whenever
    // the test runs, and the nodes are told as an admin's save on any node tells them.
    private static async Task OpenAllWeekAsync(ThrowawayPostgres server, string database, int storeId)
    {
        await using (var db = WallboardDatabase.CreateContext(DatabaseProvider.Postgres, database))
        {
            db.BusinessHours.RemoveRange(await db.BusinessHours.Where(h => h.StoreId == storeId && h.Department == Department.Sales).ToListAsync());
            foreach (var day in Enum.GetValues<DayOfWeek>())
            {
                db.BusinessHours.Add(new BusinessHours { StoreId = storeId, Department = Department.Sales, Day = day, Opens = new TimeOnly(0, 0), Closes = new TimeOnly(23, 59) });
            }

            db.ClosedDates.RemoveRange(await db.ClosedDates.Where(d => d.StoreId == storeId).ToListAsync());
            await db.SaveChangesAsync();
        }

        var name = new Npgsql.NpgsqlConnectionStringBuilder(database).Database;
        await server.ScalarAsync(FormattableString.Invariant($"SELECT pg_notify('wallboard_changes', 'proof|s|{storeId}')"), name);
    }

    private static bool IsSweepLine(string line) => line.Contains("Call-back sweep changed", StringComparison.Ordinal);

    private static ServiceProcess StartNode(string name, int port, string connectionString, string dataDirectory)
    {
        // The app as built (dotnet run's output), in its own folder, as a deployment runs it.
        var web = Path.Combine(SharedData.RepositoryRoot, "Wallboard.Web");
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = web };
        start.ArgumentList.Add(Path.Combine(web, "bin", configuration, "net10.0", "Wallboard.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Wallboard__Database__Provider"] = "Postgres";
        start.Environment["ConnectionStrings__Wallboard"] = connectionString;
        start.Environment["Wallboard__DataDirectory"] = dataDirectory;
        start.Environment["Wallboard__Simulator__Enabled"] = "false";
        start.Environment["Wallboard__Proxy__KnownProxies__0"] = "127.0.0.1";
        // A dead node's jobs are taken over within seconds, not the default quarter minute.
        start.Environment["Wallboard__Cluster__JobCheckinInterval"] = "00:00:01";
        start.Environment["Wallboard__Cluster__JobCheckinMisfireThreshold"] = "00:00:05";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__LogLevel__Wallboard.Web.Cluster"] = "Debug";
        return ServiceProcess.Start($"node {name}", start);
    }

    private static ServiceProcess StartHaproxy((int A, int B, int Balancer, int Stats) ports, string config)
    {
        var start = new ProcessStartInfo(Haproxy);
        foreach (var arg in new[] { "-f", config, "-db" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["WALLBOARD_LISTEN"] = $"127.0.0.1:{ports.Balancer}";
        start.Environment["WALLBOARD_NODE_A"] = $"127.0.0.1:{ports.A}";
        start.Environment["WALLBOARD_NODE_B"] = $"127.0.0.1:{ports.B}";
        start.Environment["WALLBOARD_STATS"] = $"127.0.0.1:{ports.Stats}";
        return ServiceProcess.Start("haproxy", start);
    }

    // Waits as a deployment script does: asks /health until it answers 200 (each try a real request).
    private static async Task WaitHealthyAsync(int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync("health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            Assert.True(deadline.Elapsed < StartupTimeout, $"Nothing healthy on port {port} after {StartupTimeout}.");
            await Task.Delay(250);
        }
    }

    // HAProxy's own view of a server, from its CSV status page; true once it is in that state.
    private static async Task<bool> WaitServerStatusAsync(int statsPort, string server, string status, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{statsPort}/") };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var csv = (await http.GetStringAsync("haproxy-stats;csv")).Split('\n');
            var header = csv[0].TrimStart('#', ' ').Split(',');
            var column = Array.IndexOf(header, "status");
            var row = csv.Select(l => l.Split(',')).FirstOrDefault(r => r.Length > column && r[0] == "nodes" && r[1] == server);
            if (row is not null && row[column].StartsWith(status, StringComparison.Ordinal))
            {
                return true;
            }

            Assert.True(deadline.Elapsed < timeout, $"HAProxy does not say server {server} is {status} after {timeout}: {row?[column]}");
            await Task.Delay(100);
        }
    }

    private static async Task PostAsync(SignedIngestClient ingest, CallBuilder call)
    {
        using var response = await ingest.PostEventsAsync(call.Events);
        Assert.True(response.IsSuccessStatusCode, $"Ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    // The page records, with its own clock, when the waiting tile first shows the caller.
    private static async Task WatchForAsync(IPage page, string masked) => await page.EvaluateAsync(
        """
        masked => {
            window.__seen = window.__seen || {};
            const look = () => {
                const tile = document.querySelector('#tile-waiting');
                if (!window.__seen[masked] && tile && tile.textContent.includes(masked)) { window.__seen[masked] = Date.now(); }
            };
            new MutationObserver(look).observe(document.documentElement, { subtree: true, childList: true, characterData: true });
            look();
        }
        """, masked);

    private static async Task<long> SeenAtAsync(IPage page, string masked, float timeout)
    {
        await page.WaitForFunctionAsync("masked => window.__seen && window.__seen[masked]", masked, new() { Timeout = timeout });
        return await page.EvaluateAsync<long>("masked => window.__seen[masked]", masked);
    }

    private static string Tail(string log) => log.Length <= 4_000 ? log : log[^4_000..];

    /// <summary>Owns the throwaway server for the test's lifetime (stopped on dispose).</summary>
    private sealed class PostgresFixtureScope : IAsyncDisposable
    {
        public ThrowawayPostgres Server { get; } = new();

        public async ValueTask DisposeAsync() => await Server.DisposeAsync();
    }
}
