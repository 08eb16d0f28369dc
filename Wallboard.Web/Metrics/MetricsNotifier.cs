using Wallboard.Domain.Metrics;

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

public sealed partial class MetricsNotifier(ILogger<MetricsNotifier> logger) : IMetricsNotifier
{
    private readonly Lock _gate = new();
    private Func<IReadOnlyList<MetricsReport>, ValueTask>[] _handlers = [];

    public void Publish(IReadOnlyList<MetricsReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0)
        {
            return;
        }

        foreach (var handler in Volatile.Read(ref _handlers))
        {
            _ = InvokeAsync(handler, reports);
        }
    }

    public IDisposable Subscribe(Func<IReadOnlyList<MetricsReport>, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(this, handler);
    }

    private void Unsubscribe(Func<IReadOnlyList<MetricsReport>, ValueTask> handler)
    {
        lock (_gate)
        {
            _handlers = _handlers.Where(h => h != handler).ToArray();
        }
    }

    // A subscriber's failure is its own: it is logged and never reaches the jobs or other subscribers.
    private async Task InvokeAsync(Func<IReadOnlyList<MetricsReport>, ValueTask> handler, IReadOnlyList<MetricsReport> reports)
    {
        try
        {
            await handler(reports);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSubscriberFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A subscriber to metrics snapshots failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);

    private sealed class Subscription(MetricsNotifier owner, Func<IReadOnlyList<MetricsReport>, ValueTask> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
