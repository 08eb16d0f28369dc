using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Live;

/// <summary>A call that changed in a committed ingest batch, for whatever shows calls live.</summary>
public sealed record CallChange(
    long CallId,
    int StoreId,
    Department Department,
    CallPhase Phase,
    CallOutcome? Outcome,
    DateTimeOffset LastEventAt);

/// <summary>
/// The in-process fan-out of call changes (STYLE.md rule 11): ingest publishes after commit; the
/// live board subscribes. Subscribing returns an <see cref="IDisposable"/> that unsubscribes.
/// </summary>
public interface ICallChangeNotifier
{
    void Publish(IReadOnlyList<CallChange> changes);

    IDisposable Subscribe(Func<IReadOnlyList<CallChange>, ValueTask> handler);
}

public sealed partial class CallChangeNotifier(ILogger<CallChangeNotifier> logger) : ICallChangeNotifier
{
    private readonly Lock _gate = new();
    private ImmutableHandlers _handlers = new([]);

    public void Publish(IReadOnlyList<CallChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var handler in _handlers.Items)
        {
            _ = InvokeAsync(handler, changes);
        }
    }

    public IDisposable Subscribe(Func<IReadOnlyList<CallChange>, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = new([.. _handlers.Items, handler]);
        }

        return new Subscription(this, handler);
    }

    private void Unsubscribe(Func<IReadOnlyList<CallChange>, ValueTask> handler)
    {
        lock (_gate)
        {
            _handlers = new(_handlers.Items.Where(h => h != handler).ToArray());
        }
    }

    // A subscriber's failure is its own: it is logged and never reaches ingest or other subscribers.
    private async Task InvokeAsync(Func<IReadOnlyList<CallChange>, ValueTask> handler, IReadOnlyList<CallChange> changes)
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

    [LoggerMessage(Level = LogLevel.Error, Message = "A subscriber to call changes failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);

    private sealed record ImmutableHandlers(Func<IReadOnlyList<CallChange>, ValueTask>[] Items);

    private sealed class Subscription(CallChangeNotifier owner, Func<IReadOnlyList<CallChange>, ValueTask> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
