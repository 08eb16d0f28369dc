using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Wallboard.Bench.History;
using Wallboard.Bench.Hosting;
using Wallboard.Bench.Reporting;
using Wallboard.Bench.Sampling;
using Wallboard.Web.Data;

namespace Wallboard.Bench.Scenarios;

/// <summary>
/// Start-up to healthy (<c>GET /health</c> 200, DESIGN.md §11), twice on one fresh data folder:
/// the first start (migrations and the demo seed on an empty database), then, after
/// <c>--history N</c> calls were written into that database, a restart, which is what an
/// upgrade or a crash costs a dealer group with months of calls. The restarted app stays up for
/// the scenarios that follow.
/// </summary>
/// <remarks>
/// On PostgreSQL only the app is restarted: the database server stays up, as it does when an app
/// node is upgraded or restarted in production.
/// </remarks>
internal sealed class StartupScenario(IServerLauncher launcher, BenchDatabase database, BenchOptions options, TextWriter log)
{
    public const string Name = "startup";

    private static readonly TimeSpan HealthTimeout = TimeSpan.FromMinutes(3);

    public async Task<(RunningServer Server, BenchTarget Target, ScenarioResult Result)> RunAsync(string dataDirectory, CancellationToken ct)
    {
        var result = new ScenarioResult(Name);
        result.Settings["history_calls"] = options.History;
        result.Settings["history_stores"] = options.HistoryStores;
        result.Settings["history_days"] = options.HistoryDays;
        result.Settings["database"] = database.Name;

        log.WriteLine("startup: first start on an empty database…");
        var (first, firstTime) = await StartHealthyAsync(dataDirectory, ct);
        result.Add("first_start_to_healthy_ms", firstTime.TotalMilliseconds);
        var (integrationId, secret) = ServerHealth.ReadDemoIntegration(dataDirectory);
        await first.DisposeAsync();

        if (options.History > 0)
        {
            log.WriteLine($"startup: writing {options.History:N0} calls of history over {options.HistoryStores} stores into {database.Name}…");
            var history = await new HistorySeeder(database, integrationId, log)
                .SeedAsync(options.History, options.HistoryStores, options.HistoryDays, options.Seed, ct);
            result.Add("history_calls", history.Calls);
            result.Add("history_events", history.Events);
            result.Add("history_stores", history.Stores);
            result.Add("history_write_s", history.Seconds);
            // Read back through the app's model: what the restart below finds.
            var (calls, stores) = await StoredHistoryAsync(ct);
            result.Add("history_calls_stored", calls);
            result.Add("history_stores_stored", stores);
        }

        result.Add("database_mb", await database.SizeBytesAsync(ct) / (1024.0 * 1024.0));
        log.WriteLine("startup: restart on that database…");
        var (server, restartTime) = await StartHealthyAsync(dataDirectory, ct);
        result.Add("restart_to_healthy_ms", restartTime.TotalMilliseconds);
        if (ProcessSampler.IsSupported && ProcessSampler.ReadRssBytes(server.ProcessId) is { } rss)
        {
            result.Add("rss_at_healthy_mb", rss / (1024.0 * 1024.0));
        }

        result.Notes.Add("Start-up is from launching the app to the first 200 from /health; it includes the runtime's own start and JIT.");
        return (server, new BenchTarget(server.BaseAddress, integrationId, secret, server.ProcessId, Path.Combine(dataDirectory, DemoSeeder.CredentialsFileName)), result);
    }

    private async Task<(RunningServer Server, TimeSpan Elapsed)> StartHealthyAsync(string dataDirectory, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var server = await launcher.StartAsync(dataDirectory, database, ct);
        try
        {
            await ServerHealth.WaitHealthyAsync(server, HealthTimeout, ct);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return (server, stopwatch.Elapsed);
    }

    private async Task<(int Calls, int Stores)> StoredHistoryAsync(CancellationToken ct)
    {
        await using var db = database.CreateContext(pooling: false);
        var history = db.Calls.Where(c => EF.Functions.Like(c.ExternalId, HistorySeeder.CallIdPrefix + "%"));
        return (await history.CountAsync(ct), await history.Select(c => c.StoreId).Distinct().CountAsync(ct));
    }
}
