// The app's notifiers by what they carry: one mechanism (Notifier<T>), one name per kind of change.
global using IBoardNotifier = Wallboard.Web.Hosting.INotifier<Wallboard.Web.Live.BoardUpdate>;
global using ICallbackChangeNotifier = Wallboard.Web.Hosting.INotifier<Wallboard.Web.Callbacks.CallbackChange>;
global using ICallChangeNotifier = Wallboard.Web.Hosting.INotifier<Wallboard.Web.Live.CallChange>;
global using IMetricsNotifier = Wallboard.Web.Hosting.INotifier<Wallboard.Domain.Metrics.MetricsReport>;

namespace Wallboard.Web.Hosting;

/// <summary>
/// The in-process fan-out of one kind of change (STYLE.md rule 11): call changes (ingest publishes
/// after commit), call-back changes (commands, intake, sweep), metrics snapshots (the metrics jobs)
/// and board snapshots (the live board). Publishers hand over a batch after their commit; every
/// subscriber gets it without waiting for the others, off the publisher's thread (a component
/// hands it to its renderer with <c>InvokeAsync</c>); a subscriber's failure is logged and never
/// reaches the publisher or other subscribers. Subscribing returns an <see cref="IDisposable"/>
/// that unsubscribes.
/// </summary>
public interface INotifier<T>
{
    void Publish(IReadOnlyList<T> batch);

    IDisposable Subscribe(Func<IReadOnlyList<T>, ValueTask> handler);
}

/// <summary>The one implementation of <see cref="INotifier{T}"/>, a singleton per kind of change.</summary>
public sealed partial class Notifier<T>(ILogger<Notifier<T>> logger) : INotifier<T>
{
    private readonly Lock _gate = new();
    private Func<IReadOnlyList<T>, ValueTask>[] _handlers = [];

    public void Publish(IReadOnlyList<T> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        foreach (var handler in Volatile.Read(ref _handlers))
        {
            _ = InvokeAsync(handler, batch);
        }
    }

    public IDisposable Subscribe(Func<IReadOnlyList<T>, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(this, handler);
    }

    private void Unsubscribe(Func<IReadOnlyList<T>, ValueTask> handler)
    {
        lock (_gate)
        {
            _handlers = _handlers.Where(h => h != handler).ToArray();
        }
    }

    private async Task InvokeAsync(Func<IReadOnlyList<T>, ValueTask> handler, IReadOnlyList<T> batch)
    {
        try
        {
            await handler(batch);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSubscriberFailed(logger, typeof(T).Name, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A subscriber to {Subject} notifications failed")]
    private static partial void LogSubscriberFailed(ILogger logger, string subject, Exception exception);

    private sealed class Subscription(Notifier<T> owner, Func<IReadOnlyList<T>, ValueTask> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
