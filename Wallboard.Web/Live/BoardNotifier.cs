namespace Wallboard.Web.Live;

/// <summary>A new snapshot of a board, in both of its forms.</summary>
public sealed record BoardUpdate(BoardKey Key, BoardSnapshot PublicScreen, BoardSnapshot Staff)
{
    public BoardSnapshot For(BoardAudience audience) => audience == BoardAudience.Staff ? Staff : PublicScreen;
}

/// <summary>
/// The in-process fan-out of board snapshots (STYLE.md rule 11): <see cref="LiveBoard"/> publishes
/// every snapshot it builds; screens subscribe to one board in one form and get nothing else (a
/// public screen's subscription can only ever receive masked snapshots); the hub publisher
/// subscribes to all. Subscribing returns an <see cref="IDisposable"/> that unsubscribes.
/// Handlers run off the publisher's thread: a component hands the snapshot to its renderer with
/// <c>InvokeAsync</c>.
/// </summary>
public sealed partial class BoardNotifier(ILogger<BoardNotifier> logger)
{
    private readonly Lock _gate = new();
    private Subscriber[] _subscribers = [];

    public IDisposable Subscribe(BoardKey key, BoardAudience audience, Func<BoardSnapshot, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new Subscriber(update => update.Key == key ? handler(update.For(audience)) : ValueTask.CompletedTask));
    }

    /// <summary>Every board's updates, both forms (for the hub, which sends each form to its own group).</summary>
    public IDisposable SubscribeAll(Func<BoardUpdate, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new Subscriber(handler));
    }

    public void Publish(BoardUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            _ = InvokeAsync(subscriber, update);
        }
    }

    private Subscription Add(Subscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscriber];
        }

        return new Subscription(this, subscriber);
    }

    private void Remove(Subscriber subscriber)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Where(s => s != subscriber).ToArray();
        }
    }

    // A subscriber's failure is its own: logged, never reaching the board or other subscribers.
    private async Task InvokeAsync(Subscriber subscriber, BoardUpdate update)
    {
        try
        {
            await subscriber.Handler(update);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSubscriberFailed(logger, update.Key, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A subscriber to board {Board} failed")]
    private static partial void LogSubscriberFailed(ILogger logger, BoardKey board, Exception exception);

    private sealed class Subscriber(Func<BoardUpdate, ValueTask> handler)
    {
        public Func<BoardUpdate, ValueTask> Handler { get; } = handler;
    }

    private sealed class Subscription(BoardNotifier owner, Subscriber subscriber) : IDisposable
    {
        public void Dispose() => owner.Remove(subscriber);
    }
}
