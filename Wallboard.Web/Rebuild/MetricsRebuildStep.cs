using System.Globalization;
using Wallboard.Domain.Metrics;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Rebuild;

/// <summary>
/// Every metrics snapshot (each store × window of §7) computed again from the rebuilt calls and
/// call-backs, by the metrics jobs' own computation (<see cref="MetricsReports.ComputeAsync"/>),
/// replacing the stored ones.
/// </summary>
public sealed class MetricsRebuildStep(MetricsReports reports) : IRebuildStep
{
    public string Name => "metrics";

    public async Task<string> RunAsync(RebuildScope scope, RebuildProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(progress);
        var snapshots = 0;
        foreach (var store in scope.Stores)
        {
            var counter = progress.Start(Name, $"{store.Name} (store {store.Id})", MetricsWindows.All.Count, "windows");
            var computed = await reports.ComputeAsync(MetricsWindows.All, store.Id, ct);
            counter.Advance(computed.Count);
            counter.Finish(string.Empty);
            snapshots += computed.Count;
        }

        return $"{snapshots.ToString("N0", CultureInfo.InvariantCulture)} snapshots computed ({string.Join(", ", MetricsWindows.All)})";
    }
}
