namespace Wallboard.Web.Live;

/// <summary>
/// A new snapshot of a board, in both of its forms. <see cref="LiveBoard"/> publishes every
/// snapshot it builds (<see cref="IBoardNotifier"/>); the hub publisher takes all of them, a screen
/// subscribes to one board in one form (<see cref="BoardUpdates.Subscribe"/>).
/// </summary>
public sealed record BoardUpdate(BoardKey Key, BoardSnapshot PublicScreen, BoardSnapshot Staff)
{
    public BoardSnapshot For(BoardAudience audience) => audience == BoardAudience.Staff ? Staff : PublicScreen;
}

public static class BoardUpdates
{
    /// <summary>
    /// One board's snapshots in one form and nothing else: a public screen's subscription can only
    /// ever receive masked snapshots.
    /// </summary>
    public static IDisposable Subscribe(this IBoardNotifier notifier, BoardKey key, BoardAudience audience, Func<BoardSnapshot, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(handler);
        return notifier.Subscribe(async updates =>
        {
            foreach (var update in updates.Where(u => u.Key == key))
            {
                await handler(update.For(audience));
            }
        });
    }
}
