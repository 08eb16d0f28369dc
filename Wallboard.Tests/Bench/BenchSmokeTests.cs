using System.Text.Json;
using Microsoft.Data.Sqlite;
using Wallboard.Bench;
using Wallboard.Bench.Hosting;
using Wallboard.Bench.Reporting;
using Wallboard.Tests.Hosting;

namespace Wallboard.Tests.Bench;

/// <summary>
/// Keeps the benchmark tool working: its smoke path (every scenario, tiny numbers) against the
/// real app in-process, on a real loopback port. Figures are checked for sense, never against
/// timing thresholds: this machine's speed is not what is tested. It runs alone (its own
/// collection, not in parallel): it is a load generator, and other tests wait on timeouts.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class BenchSmokeTests
{
    private static readonly string[] IngestScenarios = [BenchOptions.IngestSingleFlat, BenchOptions.IngestSingleRate, BenchOptions.IngestBatchFlat];

    [Fact]
    public async Task Smoke_run_reports_start_up_ingest_screen_latency_and_size_figures_from_the_real_app()
    {
        var output = Directory.CreateTempSubdirectory("wallboard-bench-test-").FullName;
        try
        {
            var data = Path.Combine(output, "data");
            var options = BenchOptions.Smoke with { OutputDirectory = output, DataDirectory = data };
            var launcher = new InProcessLauncher();

            var report = await new BenchRunner(options, launcher, TextWriter.Null).RunAsync(CancellationToken.None);

            var startup = Ok(report, "startup");
            Assert.True(startup.Figures["first_start_to_healthy_ms"] > 0);
            Assert.True(startup.Figures["restart_to_healthy_ms"] > 0);
            Assert.Equal(options.History, startup.Figures["history_calls"]);
            Assert.True(startup.Figures["history_events"] >= 2 * options.History, "every call has at least a start and an end");
            Assert.True(startup.Figures["database_mb"] > 0);

            foreach (var name in IngestScenarios)
            {
                var ingest = Ok(report, name);
                Assert.True(ingest.Figures["events_accepted"] > 0, $"{name}: no event accepted");
                Assert.Equal(0, ingest.Figures["errors"]);
                Assert.Equal(0, ingest.Figures["rejected"]);
                Assert.True(ingest.Figures["accepted_events_per_s"] > 0, name);
                var (p50, p95, p99, max) = (ingest.Figures["ack_p50_ms"], ingest.Figures["ack_p95_ms"], ingest.Figures["ack_p99_ms"], ingest.Figures["ack_max_ms"]);
                Assert.True(0 < p50 && p50 <= p95 && p95 <= p99 && p99 <= max, $"{name}: percentiles {p50} {p95} {p99} {max}");
            }

            Assert.True(Ok(report, BenchOptions.IngestSingleRate).Figures.ContainsKey("ack_from_schedule_p99_ms"));
            Assert.Equal(options.Batch, Ok(report, BenchOptions.IngestBatchFlat).Figures["events_sent"] / Ok(report, BenchOptions.IngestBatchFlat).Figures["requests"]);

            var size = Ok(report, "size");
            Assert.True(size.Figures["server_rss_peak_mb"] > 0);
            Assert.True(size.Figures["server_cpu_seconds"] > 0);

            // Event to screen: real hub clients and a TV page in Chromium saw the probes, idle and under load.
            var hub = Ok(report, BenchOptions.HubLatency);
            foreach (var phase in new[] { "idle", "load" })
            {
                Assert.True(hub.Figures[$"{phase}_probes"] > 0, $"{phase}: no probe posted");
                Assert.True(hub.Figures[$"{phase}_hub_seen"] > 0, $"{phase}: no hub client saw a probe");
                Assert.True(hub.Figures[$"{phase}_tv_seen"] + hub.Figures[$"{phase}_tv_not_seen"] == hub.Figures[$"{phase}_probes"] * options.TvPages, $"{phase}: every probe is seen or counted as missed on each page");
                var (p50, p99) = (hub.Figures[$"{phase}_hub_p50_ms"], hub.Figures[$"{phase}_hub_p99_ms"]);
                Assert.True(0 < p50 && p50 <= p99, $"{phase}: hub percentiles {p50} {p99}");
            }

            Assert.True(hub.Figures["load_background_accepted_events_per_s"] > 0);
            var metrics = Ok(report, BenchOptions.MetricsJob);
            Assert.True(0 < metrics.Figures["today_p50_ms"] && metrics.Figures["today_p50_ms"] <= metrics.Figures["today_max_ms"]);
            Assert.True(0 < metrics.Figures["all_windows_p50_ms"] && metrics.Figures["all_windows_p50_ms"] <= metrics.Figures["all_windows_max_ms"]);

            // The floor ran the same loads in the same run, and the app's rates are read against it.
            var floor = Ok(report, BenchOptions.IngestFloor);
            foreach (var load in new[] { "single", "batch" })
            {
                Assert.True(floor.Figures[$"floor_{load}_accepted_events_per_s"] > 0, $"floor {load}: no event accepted");
                Assert.Equal(0, floor.Figures[$"floor_{load}_errors"]);
                Assert.Equal(
                    Math.Round(floor.Figures[$"app_{load}_events_per_s"] / floor.Figures[$"floor_{load}_accepted_events_per_s"], 3),
                    floor.Figures[$"app_{load}_to_floor"],
                    precision: 2);
            }

            Assert.Equal(Ok(report, BenchOptions.IngestSingleFlat).Figures["accepted_events_per_s"], floor.Figures["app_single_events_per_s"]);

            // The JSON report is written and holds every scenario.
            var written = report.Write(output);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(written));
            Assert.Equal(report.Scenarios.Count, json.RootElement.GetProperty("scenarios").GetArrayLength());
            Assert.Equal(Environment.ProcessorCount, json.RootElement.GetProperty("machine").GetProperty("cores").GetInt32());

            // The history is in the app's database, over the stores asked for, read by the app's own schema.
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "wallboard.db")};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT \"StoreId\") FROM \"Calls\" WHERE \"ExternalId\" LIKE 'history-%'";
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(options.History, reader.GetInt32(0));
            Assert.Equal(options.HistoryStores, reader.GetInt32(1));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static ScenarioResult Ok(BenchReport report, string name)
    {
        var scenario = report.Scenario(name);
        Assert.NotNull(scenario);
        Assert.True(scenario.Status == ScenarioResult.Ok, $"{name}: {scenario.Status} {scenario.Reason}");
        return scenario;
    }

    /// <summary>The real app in this process (<see cref="WallboardAppFactory"/>), on the bench's data folder.</summary>
    private sealed class InProcessLauncher : IServerLauncher
    {
        public string Description => "in-process: WallboardAppFactory on a loopback port";

        public Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

        public async Task<RunningServer> StartAsync(string dataDirectory, CancellationToken ct)
        {
            var factory = new WallboardAppFactory(dataDirectory);
            await factory.InitializeAsync();
            return new FactoryServer(factory);
        }
    }

    private sealed class FactoryServer(WallboardAppFactory factory) : RunningServer
    {
        public override Uri BaseAddress => factory.BaseAddress;

        // The app runs in the test process: its CPU and memory include the load generator's.
        public override int ProcessId => Environment.ProcessId;

        public override ValueTask DisposeAsync() => factory.DisposeAsync();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Runs alone";
}
