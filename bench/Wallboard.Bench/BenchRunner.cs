using System.Diagnostics;
using Wallboard.Bench.Hosting;
using Wallboard.Bench.Reporting;
using Wallboard.Bench.Sampling;
using Wallboard.Bench.Scenarios;

namespace Wallboard.Bench;

/// <summary>
/// One bench run: start the app (or take a running one), measure start-up, run the chosen
/// scenarios in order while sampling the server's CPU and memory, stop the app, and return the
/// report. The app and its temporary data folder are gone afterwards whatever happened.
/// </summary>
internal sealed class BenchRunner(BenchOptions options, IServerLauncher? launcher, TextWriter log)
{
    public async Task<BenchReport> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var report = new BenchReport
        {
            StartedAt = DateTimeOffset.UtcNow,
            GitCommit = await Repository.CommitAsync(ct),
            Server = launcher?.Description ?? $"external: {options.Url}",
            Machine = MachineInfo.Current(),
            Settings = SettingsOf(options),
        };
        var runId = Convert.ToHexStringLower(BitConverter.GetBytes(report.StartedAt.ToUnixTimeMilliseconds()))[..10];

        string? dataDirectory = null;
        BenchDatabase? database = null;
        RunningServer? server = null;
        var samplers = new List<ProcessSampler>();
        try
        {
            BenchTarget target;
            if (launcher is not null)
            {
                await launcher.PrepareAsync(ct);
                dataDirectory = options.DataDirectory ?? Directory.CreateTempSubdirectory("wallboard-bench-").FullName;
                if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
                {
                    throw new InvalidOperationException($"{dataDirectory} is not empty; start-up is measured on an empty database.");
                }

                Directory.CreateDirectory(dataDirectory);
                log.WriteLine($"data folder: {dataDirectory}");
                database = await BenchDatabase.CreateAsync(options.Database, dataDirectory, log, ct);
                report.Database = database.Name;
                report.DatabaseServer = database.Description;
                report.DatabaseFolder = (database as PostgresBenchDatabase)?.Server.Folder;
                var (started, startedTarget, startup) = await new StartupScenario(launcher, database, options, log).RunAsync(dataDirectory, ct);
                server = started;
                target = startedTarget;
                report.Scenarios.Add(startup);
            }
            else
            {
                target = new BenchTarget(options.Url!, options.Integration!.Value, options.Secret!, options.Pid, options.Credentials);
                report.Scenarios.Add(ScenarioResult.Skip(StartupScenario.Name, "The server was already running (--url)."));
            }

            ProcessSampler? sampler = null;
            ProcessSampler? clientSampler = null;
            ProcessSampler? databaseSampler = null;
            if (ProcessSampler.IsSupported)
            {
                var interval = TimeSpan.FromSeconds(options.SampleIntervalSeconds);
                if (target.ProcessId is { } pid)
                {
                    sampler = new ProcessSampler(pid, clock, interval);
                    if (pid != Environment.ProcessId)
                    {
                        clientSampler = new ProcessSampler(Environment.ProcessId, clock, interval);
                    }
                }

                if (database?.ProcessId is { } databasePid)
                {
                    databaseSampler = new ProcessSampler(databasePid, clock, interval, withChildren: true);
                }

                samplers.AddRange(new[] { sampler, clientSampler, databaseSampler }.OfType<ProcessSampler>());
                samplers.ForEach(s => s.Start());
            }

            var context = new BenchContext(options, target, clock, sampler, clientSampler, runId, log)
            {
                DataDirectory = dataDirectory,
                Database = database,
                DatabaseSampler = databaseSampler,
                Earlier = report.Scenarios,
            };
            foreach (var scenario in Scenarios(options))
            {
                report.Scenarios.Add(await RunOneAsync(scenario, context, ct));
            }

            report.Scenarios.Add(await RunOneAsync(new SizeScenario(), context, ct));
        }
        finally
        {
            foreach (var running in samplers)
            {
                await running.DisposeAsync();
            }

            try
            {
                if (server is not null)
                {
                    await server.DisposeAsync();
                }
            }
            finally
            {
                // After the app: a PostgreSQL server is stopped and its folder deleted (Ctrl+C and failures too).
                if (database is not null)
                {
                    await database.DisposeAsync();
                }

                if (dataDirectory is not null && !options.KeepData && options.DataDirectory is null)
                {
                    TryDelete(dataDirectory);
                }
            }
        }

