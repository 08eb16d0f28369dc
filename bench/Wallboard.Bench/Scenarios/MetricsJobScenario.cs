using Wallboard.Bench.Reporting;

namespace Wallboard.Bench.Scenarios;

/// <summary>
/// Extension point, not yet measured: how long the metrics job takes over N calls of history.
/// Needs the metrics of DESIGN.md §7 and their job (being built).
/// </summary>
/// <remarks>
/// The plan, for whoever lands the job: write <c>--history N</c> calls (the start-up scenario
/// already does, through <see cref="History.HistorySeeder"/>), then time one run of the job per
/// store and window, either in-process against the database file with the app's services, or
/// against the running server through <c>GET /api/v1/stores/{storeId}/metrics?window=…</c> with a
/// manager token from demo-credentials.json; report per-run p50/max and the server's CPU seconds.
/// </remarks>
internal sealed class MetricsJobScenario : IBenchScenario
{
    public string Name => BenchOptions.MetricsJob;

    public Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct) =>
        Task.FromResult(ScenarioResult.Skip(Name, "Waits for the metrics job (DESIGN.md §7, being built); see bench/README.md."));
}
