namespace Wallboard.Web.Live;

/// <summary>
/// Hands one screen a board's snapshots at most once per window (<see cref="LiveBoardOptions.TvWindow"/>):
/// the first after a quiet spell at once, and of those that come while it is handed over or within
/// the window after, only the newest, when the window ends. So a screen that cannot use 20 updates
/// a second gets a few, the last snapshot of a burst always reaches it, and it never gets an older
/// snapshot after a newer one.
/// </summary>
public sealed class SnapshotThrottle : IAsyncDisposable
{
    private readonly Func<BoardSnapshot, Task> _deliver;
    private readonly Coalescer _coalescer;
    private readonly Lock _gate = new();
    private BoardSnapshot? _newest;
    private long _delivered = long.MinValue;

    public SnapshotThrottle(Func<BoardSnapshot, Task> deliver, TimeSpan window, TimeProvider time, ILogger logger)
    {
        _deliver = deliver;
        _coalescer = new Coalescer(_ => DeliverNewestAsync(), window, time, logger);
    }

    /// <summary>Takes a snapshot to hand over (an older one than the newest offered is dropped).</summary>
    public void Offer(BoardSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            if (_newest is not null && snapshot.Version <= _newest.Version)
            {
                return;
            }

            _newest = snapshot;
        }

        _coalescer.Request();
    }

    private Task DeliverNewestAsync()
    {
        BoardSnapshot? newest;
        lock (_gate)
        {
            newest = _newest;
            if (newest is null || newest.Version <= _delivered)
            {
                return Task.CompletedTask;
            }

            _delivered = newest.Version;
        }

        return _deliver(newest);
    }

    public ValueTask DisposeAsync() => _coalescer.DisposeAsync();
}