        report.FinishedAt = DateTimeOffset.UtcNow;
        report.Machine.LoadAverageAtEnd = MachineInfo.LoadAverage();
        report.Caveats.AddRange(Caveats(report));
        return report;
    }

    /// <summary>The scenarios of a run, in the order they run. A new scenario is one more line here.</summary>
    private static IEnumerable<IBenchScenario> Scenarios(BenchOptions options)
    {
        IBenchScenario[] all =
        [
            IngestScenario.SingleFlatOut(options),
            IngestScenario.SingleAtRate(options),
            IngestScenario.BatchFlatOut(options),
            new IngestFloorScenario(),
            new HubLatencyScenario(),
            new MetricsJobScenario(),
        ];
        return all.Where(s => options.Runs(s.Name));
    }

    private async Task<ScenarioResult> RunOneAsync(IBenchScenario scenario, BenchContext context, CancellationToken ct)
    {
        try
        {
            return await scenario.RunAsync(context, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.WriteLine($"{scenario.Name} failed: {ex}");
            return new ScenarioResult(scenario.Name) { Status = ScenarioResult.Failed, Reason = ex.Message };
        }
    }

    private IEnumerable<string> Caveats(BenchReport report)
    {
        if (options.IsSmoke)
        {
            yield return "A smoke run: tiny numbers to keep the tool working; its figures are not measurements.";
        }

        if (launcher is not null || options.Url?.IsLoopback == true)
        {
            yield return "The load generator runs on the same machine as the server and shares its cores.";
        }

        if (ParseLoad(report.Machine.LoadAverageAtStart) is { } load && load > report.Machine.Cores * 0.25)
        {
            yield return $"The machine was busy before the run (1-minute load average {load:0.0} on {report.Machine.Cores} cores): figures are noisy.";
        }
    }

    private static double? ParseLoad(string? loadAverage) =>
        double.TryParse(loadAverage?.Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : null;

    private static SortedDictionary<string, object?> SettingsOf(BenchOptions o) => new(StringComparer.Ordinal)
    {
        ["smoke"] = o.IsSmoke,
        ["database"] = o.Url is null ? BenchDatabase.NameOf(o.Database) : null,
        ["duration_s"] = o.DurationSeconds,
        ["warmup_s"] = o.WarmupSeconds,
        ["rate_events_per_s"] = o.Rate,
        ["batch"] = o.Batch,
        ["connections"] = o.Connections,
        ["rate_connections"] = o.RateConnections,
        ["calls_in_flight"] = o.CallsInFlight,
        ["history_calls"] = o.History,
        ["history_stores"] = o.HistoryStores,
        ["history_days"] = o.HistoryDays,
        ["scenarios"] = o.Scenarios,
        ["url"] = o.Url?.ToString(),
        ["sample_interval_s"] = o.SampleIntervalSeconds,
        ["seed"] = o.Seed,
        ["app_settings"] = o.AppSettings,
        ["hub_clients"] = o.HubClients,
        ["tv_pages"] = o.TvPages,
        ["hub_rate_events_per_s"] = o.HubRate,
        ["probe_rate_per_s"] = o.ProbeRate,
        ["idle_s"] = o.IdleSeconds,
        ["soak_min"] = o.SoakMinutes,
    };

    private void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException ex)
        {
            log.WriteLine($"Could not delete {directory}: {ex.Message}");
        }
    }
}
