using Wallboard.Bench.Floor;
using Wallboard.Bench.Hosting;
using Wallboard.Bench.Reporting;

namespace Wallboard.Bench.Scenarios;

/// <summary>
/// The same load as <c>ingest-single-flat</c> and <c>ingest-batch-flat</c> (same traffic, batch,
/// connections, warm-up and window), in the same run, against <see cref="FloorServer"/>: a minimal
/// durable signed endpoint inside the bench process. Reports the floor's rates and latencies, and
/// the app's single-event and batch rates of this run as a ratio of the floor's
/// (<c>app_single_to_floor</c>, <c>app_batch_to_floor</c>), so a figure measured on a busy
/// machine is read against what that machine can do at all.
/// </summary>
/// <remarks>
/// The floor runs in the bench's process, next to the load generator; the app runs in its own.
/// The floor's CPU is in <c>client_cpu_percent_avg</c> of its rows (the bench's whole process).
/// Its table is on the app's kind of database: a SQLite file, or with <c>--database postgres</c>
/// a database of its own on the run's PostgreSQL server (dropped after), whose work is in the
/// <c>floor_*_database_*</c> figures.
/// </remarks>
internal sealed class IngestFloorScenario : IBenchScenario
{
    public string Name => BenchOptions.IngestFloor;

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        var result = new ScenarioResult(Name);
        result.Settings["batch"] = options.Batch;
        result.Settings["connections"] = options.Connections;
        result.Settings["duration_s"] = options.DurationSeconds;
        result.Settings["warmup_s"] = options.WarmupSeconds;

        var folder = Path.Combine(context.DataDirectory ?? Path.GetTempPath(), $"floor-{context.RunId}");
        // The floor appends to the app's kind of database, so the ratio compares like with like.
        var postgres = context.Database as PostgresBenchDatabase;
        var floorDatabase = $"floor_{context.RunId}";
        result.Settings["database"] = postgres is null ? "sqlite" : "postgres";
        context.Log.WriteLine(postgres is null
            ? $"{Name}: minimal endpoint (Kestrel, HMAC, group commit, SQLite synchronous=FULL) in the bench process, database in {folder}"
            : $"{Name}: minimal endpoint (Kestrel, HMAC, group commit) in the bench process, database {floorDatabase} on the run's PostgreSQL server");
        try
        {
            if (postgres is not null)
            {
                await postgres.Server.ExecuteAsync($"CREATE DATABASE \"{floorDatabase}\"", ct);
            }

            await using (var floor = postgres is null
                ? await FloorServer.StartOnSqliteAsync(folder, ct)
                : await FloorServer.StartOnPostgresAsync(postgres.Server.ConnectionString(floorDatabase), ct))
            {
                var target = new BenchTarget(floor.BaseAddress, FloorServer.IntegrationId, floor.Secret, ProcessId: null);
                var floorContext = context with { Target = target, Sampler = null };
                var single = await new IngestScenario("floor-single-flat", 1, rate: null, options.Connections).RunAsync(floorContext, ct);
                var batch = await new IngestScenario("floor-batch-flat", options.Batch, rate: null, options.Connections).RunAsync(floorContext, ct);
                Copy(single, "single", result);
                Copy(batch, "batch", result);
            }

            Ratio(context, BenchOptions.IngestSingleFlat, "single", result);
            Ratio(context, BenchOptions.IngestBatchFlat, "batch", result);
        }
        finally
        {
            TryDelete(folder, context.Log);
            if (postgres is not null)
            {
                await postgres.Server.ExecuteAsync($"DROP DATABASE IF EXISTS \"{floorDatabase}\" WITH (FORCE)", CancellationToken.None);
            }
        }

        result.Notes.Add(postgres is null
            ? "The floor appends each signed, parsed event to SQLite (WAL, synchronous=FULL) by group commit and answers after the commit; nothing else."
            : "The floor appends each signed, parsed event to a database of its own on the run's PostgreSQL server (fsync and synchronous_commit on) by group commit and answers after the commit; nothing else.");
        return result;
    }

    private static void Copy(ScenarioResult from, string prefix, ScenarioResult to)
    {
        if (from.Status != ScenarioResult.Ok)
        {
            to.Status = ScenarioResult.Failed;
            to.Reason = $"floor {prefix}: {from.Reason}";
        }

        foreach (var name in (string[])["accepted_events_per_s", "requests_per_s", "ack_p50_ms", "ack_p99_ms", "errors", "client_cpu_percent_avg", "database_cpu_percent_avg", "database_cpu_ms_per_1k_events"])
        {
            if (from.Figures.TryGetValue(name, out var value))
            {
                to.Add($"floor_{prefix}_{name}", value);
            }
        }

        to.Notes.AddRange(from.Notes.Select(n => $"floor {prefix}: {n}"));
    }

    private static void Ratio(BenchContext context, string appScenario, string prefix, ScenarioResult to)
    {
        var app = context.Earlier.FirstOrDefault(s => s.Name == appScenario && s.Status == ScenarioResult.Ok);
        if (app is null || !app.Figures.TryGetValue("accepted_events_per_s", out var appRate)
            || !to.Figures.TryGetValue($"floor_{prefix}_accepted_events_per_s", out var floorRate) || floorRate <= 0)
        {
            to.Notes.Add($"No ratio for {prefix}: {appScenario} did not run before it in this run.");
            return;
        }

        to.Add($"app_{prefix}_events_per_s", appRate);
        to.Add($"app_{prefix}_to_floor", appRate / floorRate);
    }

    private static void TryDelete(string folder, TextWriter log)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException ex)
        {
            log.WriteLine($"Could not delete {folder}: {ex.Message}");
        }
    }
}
