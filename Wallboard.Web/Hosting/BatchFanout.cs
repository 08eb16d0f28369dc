namespace Wallboard.Web.Hosting;

/// <summary>
/// The in-process fan-out behind the app's notifiers (STYLE.md rule 11): publishers hand over a
/// batch after their commit, every subscriber gets it without waiting for the others, and a
/// subscriber's failure is logged and never reaches the publisher or other subscribers.
/// Subscribing returns an <see cref="IDisposable"/> that unsubscribes.
/// </summary>
public sealed partial class BatchFanout<T>(ILogger logger, string subject)
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
            LogSubscriberFailed(logger, subject, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A subscriber to {Subject} failed")]
    private static partial void LogSubscriberFailed(ILogger logger, string subject, Exception exception);

    private sealed class Subscription(BatchFanout<T> owner, Func<IReadOnlyList<T>, ValueTask> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
