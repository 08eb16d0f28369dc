using Wallboard.Bench.Reporting;

namespace Wallboard.Bench.Scenarios;

/// <summary>
/// Extension point, not yet measured: the time from posting an event to a screen showing it.
/// Needs the live board's SignalR hub <c>/hubs/wallboard</c> (DESIGN.md §11: <c>Subscribe(storeId,
/// department)</c>, server message <c>board</c>), which is being built.
/// </summary>
/// <remarks>
/// The plan, for whoever lands the hub: connect N hub clients (Microsoft.AspNetCore.SignalR.Client,
/// already pinned) with a display token from demo-credentials.json, Subscribe each to a demo store's
/// Sales board, then post single events of fresh calls at a modest fixed rate (the ingest scenarios'
/// <c>SignedPoster</c> and <c>CallTraffic</c>) and record, per event and client, the time from the
/// post to the first <c>board</c> message that contains its call; report p50/p95/p99/max with
/// <see cref="Load.LatencySummary"/>, under ingest load and idle. The TV page variant does the same
/// with Chromium (Playwright) and a DOM mutation observer on the TV page's call rows.
/// </remarks>
internal sealed class HubLatencyScenario : IBenchScenario
{
    public string Name => BenchOptions.HubLatency;

    public Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct) =>
        Task.FromResult(ScenarioResult.Skip(Name, "Waits for the live board's SignalR hub /hubs/wallboard (being built); see bench/README.md."));
}
