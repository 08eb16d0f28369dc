using Wallboard.Domain.Metrics;
using Wallboard.Web.Hosting;

namespace Wallboard.Web.Metrics;

/// <summary>
/// The in-process fan-out of new metrics snapshots (STYLE.md rule 11): the metrics jobs publish
/// after saving; the live board and the manager screens subscribe, so nothing polls. Subscribing
/// returns an <see cref="IDisposable"/> that unsubscribes.
/// </summary>
public interface IMetricsNotifier
{
    void Publish(IReadOnlyList<MetricsReport> reports);

    IDisposable Subscribe(Func<IReadOnlyList<MetricsReport>, ValueTask> handler);
}

public sealed class MetricsNotifier(ILogger<MetricsNotifier> logger) : IMetricsNotifier
{
    private readonly BatchFanout<MetricsReport> _fanout = new(logger, "metrics snapshots");

    public void Publish(IReadOnlyList<MetricsReport> reports) => _fanout.Publish(reports);

    public IDisposable Subscribe(Func<IReadOnlyList<MetricsReport>, ValueTask> handler) => _fanout.Subscribe(handler);
}
