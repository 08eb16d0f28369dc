using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Wallboard.Bench.Hosting;
using Wallboard.Bench.Reporting;
using Wallboard.Domain.Metrics;
using Wallboard.Web.Data;
using Wallboard.Web.Hosting;
using Wallboard.Web.Metrics;

namespace Wallboard.Bench.Scenarios;

/// <summary>
/// How long the metrics jobs take over the history (<c>--history N</c> calls over
/// <c>--history-stores</c> stores): one run of the today job (every store's Today) and one of
/// all five windows, in-process with the app's own <see cref="MetricsReports"/> on the server's
/// database (its SQLite file, or its PostgreSQL database) while the server runs. Each is run <see cref="Runs"/> times after one warm-up;
/// p50 and max are reported, with the slowest store-window's time from the snapshots, each window
/// on its own (all stores), and before them the minute job's roll-up of the closed days (<see cref="DailyRollups"/>).
/// </summary>
internal sealed class MetricsJobScenario : IBenchScenario
{
    public const int Runs = 5;

    public string Name => BenchOptions.MetricsJob;

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        if (context.Database is not { } database)
        {
            return ScenarioResult.Skip(Name, "No database of the server to read (with --url the bench does not know it).");
        }

        var result = new ScenarioResult(Name);
        result.Settings["history_calls"] = context.Options.History;
        result.Settings["history_stores"] = context.Options.HistoryStores;
        result.Settings["runs"] = Runs;
        result.Settings["database"] = database.Name;
        var factory = new Factory(database);
        var reports = new MetricsReports(factory, new Notifier<MetricsReport>(NullLogger<Notifier<MetricsReport>>.Instance), TimeProvider.System, NullLogger<MetricsReports>.Instance);

        // The minute job's first roll-up of a history without roll-ups (every store's last 31 closed
        // days: the first start after the roll-ups came, or a store's first day), reported apart; the
        // server's own minute job may have made some of them already.
        context.Log.WriteLine("metrics-job: the minute job's roll-up of the closed days…");
        var first = Stopwatch.StartNew();
        var rolledStores = await reports.KeepRollupsCurrentAsync(ct);
        result.Add("first_rollup_ms", first.Elapsed.TotalMilliseconds);
        result.Add("first_rollup_stores", rolledStores.Count);

        var each = MetricsWindows.All.Select(w => ($"window_{w.ToString().ToLowerInvariant()}", new[] { w }));
        foreach (var (label, windows) in new[] { ("today", new[] { MetricsWindow.Today }), ("all_windows", MetricsWindows.All.ToArray()) }.Concat(each))
        {
            context.Log.WriteLine($"metrics-job: {label}, {Runs} runs after a warm-up…");
            await reports.ComputeAsync(windows, null, ct);
            var times = new List<double>();
            for (var i = 0; i < Runs; i++)
            {
                var watch = Stopwatch.StartNew();
                await reports.ComputeAsync(windows, null, ct);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            result.Add($"{label}_p50_ms", times[times.Count / 2]);
            result.Add($"{label}_max_ms", times[^1]);
        }

        await using (var db = factory.CreateDbContext())
        {
            foreach (var window in MetricsWindows.All)
            {
                var slowest = await db.MetricsSnapshots.Where(s => s.Window == window).MaxAsync(s => (int?)s.ElapsedMilliseconds, ct) ?? 0;
                result.Add($"slowest_store_{window.ToString().ToLowerInvariant()}_ms", slowest);
            }
        }

        if (File.Exists("/proc/loadavg"))
        {
            var load = (await File.ReadAllTextAsync("/proc/loadavg", ct)).Split(' ');
            result.Add("load_average_1m", double.Parse(load[0], System.Globalization.CultureInfo.InvariantCulture));
        }

        result.Notes.Add("Targets (benchmark issue): all windows of all stores ≤ 1 s, today ≤ 50 ms, on the 2-core machine.");
        return result;
    }

    private sealed class Factory(BenchDatabase database) : IDbContextFactory<WallboardDbContext>
    {
        public WallboardDbContext CreateDbContext() => database.CreateContext();
    }
}
