using Wallboard.Domain.Stores;

namespace Wallboard.Web.Callbacks;

/// <summary>A call-back that changed (created, joined, claimed, attempted, overdue, escalated, closed…).</summary>
public sealed record CallbackChange(int StoreId, Department Department, long CallbackId);

/// <summary>
/// The in-process fan-out of call-back changes (STYLE.md rule 11), published after each commit by
/// the call-back commands, the intake of missed calls and the sweep. The live board subscribes to
/// update its overdue tile; the call-back screens to refresh. Subscribing returns an
/// <see cref="IDisposable"/> that unsubscribes.
/// </summary>
public interface ICallbackChangeNotifier
{
    void Publish(IReadOnlyList<CallbackChange> changes);

    IDisposable Subscribe(Func<IReadOnlyList<CallbackChange>, ValueTask> handler);
}

public sealed partial class CallbackChangeNotifier(ILogger<CallbackChangeNotifier> logger) : ICallbackChangeNotifier
{
    private readonly Lock _gate = new();
    private Func<IReadOnlyList<CallbackChange>, ValueTask>[] _handlers = [];

    public void Publish(IReadOnlyList<CallbackChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var handler in Volatile.Read(ref _handlers))
        {
            _ = InvokeAsync(handler, changes);
        }
    }

    public IDisposable Subscribe(Func<IReadOnlyList<CallbackChange>, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(this, handler);
    }

    private void Unsubscribe(Func<IReadOnlyList<CallbackChange>, ValueTask> handler)
    {
        lock (_gate)
        {
            _handlers = _handlers.Where(h => h != handler).ToArray();
        }
    }

    // A subscriber's failure is its own: it is logged and never reaches the publisher or other subscribers.
    private async Task InvokeAsync(Func<IReadOnlyList<CallbackChange>, ValueTask> handler, IReadOnlyList<CallbackChange> changes)
    {
        try
        {
            await handler(changes);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSubscriberFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A subscriber to call-back changes failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);

    private sealed class Subscription(CallbackChangeNotifier owner, Func<IReadOnlyList<CallbackChange>, ValueTask> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
