using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Wallboard.Tests.Bench;

/// <summary>
/// Keeps the benchmark tool working: its smoke path (every scenario, tiny numbers), run as a person
/// runs it (<c>dotnet run --project bench/Wallboard.Bench -- --smoke</c>: it publishes the app and
/// starts it as a child process on a loopback port), then its JSON report read back. The test
/// project does not reference the bench, so the two change apart. Figures are checked for sense,
/// never against timing thresholds: this machine's speed is not what is tested. It runs alone (its
/// own collection, not in parallel): it is a load generator, and other tests wait on timeouts.
/// The same smoke with <c>--database postgres</c> runs the app on a PostgreSQL server the bench
/// starts (the machine's PostgreSQL binaries, as for the PostgreSQL tests) and must delete after.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class BenchSmokeTests
{
    private static readonly string[] IngestScenarios = ["ingest-single-flat", "ingest-single-rate", "ingest-batch-flat"];

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task Smoke_run_reports_start_up_ingest_screen_latency_and_size_figures_from_the_real_app()
    {
        var output = Directory.CreateTempSubdirectory("wallboard-bench-test-").FullName;
        try
        {
            var data = Path.Combine(output, "data");
            // A longer warm-up than the smoke's own: the app is a cold child process, and on a busy
            // machine its first ingest requests take seconds, longer than the smoke's 3 s window.
            var (code, log) = await RunBenchAsync(["--smoke", "--warmup", "10", "--out", output, "--data-dir", data]);
            Assert.True(code == 0, $"the bench exited {code}:{Environment.NewLine}{log}");

            var written = Assert.Single(Directory.GetFiles(output, "*.json"));
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(written));
            var report = json.RootElement;
            var settings = report.GetProperty("settings");
            var history = settings.GetProperty("history_calls").GetInt32();
            Assert.True(settings.GetProperty("smoke").GetBoolean());
            Assert.Equal(Environment.ProcessorCount, report.GetProperty("machine").GetProperty("cores").GetInt32());

            var startup = Ok(report, "startup");
            Assert.True(startup["first_start_to_healthy_ms"] > 0);
            Assert.True(startup["restart_to_healthy_ms"] > 0);
            Assert.Equal(history, startup["history_calls"]);
            Assert.True(startup["history_events"] >= 2 * history, "every call has at least a start and an end");
            Assert.True(startup["database_mb"] > 0);

            foreach (var name in IngestScenarios)
            {
                var ingest = Ok(report, name);
                Assert.True(ingest["events_accepted"] > 0, $"{name}: no event accepted");
                Assert.Equal(0, ingest["errors"]);
                Assert.Equal(0, ingest["rejected"]);
                Assert.True(ingest["accepted_events_per_s"] > 0, name);
                var (p50, p95, p99, max) = (ingest["ack_p50_ms"], ingest["ack_p95_ms"], ingest["ack_p99_ms"], ingest["ack_max_ms"]);
                Assert.True(0 < p50 && p50 <= p95 && p95 <= p99 && p99 <= max, $"{name}: percentiles {p50} {p95} {p99} {max}");
            }

            Assert.True(Ok(report, "ingest-single-rate").ContainsKey("ack_from_schedule_p99_ms"));
            var batch = Ok(report, "ingest-batch-flat");
            Assert.Equal(settings.GetProperty("batch").GetDouble(), batch["events_sent"] / batch["requests"]);

            var size = Ok(report, "size");
            Assert.True(size["server_rss_peak_mb"] > 0);
            Assert.True(size["server_cpu_seconds"] > 0);

            // Event to screen: real hub clients and a TV page in Chromium saw the probes, idle and under load.
            var hub = Ok(report, "hub-latency");
            var tvPages = settings.GetProperty("tv_pages").GetDouble();
            foreach (var phase in new[] { "idle", "load" })
            {
                Assert.True(hub[$"{phase}_probes"] > 0, $"{phase}: no probe posted");
                Assert.True(hub[$"{phase}_hub_seen"] > 0, $"{phase}: no hub client saw a probe");
                Assert.True(hub[$"{phase}_tv_seen"] + hub[$"{phase}_tv_not_seen"] == hub[$"{phase}_probes"] * tvPages, $"{phase}: every probe is seen or counted as missed on each page");
                var (p50, p99) = (hub[$"{phase}_hub_p50_ms"], hub[$"{phase}_hub_p99_ms"]);
                Assert.True(0 < p50 && p50 <= p99, $"{phase}: hub percentiles {p50} {p99}");
            }

            Assert.True(hub["load_background_accepted_events_per_s"] > 0);
            var metrics = Ok(report, "metrics-job");
            Assert.True(0 < metrics["today_p50_ms"] && metrics["today_p50_ms"] <= metrics["today_max_ms"]);
            Assert.True(0 < metrics["all_windows_p50_ms"] && metrics["all_windows_p50_ms"] <= metrics["all_windows_max_ms"]);

            // The floor ran the same loads in the same run, and the app's rates are read against it.
            var floor = Ok(report, "ingest-floor");
            foreach (var load in new[] { "single", "batch" })
            {
                Assert.True(floor[$"floor_{load}_accepted_events_per_s"] > 0, $"floor {load}: no event accepted");
                Assert.Equal(0, floor[$"floor_{load}_errors"]);
                Assert.Equal(
                    Math.Round(floor[$"app_{load}_events_per_s"] / floor[$"floor_{load}_accepted_events_per_s"], 3),
                    floor[$"app_{load}_to_floor"],
                    precision: 2);
            }

            Assert.Equal(Ok(report, "ingest-single-flat")["accepted_events_per_s"], floor["app_single_events_per_s"]);

            // The history is in the app's database, over the stores asked for, read by the app's own schema.
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "wallboard.db")};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT \"StoreId\") FROM \"Calls\" WHERE \"ExternalId\" LIKE 'history-%'";
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(history, reader.GetInt32(0));
            Assert.Equal(settings.GetProperty("history_stores").GetInt32(), reader.GetInt32(1));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task Smoke_run_on_postgres_measures_the_app_on_a_PostgreSQL_server_of_its_own_and_leaves_no_server_behind()
    {
        var output = Directory.CreateTempSubdirectory("wallboard-bench-test-").FullName;
        try
        {
            var data = Path.Combine(output, "data");
            var (code, log) = await RunBenchAsync(["--smoke", "--database", "postgres", "--warmup", "5", "--out", output, "--data-dir", data]);
            Assert.True(code == 0, $"the bench exited {code}:{Environment.NewLine}{log}");

            var written = Assert.Single(Directory.GetFiles(output, "*.json"));
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(written));
            var report = json.RootElement;
            var settings = report.GetProperty("settings");
            Assert.Equal("postgres", report.GetProperty("database").GetString());
            Assert.Equal("postgres", settings.GetProperty("database").GetString());
            var server = report.GetProperty("databaseServer").GetString()!;
            Assert.Contains("PostgreSQL", server, StringComparison.Ordinal);
            Assert.Contains("fsync=on", server, StringComparison.Ordinal);
            Assert.Contains("synchronous_commit=on", server, StringComparison.Ordinal);

            // The history went into PostgreSQL through the app's model, over the stores asked for;
            // the app kept nothing in a SQLite file.
            var history = settings.GetProperty("history_calls").GetInt32();
            var startup = Ok(report, "startup");
            Assert.True(startup["restart_to_healthy_ms"] > 0);
            Assert.Equal(history, startup["history_calls_stored"]);
            Assert.Equal(settings.GetProperty("history_stores").GetInt32(), startup["history_stores_stored"]);
            Assert.True(startup["database_mb"] > 0);
            Assert.False(File.Exists(Path.Combine(data, "wallboard.db")), "the app wrote a SQLite database");

            // PostgreSQL's own processes did the commits while the app accepted events.
            foreach (var name in IngestScenarios)
            {
                var ingest = Ok(report, name);
                Assert.True(ingest["events_accepted"] > 0, $"{name}: no event accepted");
                Assert.Equal(0, ingest["errors"]);
                Assert.True(ingest["database_cpu_seconds"] > 0, $"{name}: PostgreSQL did no work");
            }

            // The floor appended to PostgreSQL too, so the ratio compares like with like.
            var floor = Ok(report, "ingest-floor");
            foreach (var load in new[] { "single", "batch" })
            {
                Assert.True(floor[$"floor_{load}_accepted_events_per_s"] > 0, $"floor {load}: no event accepted");
                Assert.Equal(0, floor[$"floor_{load}_errors"]);
                Assert.True(floor[$"floor_{load}_database_cpu_percent_avg"] > 0, $"floor {load}: PostgreSQL did no work");
                Assert.True(floor[$"app_{load}_to_floor"] > 0);
            }

            var metrics = Ok(report, "metrics-job");
            Assert.True(0 < metrics["all_windows_p50_ms"] && metrics["all_windows_p50_ms"] <= metrics["all_windows_max_ms"]);
            var hub = Ok(report, "hub-latency");
            Assert.True(hub["load_hub_seen"] > 0, "no hub client saw a probe under load");
            Assert.True(Ok(report, "size")["database_cpu_seconds"] > 0);

            // The server the bench started is stopped (no postmaster on its folder) and the folder gone.
            var folder = report.GetProperty("databaseFolder").GetString()!;
            Assert.False(Directory.Exists(folder), $"{folder} is still there");
            Assert.DoesNotContain(RunningCommandLines(), line => line.Contains("/bin/postgres ", StringComparison.Ordinal) && line.Contains(folder, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>Every running process's command line, arguments separated by spaces.</summary>
    private static List<string> RunningCommandLines()
    {
        var lines = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                lines.Add(File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' '));
            }
            catch (IOException)
            {
                // The process ended while the list was read.
            }
        }

        return lines;
    }

    /// <summary>The scenario's figures, after checking it ran and passed.</summary>
    private static Dictionary<string, double> Ok(JsonElement report, string name)
    {
        var scenario = report.GetProperty("scenarios").EnumerateArray().FirstOrDefault(s => s.GetProperty("name").GetString() == name);
        Assert.True(scenario.ValueKind == JsonValueKind.Object, $"{name}: not in the report");
        var status = scenario.GetProperty("status").GetString();
        Assert.True(status == "ok", $"{name}: {status} {(scenario.TryGetProperty("reason", out var reason) ? reason.ToString() : string.Empty)}");
        return scenario.GetProperty("figures").EnumerateObject().ToDictionary(f => f.Name, f => f.Value.GetDouble());
    }

    private static async Task<(int Code, string Log)> RunBenchAsync(string[] args)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["run", "--project", Path.Combine(root, "bench", "Wallboard.Bench"), "--", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"still running after {Limit}:{Environment.NewLine}{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Wallboard.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Wallboard.sln above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Runs alone";
}
