using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Wallboard.Domain.Stores;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;
using Wallboard.Domain.Metrics;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Live;

/// <summary>
/// The live boards (§5), one per store and department, in memory. Once the app has started every
/// store's sales board is rebuilt from the database (calls in progress, the latest calls for the
/// ticker, today's counters), without holding up start-up; any board opens on first use. After that each committed batch of call changes
/// (<see cref="ICallChangeNotifier"/>) reloads the changed calls by id, and each touched board
/// builds a new snapshot, coalesced (<see cref="Coalescer"/>), which goes out through
/// <see cref="IBoardNotifier"/>. Today's counters are SQL aggregates over the store-local day
/// (<see cref="BoardQueries"/>); at the store's midnight a timer rolls the board over to the new
/// day by itself (DST-safe: the day's end comes from the store's calendar).
/// </summary>
/// <remarks>
/// Everything that reads the database into memory (opening a board, applying changes, refreshing a
/// store) runs on one loop, in order, so an older read never overwrites a newer one. Building a
/// snapshot runs on the board's own coalescer and only reads memory and aggregates.
/// </remarks>
public sealed partial class LiveBoard(
    IDbContextFactory<WallboardDbContext> dbFactory,
    ICallChangeNotifier callChanges,
    ICallbackChangeNotifier callbackChanges,
    CallbackQueries callbacks,
    IBoardNotifier notifier,
    IMetricsNotifier metricsNotifier,
    TimeProvider time,
    IOptions<LiveBoardOptions> options,
    ILogger<LiveBoard> logger) : IHostedService, IAsyncDisposable
{
    // SQLite allows 32,766 parameters a statement; stay far below for IN lists.
    private const int ChunkSize = 500;

    private readonly Lock _gate = new();
    private readonly Dictionary<int, StoreInfo> _stores = [];
    private readonly Dictionary<BoardKey, Board> _boards = [];
    private readonly Dictionary<long, BoardKey> _callsInProgress = [];
    private readonly Dictionary<int, ITimer> _rollovers = [];
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private IDisposable? _subscription;
    private IDisposable? _callbackSubscription;
    private IDisposable? _metricsSubscription;
    private readonly Dictionary<int, MetricsReport> _todayMetrics = [];
    private Task _loop = Task.CompletedTask;
    private Task _opening = Task.CompletedTask;
    private long _lastVersion;
    private bool _disposed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribe before reading: a change committed while the boards load is applied after.
        _subscription = callChanges.Subscribe(changes =>
        {
            _work.Writer.TryWrite(new ApplyChanges(changes));
            return ValueTask.CompletedTask;
        });
        // A call-back that is created, claimed, done or falls overdue changes the overdue tile.
        _callbackSubscription = callbackChanges.Subscribe(changes =>
        {
            RequestBuilds(changes.Select(c => new BoardKey(c.StoreId, c.Department)));
            return ValueTask.CompletedTask;
        });
        // Today's metrics snapshot fills the leaderboard and the sources tile (§7 → §5).
        _metricsSubscription = metricsNotifier.Subscribe(reports =>
        {
            var today = reports.Where(r => r.Window == MetricsWindow.Today).ToList();
            lock (_gate)
            {
                foreach (var report in today)
                {
                    _todayMetrics[report.StoreId] = report;
                }
            }

            RequestBuilds(today.Select(r => new BoardKey(r.StoreId, Department.Sales)));
            return ValueTask.CompletedTask;
        });
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);

        // Every store's sales board is opened now, but the app does not wait for it to listen and
        // answer /health: a board is read from the database on the loop, in order with the changes,
        // whenever it is first asked for, so a screen that asks before its turn here gets it
        // opened then, and the same. Waiting would make start-up cost a board per store.
        _opening = Task.Run(() => OpenSalesBoardsAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OpenSalesBoardsAsync(CancellationToken ct)
    {
        try
        {
            List<int> storeIds;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                storeIds = await db.Stores.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
            }

            foreach (var storeId in storeIds)
            {
                await GetSnapshotAsync(new BoardKey(storeId, Department.Sales), BoardAudience.PublicScreen, ct);
            }

            LogStarted(logger, storeIds.Count);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && ct.IsCancellationRequested)
        {
            // Stopped before every board was open.
        }
        catch (Exception ex)
        {
            // The boards that did not open here open when first asked for.
            LogStepFailed(logger, ex);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // The host may dispose the boards before it stops them (a test host torn down
            // early): then everything below has been done already.
            if (_disposed)
            {
                return;
            }
        }

        _subscription?.Dispose();
        _callbackSubscription?.Dispose();
        _metricsSubscription?.Dispose();
        _work.Writer.TryComplete();
        try
        {
            await _stopping.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // Disposed while stopping: the loop was already cancelled and awaited there.
            return;
        }

        try
        {
            await _loop.WaitAsync(cancellationToken);
            await _opening.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown time ran out; the loop holds nothing that must be saved.
        }
    }

    /// <summary>
    /// The board's latest snapshot for an audience, building it first if it has none yet; null
    /// when there is no such store.
    /// </summary>
    public async Task<BoardSnapshot?> GetSnapshotAsync(BoardKey key, BoardAudience audience, CancellationToken ct)
    {
        var board = await OpenAsync(key, ct);
        if (board is null)
        {
            return null;
        }

        if (board.Latest(audience) is { } latest)
        {
            return latest;
        }

        await board.Builder.RequestAsync().WaitAsync(ct);
        return board.Latest(audience);
    }

    /// <summary>The board's latest snapshot, or null when it has none yet (see <see cref="GetSnapshotAsync"/>).</summary>
    public BoardSnapshot? Current(BoardKey key, BoardAudience audience)
    {
        lock (_gate)
        {
            return _boards.GetValueOrDefault(key)?.Latest(audience);
        }
    }

    /// <summary>Builds the board again now (coalesced with any build already due) and returns the result.</summary>
    public async Task<BoardSnapshot?> RefreshAsync(BoardKey key, BoardAudience audience, CancellationToken ct)
    {
        var board = await OpenAsync(key, ct);
        if (board is null)
        {
            return null;
        }

        await board.Builder.RequestAsync().WaitAsync(ct);
        return board.Latest(audience);
    }

    private async Task<Board?> OpenAsync(BoardKey key, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_boards.TryGetValue(key, out var open))
            {
                return open;
            }
        }

        var opened = new TaskCompletionSource<Board?>(TaskCreationOptions.RunContinuationsAsynchronously);
        ObjectDisposedException.ThrowIf(!_work.Writer.TryWrite(new OpenBoard(key, opened)), this);

        return await opened.Task.WaitAsync(ct);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var reader = _work.Reader;
        var changes = new List<CallChange>();
        try
        {
            while (await reader.WaitToReadAsync(ct))
            {
                while (reader.TryRead(out var work))
                {
                    if (work is ApplyChanges apply)
                    {
                        // A burst of batches is read back from the database in one go.
                        changes.AddRange(apply.Changes);
                        if (changes.Count < 5_000)
                        {
                            continue;
                        }
                    }

                    await RunSafelyAsync(() => ApplyChangesAsync(changes, ct));
                    changes.Clear();

                    switch (work)
                    {
                        case OpenBoard open:
                            try
                            {
                                open.Opened.TrySetResult(await OpenBoardAsync(open.Key, ct));
                            }
                            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                            {
                                LogOpenFailed(logger, open.Key, ex);
                                open.Opened.TrySetException(ex);
                            }

                            break;
                        case RefreshStore refresh:
                            await RunSafelyAsync(() => RefreshStoreAsync(refresh.StoreId, ct));
                            break;
                        default:
                            break;
                    }
                }

                await RunSafelyAsync(() => ApplyChangesAsync(changes, ct));
                changes.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }

        while (reader.TryRead(out var left))
        {
            (left as OpenBoard)?.Opened.TrySetCanceled(CancellationToken.None);
        }
    }

    private async Task RunSafelyAsync(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            // The loop goes on: the next change or the next rollover reads the database again.
            LogStepFailed(logger, ex);
        }
    }

    private async Task ApplyChangesAsync(List<CallChange> changes, CancellationToken ct)
    {
        if (changes.Count == 0)
        {
            return;
        }

        List<long> ids;
        lock (_gate)
        {
            // Only calls that a board shows, or showed, need reading.
            ids = changes
                .Where(c => _boards.ContainsKey(new BoardKey(c.StoreId, c.Department)) || _callsInProgress.ContainsKey(c.CallId))
                .Select(c => c.CallId)
                .Distinct()
                .ToList();
        }

        if (ids.Count == 0)
        {
            return;
        }

        var rows = new List<LiveCallRow>(ids.Count);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            foreach (var chunk in ids.Chunk(ChunkSize))
            {
                rows.AddRange(await LiveCallRow.From(db.Calls.AsNoTracking().Where(c => chunk.Contains(c.Id))).ToListAsync(ct));
            }
        }

        var touched = new HashSet<Board>();
        var staleStores = new HashSet<int>();
        lock (_gate)
        {
            foreach (var row in rows)
            {
                // A late event can move a call to another store or department.
                if (_callsInProgress.TryGetValue(row.Id, out var was) && was != row.Key && _boards.TryGetValue(was, out var previous))
                {
                    previous.Forget(row.Id);
                    touched.Add(previous);
                }

                if (row.InProgress && _boards.ContainsKey(row.Key))
                {
                    _callsInProgress[row.Id] = row.Key;
                }
                else
                {
                    _callsInProgress.Remove(row.Id);
                }

                if (_boards.TryGetValue(row.Key, out var board))
                {
                    board.Apply(row, options.Value.RecentCalls);
                    touched.Add(board);
                    var store = _stores[row.StoreId];
                    if ((row.LeadSourceId is { } source && !store.Sources.ContainsKey(source))
                        || (row.AnsweredBySalespersonId is { } person && store.PersonName(person) is null))
                    {
                        staleStores.Add(row.StoreId);
                    }
                }
            }
        }

        // A source or salesperson added since the store was read: read it again before building.
        foreach (var storeId in staleStores)
        {
            await LoadStoreAsync(storeId, ct);
        }

        foreach (var board in touched)
        {
            board.Builder.Request();
        }
    }

    private async Task<Board?> OpenBoardAsync(BoardKey key, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_boards.TryGetValue(key, out var open))
            {
                return open;
            }
        }

        if (!_stores.ContainsKey(key.StoreId) && await LoadStoreAsync(key.StoreId, ct) is null)
        {
            return null;
        }

        List<LiveCallRow> inProgress, recent;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var calls = db.Calls.AsNoTracking().Where(c => c.StoreId == key.StoreId && c.Department == key.Department);
            inProgress = await LiveCallRow.From(calls.Where(c => c.EndedAt == null)).ToListAsync(ct);
            recent = await LiveCallRow.From(calls.OrderByDescending(c => c.StartedAt).Take(options.Value.RecentCalls)).ToListAsync(ct);
        }

        var board = new Board(key);
        board.Builder = new Coalescer(token => BuildAsync(board, token), options.Value.CoalescingWindow, time, logger);
        lock (_gate)
        {
            foreach (var row in recent.Concat(inProgress))
            {
                board.Apply(row, int.MaxValue);
            }

            board.Trim(options.Value.RecentCalls);
            foreach (var row in inProgress)
            {
                _callsInProgress[row.Id] = key;
            }

            _boards[key] = board;
        }

        ScheduleRollover(key.StoreId);
        board.Builder.Request();
        return board;
    }

    private async Task<StoreInfo?> LoadStoreAsync(int storeId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var store = await db.Stores.AsNoTracking().Include(s => s.BusinessHours).Include(s => s.ClosedDates).AsSplitQuery()
            .SingleOrDefaultAsync(s => s.Id == storeId, ct);
        if (store is null)
        {
            return null;
        }

        var sources = await db.LeadSources.AsNoTracking().Where(s => s.StoreId == storeId).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var people = await db.Salespeople.AsNoTracking().Where(p => p.StoreId == storeId).OrderBy(p => p.Name)
            .Select(p => new StoreInfo.Person(p.Id, p.Name, p.Role, p.IsActive))
            .ToListAsync(ct);
        var info = new StoreInfo(store.Id, store.Name, store.Slug, store.TimeZoneId, store.Settings, sources, people) { Calendar = store.Calendar };
        lock (_gate)
        {
            _stores[storeId] = info;
        }

        return info;
    }

    private async Task RefreshStoreAsync(int storeId, CancellationToken ct)
    {
        await LoadStoreAsync(storeId, ct);
        List<Board> boards;
        lock (_gate)
        {
            boards = _boards.Values.Where(b => b.Key.StoreId == storeId).ToList();
        }

        // A new time zone moves the store's midnight.
        if (boards.Count > 0)
        {
            ScheduleRollover(storeId);
        }

        foreach (var board in boards)
        {
            board.Builder.Request();
        }
    }

    private async Task BuildAsync(Board board, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        StoreInfo store;
        LiveCallRow[] inProgress, recent;
        lock (_gate)
        {
            store = _stores[board.Key.StoreId];
            inProgress = board.InProgress.Values.ToArray();
            recent = board.Recent.Values.ToArray();
        }

        // "Today" is the store's, whatever the server's zone; the bounds are instants, so a day
        // the clocks change on lasts 23 or 25 hours.
        var day = store.Calendar.LocalDate(now);
        var (start, end) = store.Calendar.DayBounds(day);
        BoardQueries.DayFigures figures;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            figures = await BoardQueries.ReadDayAsync(db, board.Key, start, end, now, store.Settings.ServiceLevelSeconds, ct);
        }

        var overdue = (await callbacks.ListAsync(new CallbackFilter(board.Key.StoreId) { OverdueOnly = true }, ct))
            .Where(c => c.Department == board.Key.Department)
            .ToList();
        MetricsReport? metrics;
        lock (_gate)
        {
            // Only a snapshot of this very day: before today's first one the tiles count live.
            metrics = board.Key.Department == Department.Sales && _todayMetrics.GetValueOrDefault(store.Id) is { } latest && latest.From == start
                ? latest
                : null;
        }

        var inputs = new BoardComposer.Inputs(store, board.Key, day, now, NextVersion(now), figures, inProgress, recent, overdue, figures.SpeedToCallback ?? SpeedToCallbackTile.NotYet, metrics);
        var update = new BoardUpdate(
            board.Key,
            BoardComposer.Compose(inputs, BoardAudience.PublicScreen),
            BoardComposer.Compose(inputs, BoardAudience.Staff));
        lock (_gate)
        {
            board.Update = update;
        }

        notifier.Publish([update]);
    }

    private void RequestBuilds(IEnumerable<BoardKey> keys)
    {
        lock (_gate)
        {
            foreach (var key in keys.Distinct())
            {
                _boards.GetValueOrDefault(key)?.Builder.Request();
            }
        }
    }

    // Milliseconds since 1970 while the clock moves on, +1 when it does not: a board's versions
    // only grow, across restarts too, so a screen can keep the newest snapshot it has seen.
    private long NextVersion(DateTimeOffset now)
    {
        lock (_gate)
        {
            _lastVersion = Math.Max(_lastVersion + 1, now.ToUnixTimeMilliseconds());
            return _lastVersion;
        }
    }

    // One timer per store, set for the end of the store's local day; when it fires the store's
    // boards build again (the build reads the new day) and the timer is set for the next midnight.
    private void ScheduleRollover(int storeId)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (!_rollovers.TryGetValue(storeId, out var timer))
            {
                timer = time.CreateTimer(_ => OnRollover(storeId), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _rollovers[storeId] = timer;
            }

            var now = time.GetUtcNow();
            var (_, end) = _stores[storeId].Calendar.DayContaining(now);
            // A timer that fires a little early finds the same midnight and is set again for the rest.
            var due = end - now;
            timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Reads the store again (name, zone, thresholds, sources, people) and rebuilds its boards:
    /// what the admin screens call after saving a change to it.
    /// </summary>
    public void ReloadStore(int storeId) => _work.Writer.TryWrite(new RefreshStore(storeId));

    private void OnRollover(int storeId)
    {
        LogRollover(logger, storeId);
        _work.Writer.TryWrite(new RefreshStore(storeId));
        ScheduleRollover(storeId);
    }

    public async ValueTask DisposeAsync()
    {
        List<Board> boards;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var timer in _rollovers.Values)
            {
                timer.Dispose();
            }

            _rollovers.Clear();
            boards = _boards.Values.ToList();
        }

        _subscription?.Dispose();
        _callbackSubscription?.Dispose();
        _metricsSubscription?.Dispose();
        _work.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _loop;
        await _opening;
        foreach (var board in boards)
        {
            await board.Builder.DisposeAsync();
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live boards ready for {StoreCount} stores")]
    private static partial void LogStarted(ILogger logger, int storeCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {StoreId} passed midnight: its boards start a new day")]
    private static partial void LogRollover(ILogger logger, int storeId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not open board {Board}")]
    private static partial void LogOpenFailed(ILogger logger, BoardKey board, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The live board could not apply a change; the next one reads the database again")]
    private static partial void LogStepFailed(ILogger logger, Exception exception);

    private abstract record Work;

    private sealed record ApplyChanges(IReadOnlyList<CallChange> Changes) : Work;

    private sealed record OpenBoard(BoardKey Key, TaskCompletionSource<Board?> Opened) : Work;

    private sealed record RefreshStore(int StoreId) : Work;

    /// <summary>One board's memory: its calls in progress, its recent calls, its latest snapshot. Guarded by the owner's lock.</summary>
    private sealed class Board(BoardKey key)
    {
        public BoardKey Key { get; } = key;

        public Dictionary<long, LiveCallRow> InProgress { get; } = [];

        public Dictionary<long, LiveCallRow> Recent { get; } = [];

        public Coalescer Builder { get; set; } = null!;

        public BoardUpdate? Update { get; set; }

        public BoardSnapshot? Latest(BoardAudience audience) => Update?.For(audience);

        public void Apply(LiveCallRow row, int recentLimit)
        {
            if (row.InProgress)
            {
                InProgress[row.Id] = row;
            }
            else
            {
                InProgress.Remove(row.Id);
            }

            Recent[row.Id] = row;
            Trim(recentLimit);
        }

        public void Forget(long callId)
        {
            InProgress.Remove(callId);
            Recent.Remove(callId);
        }

        public void Trim(int limit)
        {
            if (Recent.Count <= limit)
            {
                return;
            }

            foreach (var old in Recent.Values.OrderByDescending(r => r.LatestAt).Skip(limit).Select(r => r.Id).ToList())
            {
                Recent.Remove(old);
            }
        }
    }
}
