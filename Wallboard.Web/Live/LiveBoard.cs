using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;
using Wallboard.Domain.Metrics;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Live;

/// <summary>
/// The live boards (§5), one per store and department, in memory. At start-up every store's sales
/// board is read from the database (calls in progress, the latest calls for the ticker, each of
/// today's calls' facts for the counters, today's call-backs); other departments open on first use.
/// After that the boards are updated, not rebuilt: each committed call change
/// (<see cref="ICallChangeNotifier"/>) replaces what that call added to its board's day
/// (<see cref="BoardDay"/>), from the call's state as ingest committed it, or read back by id when
/// the publisher sent only the id; each call-back change reads that call-back. Each touched board
/// builds a new snapshot from memory, coalesced (<see cref="Coalescer"/>), which goes out through
/// <see cref="IBoardNotifier"/>. The database is read again for a store's boards at start-up, at
/// the store's midnight (a timer, DST-safe: the day's end comes from the store's calendar), when
/// the store's settings change, and in a periodic self-check (<see cref="CheckAsync"/>) that
/// compares memory with the database, logs any drift and corrects it
/// (<see cref="ResyncStoreAsync"/>).
/// </summary>
/// <remarks>
/// Everything that reads the database into memory (opening a board, applying changes, resyncing a
/// store, the self-check) runs on one loop, in order, so an older read never overwrites a newer
/// one. Building a snapshot runs on the board's own coalescer and only reads memory.
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

    // The overdue tile lists at most this many (as the call-back list does).
    private const int OverdueListed = 500;

    // The most active call-backs of a store read at once (the soonest due): at a board's opening,
    // its midnight and its self-check. Between those, changes are applied one call-back at a time.
    private const int ActiveCallbacksRead = 5_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<int, StoreInfo> _stores = [];
    private readonly Dictionary<BoardKey, Board> _boards = [];
    private readonly Dictionary<int, StoreDay> _storeDays = [];
    private readonly Dictionary<long, BoardKey> _callsInProgress = [];
    private readonly Dictionary<long, BoardKey> _dayCalls = [];
    private readonly Dictionary<int, ITimer> _rollovers = [];
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<Work> _deferred = new();
    private readonly CancellationTokenSource _stopping = new();
    private IDisposable? _subscription;
    private IDisposable? _callbackSubscription;
    private IDisposable? _metricsSubscription;
    private ITimer? _selfCheck;
    private readonly Dictionary<int, MetricsReport> _todayMetrics = [];
    private Task _loop = Task.CompletedTask;
    private Task _opening = Task.CompletedTask;

    // The self-check reads the database off the loop, one check after another (set on the loop);
    // while it reads a board, the loop adds every call (and negated call-back) id it changes to
    // _tracking, so the comparison leaves those out.
    private Task _checks = Task.CompletedTask;
    private int _checksWaiting;
    private HashSet<long>? _tracking;
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
        // A call-back that is created, claimed, done or falls overdue changes the overdue tile, the
        // speed to call-back and the recovery of its missed calls.
        _callbackSubscription = callbackChanges.Subscribe(changes =>
        {
            _work.Writer.TryWrite(new ApplyCallbackChanges(changes));
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

        var every = options.Value.SelfCheckInterval;
        if (every > TimeSpan.Zero && every != Timeout.InfiniteTimeSpan)
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    _selfCheck = time.CreateTimer(_ => _work.Writer.TryWrite(new SelfCheck(null)), null, every, every);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Done when start-up's opening of every store's sales board has finished (for tests and tools).</summary>
    internal Task SalesBoardsOpened => _opening;

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

            _selfCheck?.Dispose();
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
            await _checks.WaitAsync(cancellationToken);
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

    /// <summary>
    /// Builds the board again now, once every change published before this call has been applied
    /// (coalesced with any build already due), and returns the result.
    /// </summary>
    public async Task<BoardSnapshot?> RefreshAsync(BoardKey key, BoardAudience audience, CancellationToken ct)
    {
        var board = await OpenAsync(key, ct);
        if (board is null)
        {
            return null;
        }

        await RunOnLoopAsync(done => new Barrier(done), ct);
        await board.Builder.RequestAsync().WaitAsync(ct);
        return board.Latest(audience);
    }

    /// <summary>
    /// Reads a store's open boards again from the database (today's calls and counters, calls in
    /// progress, recent calls, call-backs) and builds them: what the store's midnight, a change to
    /// the store's settings and the self-check's correction do, and what a node that may have
    /// missed changes calls to catch up. Runs after every change published before the call.
    /// </summary>
    public Task ResyncStoreAsync(int storeId, CancellationToken ct) => RunOnLoopAsync(done => new ResyncStore(storeId, done), ct);

    /// <summary>
    /// The self-check: reads every open board (or one store's) from the database, compares it with
    /// memory (each call's facts, the running counters, the call-backs, the calls in progress),
    /// logs what differs at Warning and corrects it. Runs by itself every
    /// <see cref="LiveBoardOptions.SelfCheckInterval"/>; returns the boards that had drifted.
    /// </summary>
    public async Task<IReadOnlyList<BoardDrift>> CheckAsync(int? storeId, CancellationToken ct)
    {
        var drifts = new TaskCompletionSource<IReadOnlyList<BoardDrift>>(TaskCreationOptions.RunContinuationsAsynchronously);
        ObjectDisposedException.ThrowIf(!_work.Writer.TryWrite(new SelfCheck(storeId, drifts)), this);
        return await drifts.Task.WaitAsync(ct);
    }

    /// <summary>A board's day figures as memory holds them now (null: no such board open).</summary>
    internal BoardQueries.DayFigures? DayFigures(BoardKey key)
    {
        lock (_gate)
        {
            return _boards.GetValueOrDefault(key)?.Day.Figures();
        }
    }

    /// <summary>Test hook: makes a board's running counters wrong, as a bug would.</summary>
    internal void CorruptForTest(BoardKey key, Func<CallTotals, CallTotals> change)
    {
        lock (_gate)
        {
            _boards[key].Day.CorruptTotalsForTest(change);
        }
    }

    private async Task RunOnLoopAsync(Func<TaskCompletionSource, Work> work, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ObjectDisposedException.ThrowIf(!_work.Writer.TryWrite(work(done)), this);
        await done.Task.WaitAsync(ct);
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
        try
        {
            while (_deferred.Count > 0 || await reader.WaitToReadAsync(ct))
            {
                if (!_deferred.TryDequeue(out var work) && !reader.TryRead(out work))
                {
                    continue;
                }

                switch (work)
                {
                    case ApplyChanges apply:
                        // A burst of batches is applied (and read back, when it must be) in one go.
                        var changes = new List<CallChange>(apply.Changes);
                        while (changes.Count < 5_000 && _deferred.Count == 0 && reader.TryRead(out var next))
                        {
                            if (next is ApplyChanges more)
                            {
                                changes.AddRange(more.Changes);
                            }
                            else
                            {
                                _deferred.Enqueue(next);
                            }
                        }

                        await RunSafelyAsync(() => ApplyChangesAsync(changes, _tracking, ct));
                        break;
                    case ApplyCallbackChanges callbackChanges:
                        // As with calls: a burst of call-back changes is read back in one go.
                        // (Those the calls' loop above put aside come first, in order.)
                        var callbackBatch = new List<CallbackChange>(callbackChanges.Changes);
                        while (callbackBatch.Count < 5_000 && _deferred.TryPeek(out var aside) && aside is ApplyCallbackChanges setAside)
                        {
                            _deferred.Dequeue();
                            callbackBatch.AddRange(setAside.Changes);
                        }

                        while (callbackBatch.Count < 5_000 && _deferred.Count == 0 && reader.TryPeek(out var peeked) && peeked is ApplyCallbackChanges
                            && reader.TryRead(out var nextCallbacks))
                        {
                            callbackBatch.AddRange(((ApplyCallbackChanges)nextCallbacks).Changes);
                        }

                        await RunSafelyAsync(() => ApplyCallbackChangesAsync(callbackBatch, _tracking, ct));
                        break;
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
                    case ResyncStore resync:
                        await Complete(resync.Done, () => ResyncAsync(resync.StoreId, ct));
                        break;
                    case SelfCheck check:
                        // The timer's check is skipped while another is still waiting its turn.
                        if (check.Drifts is null && Volatile.Read(ref _checksWaiting) > 0)
                        {
                            break;
                        }

                        Interlocked.Increment(ref _checksWaiting);
                        _checks = RunCheckAfterAsync(_checks, check, ct);
                        break;
                    case Track track:
                        _tracking = track.Touched;
                        track.Done.TrySetResult();
                        break;
                    case CompareBoard compare:
                        _tracking = null;
                        compare.Differences.TrySetResult(CompareAndCorrect(compare));
                        break;
                    case Barrier barrier:
                        barrier.Done.TrySetResult();
                        break;
                    default:
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }

        foreach (var left in _deferred.Concat(ReadAll(reader)))
        {
            switch (left)
            {
                case OpenBoard open:
                    open.Opened.TrySetCanceled(CancellationToken.None);
                    break;
                case ResyncStore resync:
                    resync.Done.TrySetCanceled(CancellationToken.None);
                    break;
                case Barrier barrier:
                    barrier.Done.TrySetCanceled(CancellationToken.None);
                    break;
                case SelfCheck check:
                    check.Drifts?.TrySetCanceled(CancellationToken.None);
                    break;
                case Track track:
                    track.Done.TrySetCanceled(CancellationToken.None);
                    break;
                case CompareBoard compare:
                    compare.Differences.TrySetCanceled(CancellationToken.None);
                    break;
                default:
                    break;
            }
        }

        _deferred.Clear();

        static IEnumerable<Work> ReadAll(ChannelReader<Work> reader)
        {
            while (reader.TryRead(out var left))
            {
                yield return left;
            }
        }

        async Task Complete(TaskCompletionSource done, Func<Task> step)
        {
            try
            {
                await step();
                done.TrySetResult();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogStepFailed(logger, ex);
                done.TrySetException(ex);
            }
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
            // The loop goes on: the next self-check or the next midnight reads the database again.
            LogStepFailed(logger, ex);
        }
    }

    /// <summary>
    /// Applies call changes: each call's state comes with the change when the publisher had it
    /// (ingest), or is read back by id (other publishers, or another node). Every call id the
    /// changes touched is added to <paramref name="touched"/> when given.
    /// </summary>
    private async Task ApplyChangesAsync(List<CallChange> changes, HashSet<long>? touched, CancellationToken ct)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var rows = new Dictionary<long, Call>();
        var toRead = new HashSet<long>();
        lock (_gate)
        {
            foreach (var change in changes)
            {
                // Only calls that a board shows or counts, showed or counted, or that can recover
                // a missed call on an open board (a connected call of the same store) matter.
                var relevant = _boards.ContainsKey(new BoardKey(change.StoreId, change.Department))
                    || _callsInProgress.ContainsKey(change.CallId)
                    || _dayCalls.ContainsKey(change.CallId)
                    || (_storeDays.TryGetValue(change.StoreId, out var storeDay) && (change.Outcome == CallOutcome.Connected || storeDay.IsConnected(change.CallId)));
                if (!relevant)
                {
                    continue;
                }

                touched?.Add(change.CallId);
                if (change.Row is { } row)
                {
                    rows[change.CallId] = row;
                    toRead.Remove(change.CallId);
                }
                else
                {
                    rows.Remove(change.CallId);
                    toRead.Add(change.CallId);
                }
            }
        }

        if (rows.Count == 0 && toRead.Count == 0)
        {
            return;
        }

        Dictionary<long, MetricsQueries.RecoveryFacts> recoveries = [];
        if (toRead.Count > 0)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            foreach (var chunk in toRead.Chunk(ChunkSize))
            {
                var read = await db.Calls.AsNoTracking().Where(c => chunk.Contains(c.Id)).ToListAsync(ct);
                var rings = (await db.CallRings.AsNoTracking().Where(r => chunk.Contains(r.CallId)).ToListAsync(ct)).ToLookup(r => r.CallId);
                foreach (var call in read)
                {
                    call.Rings = [.. rings[call.Id].OrderBy(r => r.Ordinal)];
                    rows[call.Id] = call;
                }
            }

            recoveries = await MetricsQueries.ReadRecoveryFactsAsync(db, [.. toRead], ct);
        }

        var touchedBoards = new HashSet<Board>();
        var staleStores = new HashSet<int>();
        lock (_gate)
        {
            var connectedChanged = new HashSet<(int StoreId, string Number)>();
            foreach (var row in rows.Values)
            {
                var recovery = recoveries.GetValueOrDefault(row.Id);
                Apply(row, recovery is null ? null : (recovery.CompletedAs, true), touchedBoards, connectedChanged);
                if (_boards.ContainsKey(new BoardKey(row.StoreId, row.Department)) && _stores.TryGetValue(row.StoreId, out var store)
                    && ((row.LeadSourceId is { } source && !store.Sources.ContainsKey(source))
                        || (row.AnsweredBySalespersonId is { } person && store.PersonName(person) is null)))
                {
                    staleStores.Add(row.StoreId);
                }
            }

            // A connected call recovers the earlier missed calls of its number the same day (§5).
            foreach (var (storeId, number) in connectedChanged)
            {
                foreach (var board in _boards.Values.Where(b => b.Key.StoreId == storeId))
                {
                    foreach (var id in board.Day.MissedOf(number).ToList())
                    {
                        var call = board.Day.Find(id)!;
                        var got = _storeDays[storeId].GotThroughLater(number, call.StartedAt);
                        if (got != call.GotThroughLater)
                        {
                            board.Day.Set(call with { GotThroughLater = got });
                            touchedBoards.Add(board);
                            touched?.Add(id);
                        }
                    }
                }
            }
        }

        // A source or salesperson added since the store was read: read it again before building.
        foreach (var storeId in staleStores)
        {
            await LoadStoreAsync(storeId, ct);
        }

        foreach (var board in touchedBoards)
        {
            board.Builder.Request();
        }
    }

    // One call's new state, under the lock: its place among the calls in progress and recent, its
    // contribution to its board's day (taken from the board it left, if it moved), and the
    // store's index of connected calls. completedAs: read from the database (Read true), or null
    // to keep what the board knew.
    private void Apply(Call row, (CallbackResolution? CompletedAs, bool Read)? completedAs, HashSet<Board> touched, HashSet<(int, string)> connectedChanged)
    {
        var live = LiveCallRow.Of(row);
        var key = live.Key;

        // A late event can move a call to another store or department.
        if (_callsInProgress.TryGetValue(row.Id, out var was) && was != key && _boards.TryGetValue(was, out var previous))
        {
            previous.Forget(row.Id);
            touched.Add(previous);
        }

        if (live.InProgress && _boards.ContainsKey(key))
        {
            _callsInProgress[row.Id] = key;
        }
        else
        {
            _callsInProgress.Remove(row.Id);
        }

        _boards.TryGetValue(key, out var board);
        if (board is not null)
        {
            board.Apply(live, options.Value.RecentCalls);
            touched.Add(board);
        }

        foreach (var (storeId, storeDay) in _storeDays)
        {
            if (storeDay.SetConnected(row, storeId) is { } number)
            {
                connectedChanged.Add((storeId, number));
            }
        }

        DayCall? before = null;
        if (_dayCalls.Remove(row.Id, out var counted) && _boards.TryGetValue(counted, out var countedOn))
        {
            before = countedOn.Day.Find(row.Id);
            countedOn.Day.Remove(row.Id);
            touched.Add(countedOn);
        }

        if (board is not null && board.Day.Covers(row.StartedAt))
        {
            var resolution = completedAs is { Read: true } read ? read.CompletedAs : before?.CompletedAs;
            var got = row.CallerE164 is { } caller && _storeDays.TryGetValue(row.StoreId, out var storeDay) && storeDay.GotThroughLater(caller, row.StartedAt);
            board.Day.Set(DayCall.Of(row, resolution, got));
            _dayCalls[row.Id] = key;
        }
    }

    /// <summary>Applies call-back changes: the speed to call-back, the recovery of the calls each one links, and the store's overdue list.</summary>
    private async Task ApplyCallbackChangesAsync(IReadOnlyList<CallbackChange> changes, HashSet<long>? touched, CancellationToken ct)
    {
        List<long> ids;
        Dictionary<int, List<long>> byStore;
        lock (_gate)
        {
            var relevant = changes.Where(c => _storeDays.ContainsKey(c.StoreId)).ToList();
            ids = relevant.Select(c => c.CallbackId).Distinct().ToList();
            byStore = relevant.GroupBy(c => c.StoreId).ToDictionary(g => g.Key, g => g.Select(c => c.CallbackId).Distinct().ToList());
        }

        if (ids.Count == 0)
        {
            return;
        }

        var read = new List<(long Id, int StoreId, Department Department, DateTimeOffset FirstMissedAt, DateTimeOffset? FirstAttemptAt)>();
        var linked = new List<long>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            foreach (var chunk in ids.Chunk(ChunkSize))
            {
                read.AddRange((await db.Callbacks.AsNoTracking().Where(c => chunk.Contains(c.Id))
                        .Select(c => new { c.Id, c.StoreId, c.Department, c.FirstMissedAt, c.FirstAttemptAt }).ToListAsync(ct))
                    .Select(c => (c.Id, c.StoreId, c.Department, c.FirstMissedAt, c.FirstAttemptAt)));
                linked.AddRange(await db.CallbackCalls.AsNoTracking().Where(l => chunk.Contains(l.CallbackId)).Select(l => l.CallId).ToListAsync(ct));
            }

            lock (_gate)
            {
                linked = linked.Where(_dayCalls.ContainsKey).Distinct().ToList();
            }

            var recoveries = await MetricsQueries.ReadRecoveryFactsAsync(db, linked, ct);

            // Only the call-backs that changed are read: the store's active list is kept in memory.
            var changed = new Dictionary<int, IReadOnlyList<CallbackView>>();
            foreach (var (storeId, storeIds) in byStore)
            {
                changed[storeId] = await callbacks.ViewsAsync(storeId, storeIds, ct);
            }

            lock (_gate)
            {
                var touchedBoards = new HashSet<Board>();
                foreach (var callId in linked)
                {
                    if (_dayCalls.TryGetValue(callId, out var key) && _boards.TryGetValue(key, out var board) && board.Day.Find(callId) is { } call)
                    {
                        var completedAs = recoveries.GetValueOrDefault(callId)?.CompletedAs;
                        if (completedAs != call.CompletedAs)
                        {
                            board.Day.Set(call with { CompletedAs = completedAs });
                            touchedBoards.Add(board);
                        }

                        touched?.Add(callId);
                    }
                }

                foreach (var callback in read)
                {
                    foreach (var board in _boards.Values.Where(b => b.Key.StoreId == callback.StoreId))
                    {
                        var counts = board.Key.Department == callback.Department && board.Day.Covers(callback.FirstMissedAt) && callback.FirstAttemptAt is not null;
                        board.Day.SetSpeedToCallback(callback.Id, counts ? BoardDay.MinutesToFirstAttempt(callback.FirstMissedAt, callback.FirstAttemptAt!.Value) : null);
                    }

                    touched?.Add(-callback.Id);
                }

                foreach (var (storeId, views) in changed)
                {
                    if (_storeDays.TryGetValue(storeId, out var storeDay))
                    {
                        storeDay.UpdateCallbacks(byStore[storeId], views);
                    }

                    touchedBoards.UnionWith(_boards.Values.Where(b => b.Key.StoreId == storeId));
                }

                foreach (var board in touchedBoards)
                {
                    board.Builder.Request();
                }
            }
        }
    }

    // The store's open and claimed call-backs: the overdue tile is those of them past due at the build.
    private async Task<IReadOnlyList<CallbackView>> ReadActiveCallbacksAsync(int storeId, CancellationToken ct) =>
        await callbacks.ListAsync(new CallbackFilter(storeId) { Statuses = StoreDay.ActiveStatuses, Limit = ActiveCallbacksRead }, ct);

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

        var loaded = await ReadBoardAsync(key, ct);
        var board = new Board(key, loaded.Day);
        board.Builder = new Coalescer(token => BuildAsync(board, token), options.Value.CoalescingWindow, time, logger);
        lock (_gate)
        {
            _boards[key] = board;
            Install(board, loaded, keep: []);
        }

        ScheduleRollover(key.StoreId);
        board.Builder.Request();
        return board;
    }

    /// <summary>Everything a board holds, read from the database as of now.</summary>
    private sealed record LoadedBoard(BoardDay Day, List<LiveCallRow> InProgress, List<LiveCallRow> Recent, StoreDay StoreDay);

    private async Task<LoadedBoard> ReadBoardAsync(BoardKey key, CancellationToken ct)
    {
        StoreInfo store;
        lock (_gate)
        {
            store = _stores[key.StoreId];
        }

        // "Today" is the store's, whatever the server's zone; the bounds are instants, so a day
        // the clocks change on lasts 23 or 25 hours.
        var (start, end) = store.Calendar.DayContaining(time.GetUtcNow());
        var day = new BoardDay(start, end, store.Settings.ServiceLevelSeconds);
        var storeDay = new StoreDay(start);
        List<LiveCallRow> inProgress, recent;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var calls = db.Calls.AsNoTracking().Where(c => c.StoreId == key.StoreId && c.Department == key.Department);
            inProgress = await LiveCallRow.From(calls.Where(c => c.EndedAt == null)).ToListAsync(ct);
            recent = await LiveCallRow.From(calls.OrderByDescending(c => c.StartedAt).Take(options.Value.RecentCalls)).ToListAsync(ct);

            var today = calls.Where(c => c.StartedAt >= start && c.StartedAt < end);
            var rows = await today.ToListAsync(ct);
            var rings = (await db.CallRings.AsNoTracking()
                    .Where(r => r.Result == RingResult.NoAnswer && r.SalespersonId != null && today.Any(c => c.Id == r.CallId))
                    .ToListAsync(ct))
                .ToLookup(r => r.CallId);
            var recoveries = await MetricsQueries.ReadRecoveryFactsAsync(db, rows.Where(r => r.Outcome is { } o && o.IsMissed()).Select(r => r.Id).ToList(), ct);
            foreach (var row in rows)
            {
                row.Rings = [.. rings[row.Id]];
                var recovery = recoveries.GetValueOrDefault(row.Id);
                day.Set(DayCall.Of(row, recovery?.CompletedAs, recovery?.GotThroughLater ?? false));
            }

            var speed = await db.Callbacks.AsNoTracking()
                .Where(c => c.StoreId == key.StoreId && c.Department == key.Department && c.FirstMissedAt >= start && c.FirstMissedAt < end && c.FirstAttemptAt != null)
                .Select(c => new { c.Id, c.FirstMissedAt, FirstAttemptAt = c.FirstAttemptAt!.Value })
                .ToListAsync(ct);
            foreach (var callback in speed)
            {
                day.SetSpeedToCallback(callback.Id, BoardDay.MinutesToFirstAttempt(callback.FirstMissedAt, callback.FirstAttemptAt));
            }

            var connected = await db.Calls.AsNoTracking()
                .Where(c => c.StoreId == key.StoreId && c.StartedAt >= start && c.Outcome == CallOutcome.Connected && c.CallerE164 != null)
                .Select(c => new { c.Id, c.CallerE164, c.StartedAt })
                .ToListAsync(ct);
            foreach (var call in connected)
            {
                storeDay.AddConnected(call.Id, call.CallerE164!, call.StartedAt);
            }
        }

        storeDay.SetCallbacks(await ReadActiveCallbacksAsync(key.StoreId, ct));
        return new LoadedBoard(day, inProgress, recent, storeDay);
    }

    // Puts what was read into the board (under the lock), keeping memory's version of the calls in
    // keep (changes applied after the read, which the read may not have seen).
    private void Install(Board board, LoadedBoard loaded, HashSet<long> keep)
    {
        var key = board.Key;
        var old = board.Day;
        var oldInProgress = board.InProgress.ToDictionary();
        var oldRecent = board.Recent.ToDictionary();
        var day = loaded.Day;
        foreach (var id in keep.Where(id => id > 0))
        {
            day.Remove(id);
            if (old.Find(id) is { } kept && day.Covers(kept.StartedAt))
            {
                day.Set(kept);
            }
        }

        foreach (var (id, speed) in old.SpeedToCallback.Where(s => keep.Contains(-s.Key)))
        {
            day.SetSpeedToCallback(id, speed);
        }

        foreach (var stale in _dayCalls.Where(c => c.Value == key).Select(c => c.Key).ToList())
        {
            _dayCalls.Remove(stale);
        }

        foreach (var stale in _callsInProgress.Where(c => c.Value == key).Select(c => c.Key).ToList())
        {
            _callsInProgress.Remove(stale);
        }

        board.Day = day;
        board.Generation++;
        foreach (var call in day.Calls)
        {
            _dayCalls[call.Id] = key;
        }

        board.InProgress.Clear();
        board.Recent.Clear();
        foreach (var row in loaded.Recent.Concat(loaded.InProgress))
        {
            if (!keep.Contains(row.Id))
            {
                board.Apply(row, int.MaxValue);
            }
        }

        foreach (var id in keep)
        {
            if ((oldRecent.GetValueOrDefault(id) ?? oldInProgress.GetValueOrDefault(id)) is { } kept)
            {
                board.Apply(kept, int.MaxValue);
            }
        }

        board.Trim(options.Value.RecentCalls);
        foreach (var row in board.InProgress.Values)
        {
            _callsInProgress[row.Id] = key;
        }

        if (_storeDays.TryGetValue(key.StoreId, out var known) && known.Start == loaded.StoreDay.Start)
        {
            known.ReplaceWith(loaded.StoreDay, keep);
        }
        else
        {
            _storeDays[key.StoreId] = loaded.StoreDay;
        }
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

    // The store's settings, zone or day changed: read the store, then its boards, again.
    private async Task RefreshStoreAsync(int storeId, CancellationToken ct)
    {
        await LoadStoreAsync(storeId, ct);
        bool open;
        lock (_gate)
        {
            open = _boards.Keys.Any(k => k.StoreId == storeId);
        }

        // A new time zone moves the store's midnight.
        if (open)
        {
            ScheduleRollover(storeId);
        }

        await ResyncAsync(storeId, ct);
    }

    private async Task ResyncAsync(int storeId, CancellationToken ct)
    {
        List<Board> boards;
        lock (_gate)
        {
            boards = _boards.Values.Where(b => b.Key.StoreId == storeId).ToList();
        }

        foreach (var board in boards)
        {
            var loaded = await ReadBoardAsync(board.Key, ct);
            lock (_gate)
            {
                Install(board, loaded, keep: []);
            }

            board.Builder.Request();
        }
    }

    // One check after the one before it; runs off the loop, which goes on applying changes meanwhile.
    private async Task RunCheckAfterAsync(Task previous, SelfCheck check, CancellationToken ct)
    {
        await previous;
        try
        {
            var drifts = await SelfCheckAsync(check.StoreId, ct);
            check.Drifts?.TrySetResult(drifts);
        }
        catch (Exception ex) when (ct.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping.
            check.Drifts?.TrySetCanceled(ct);
        }
        catch (Exception ex)
        {
            LogStepFailed(logger, ex);
            check.Drifts?.TrySetException(ex);
        }
        finally
        {
            Interlocked.Decrement(ref _checksWaiting);
        }
    }

    // Reads each board off the loop (a day of tens of thousands of calls takes seconds to read,
    // and the boards would stand still that long), then compares and corrects on the loop.
    private async Task<IReadOnlyList<BoardDrift>> SelfCheckAsync(int? storeId, CancellationToken ct)
    {
        List<Board> boards;
        lock (_gate)
        {
            boards = _boards.Values.Where(b => storeId is null || b.Key.StoreId == storeId).OrderBy(b => b.Key.StoreId).ThenBy(b => b.Key.Department).ToList();
        }

        var drifts = new List<BoardDrift>();
        foreach (var board in boards)
        {
            // Changes applied from here on may or may not be in what is read: their calls are left out.
            var touched = new HashSet<long>();
            int generation;
            lock (_gate)
            {
                generation = board.Generation;
            }

            await RunOnLoopAsync(done => new Track(touched, done), ct);
            LoadedBoard loaded;
            try
            {
                loaded = await ReadBoardAsync(board.Key, ct);
            }
            catch
            {
                _work.Writer.TryWrite(new Track(null, new TaskCompletionSource()));
                throw;
            }

            var compared = new TaskCompletionSource<List<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
            ObjectDisposedException.ThrowIf(!_work.Writer.TryWrite(new CompareBoard(board, loaded, touched, generation, compared)), this);
            var differences = await compared.Task.WaitAsync(ct);
            if (differences.Count > 0)
            {
                LogDrift(logger, board.Key, string.Join("; ", differences));
                drifts.Add(new BoardDrift(board.Key, differences));
                board.Builder.Request();
            }
        }

        LogChecked(logger, boards.Count, drifts.Count);
        return drifts;
    }

    // On the loop: what differs between the board and what was read for it, corrected. A board
    // read again meanwhile (midnight, a resync) is newer than this read: nothing to compare.
    private List<string> CompareAndCorrect(CompareBoard compare)
    {
        var (board, loaded, touched, generation, _) = compare;
        lock (_gate)
        {
            if (board.Generation != generation || board.Day.Start != loaded.Day.Start)
            {
                return [];
            }

            var differences = Compare(board, loaded, touched);
            if (_storeDays.TryGetValue(board.Key.StoreId, out var storeDay) && storeDay.Start == loaded.StoreDay.Start)
            {
                differences.AddRange(storeDay.CompareCallbacks(loaded.StoreDay, board.Key.Department, touched, ActiveCallbacksRead));
            }

            if (differences.Count > 0)
            {
                Install(board, loaded, touched);
            }

            return differences;
        }
    }

    // What differs between memory and the database, in words; calls in skip are left out.
    private static List<string> Compare(Board board, LoadedBoard loaded, HashSet<long> skip)
    {
        var differences = new List<string>();
        var memory = board.Day;
        var database = loaded.Day;

        var counters = DayFiguresDiff.Of(memory.Recount(), memory.Figures(), "recounted");
        if (counters.Count > 0)
        {
            differences.Add("counters do not add up to the calls: " + string.Join(", ", counters));
        }

        var calls = new List<string>();
        foreach (var id in memory.Calls.Select(c => c.Id).Union(database.Calls.Select(c => c.Id)).Where(id => !skip.Contains(id)).Order())
        {
            var (held, stored) = (memory.Find(id), database.Find(id));
            if (held is null)
            {
                calls.Add($"call {id} is missing");
            }
            else if (stored is null)
            {
                calls.Add($"call {id} is not in the database's day");
            }
            else if (!held.SameAs(stored))
            {
                calls.Add($"call {id} differs");
            }
        }

        var speeds = memory.SpeedToCallback.Keys.Union(database.SpeedToCallback.Keys)
            .Where(id => !skip.Contains(-id) && memory.SpeedToCallback.GetValueOrDefault(id, -1) != database.SpeedToCallback.GetValueOrDefault(id, -1))
            .ToList();
        if (speeds.Count > 0)
        {
            calls.Add($"speed to call-back of call-backs {string.Join(", ", speeds)} differs");
        }

        var inProgress = board.InProgress.Keys.Where(id => !skip.Contains(id)).Order()
            .SequenceEqual(loaded.InProgress.Select(r => r.Id).Where(id => !skip.Contains(id)).Order());
        if (!inProgress)
        {
            calls.Add("calls in progress differ");
        }

        if (calls.Count > 0)
        {
            differences.AddRange(calls.Take(20));
            if (calls.Count > 20)
            {
                differences.Add($"and {calls.Count - 20} more");
            }

            var figures = DayFiguresDiff.Of(database.Figures(), memory.Figures());
            if (figures.Count > 0)
            {
                differences.Add("figures: " + string.Join(", ", figures));
            }
        }

        return differences;
    }

    private Task BuildAsync(Board board, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var now = time.GetUtcNow();
        StoreInfo store;
        LiveCallRow[] inProgress, recent;
        BoardQueries.DayFigures figures;
        List<CallbackView> overdue;
        MetricsReport? metrics;
        lock (_gate)
        {
            store = _stores[board.Key.StoreId];
            inProgress = board.InProgress.Values.ToArray();
            recent = board.Recent.Values.ToArray();
            figures = board.Day.Figures();
            overdue = (_storeDays.GetValueOrDefault(board.Key.StoreId)?.ActiveCallbacks ?? [])
                .Where(c => c.Department == board.Key.Department && Callback.IsOverdue(c.Status, c.NoNumber, c.DueAt, c.LastAttemptAt, now))
                .OrderBy(c => c.DueAt)
                .Take(OverdueListed)
                .ToList();

            // Only a snapshot of this very day: before today's first one the tiles count live.
            metrics = board.Key.Department == Department.Sales && _todayMetrics.GetValueOrDefault(store.Id) is { } latest && latest.From == board.Day.Start
                ? latest
                : null;
        }

        // The board's day is the one it was read for; at the store's midnight it is read again.
        var day = store.Calendar.LocalDate(board.Day.Start);
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
        return Task.CompletedTask;
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
    // boards are read again for the new day and the timer is set for the next midnight.
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
    /// Reads the store again (name, zone, thresholds, sources, people) and its boards: what the
    /// admin screens call after saving a change to it.
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
            _selfCheck?.Dispose();
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
        await _checks;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "The live board could not apply a change; the next self-check or midnight reads the database again")]
    private static partial void LogStepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Board {Board} had drifted from the database and was corrected: {Differences}")]
    private static partial void LogDrift(ILogger logger, BoardKey board, string differences);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Self-check of {BoardCount} boards: {DriftCount} had drifted")]
    private static partial void LogChecked(ILogger logger, int boardCount, int driftCount);

    private abstract record Work;

    private sealed record ApplyChanges(IReadOnlyList<CallChange> Changes) : Work;

    private sealed record ApplyCallbackChanges(IReadOnlyList<CallbackChange> Changes) : Work;

    private sealed record OpenBoard(BoardKey Key, TaskCompletionSource<Board?> Opened) : Work;

    private sealed record RefreshStore(int StoreId) : Work;

    private sealed record ResyncStore(int StoreId, TaskCompletionSource Done) : Work;

    private sealed record SelfCheck(int? StoreId, TaskCompletionSource<IReadOnlyList<BoardDrift>>? Drifts = null) : Work;

    private sealed record Barrier(TaskCompletionSource Done) : Work;

    private sealed record Track(HashSet<long>? Touched, TaskCompletionSource Done) : Work;

    private sealed record CompareBoard(Board Board, LoadedBoard Loaded, HashSet<long> Touched, int Generation, TaskCompletionSource<List<string>> Differences) : Work;

    /// <summary>One board's memory: its calls in progress, its recent calls, today's figures, its latest snapshot. Guarded by the owner's lock.</summary>
    private sealed class Board(BoardKey key, BoardDay day)
    {
        public BoardKey Key { get; } = key;

        public Dictionary<long, LiveCallRow> InProgress { get; } = [];

        public Dictionary<long, LiveCallRow> Recent { get; } = [];

        public BoardDay Day { get; set; } = day;

        /// <summary>How many times the board was read from the database and installed.</summary>
        public int Generation { get; set; }

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

    /// <summary>
    /// What a store's boards share for the day: today's connected calls of every department by
    /// caller number (a later connected call recovers a missed one, §5), and the open and claimed
    /// call-backs (the overdue tile). Guarded by the owner's lock.
    /// </summary>
    private sealed class StoreDay(DateTimeOffset start)
    {
        public static readonly CallbackStatus[] ActiveStatuses = [CallbackStatus.Open, CallbackStatus.Claimed];

        private readonly Dictionary<long, CallbackView> _callbacks = [];
        private readonly Dictionary<long, (string Number, DateTimeOffset StartedAt)> _connected = [];
        private readonly Dictionary<string, Dictionary<long, DateTimeOffset>> _byNumber = new(StringComparer.Ordinal);

        public DateTimeOffset Start { get; } = start;

        /// <summary>The store's open and claimed call-backs: the overdue tile is those of them past due at a build.</summary>
        public IEnumerable<CallbackView> ActiveCallbacks => _callbacks.Values;

        /// <summary>The active call-backs as read from the database.</summary>
        public void SetCallbacks(IEnumerable<CallbackView> active)
        {
            _callbacks.Clear();
            foreach (var view in active)
            {
                _callbacks[view.Id] = view;
            }
        }

        /// <summary>These call-backs changed; <paramref name="now"/> is how they are now (one missing was deleted).</summary>
        public void UpdateCallbacks(IEnumerable<long> changed, IEnumerable<CallbackView> now)
        {
            foreach (var id in changed)
            {
                _callbacks.Remove(id);
            }

            foreach (var view in now.Where(v => ActiveStatuses.Contains(v.Status)))
            {
                _callbacks[view.Id] = view;
            }
        }

        /// <summary>
        /// Where memory's active call-backs of a department differ from the database's, in words;
        /// call-backs whose negated id is in <paramref name="skip"/> are left out. When the read hit
        /// its limit, only call-backs due no later than the last one it read are compared.
        /// </summary>
        public List<string> CompareCallbacks(StoreDay database, Department department, HashSet<long> skip, int readLimit)
        {
            var read = database._callbacks.Values.Where(c => c.Department == department).ToList();
            var dueBy = database._callbacks.Count >= readLimit ? database._callbacks.Values.Max(c => c.DueAt) : DateTimeOffset.MaxValue;
            var memory = _callbacks.Values.Where(c => c.Department == department && c.DueAt <= dueBy).ToList();
            var differences = new List<string>();
            foreach (var id in memory.Select(c => c.Id).Union(read.Select(c => c.Id)).Where(id => !skip.Contains(-id)).Order())
            {
                var mine = _callbacks.GetValueOrDefault(id);
                var theirs = database._callbacks.GetValueOrDefault(id);
                if (mine?.Version != theirs?.Version || mine?.Status != theirs?.Status)
                {
                    differences.Add($"call-back {id}: memory {Describe(mine)}, database {Describe(theirs)}");
                }
            }

            return differences;

            static string Describe(CallbackView? view) => view is null ? "not active" : $"{view.Status} v{view.Version}";
        }

        public bool IsConnected(long callId) => _connected.ContainsKey(callId);

        /// <summary>Whether a call of this number that started after <paramref name="after"/> connected.</summary>
        public bool GotThroughLater(string number, DateTimeOffset after) =>
            _byNumber.TryGetValue(number, out var calls) && calls.Values.Any(startedAt => startedAt > after);

        public void AddConnected(long id, string number, DateTimeOffset startedAt)
        {
            _connected[id] = (number, startedAt);
            if (!_byNumber.TryGetValue(number, out var calls))
            {
                _byNumber[number] = calls = [];
            }

            calls[id] = startedAt;
        }

        /// <summary>Brings the index in line with the call's new state; the number whose connected calls changed, if any.</summary>
        public string? SetConnected(Call call, int storeId)
        {
            var connected = call.StoreId == storeId && call.Outcome == CallOutcome.Connected && call.CallerE164 is not null && call.StartedAt >= Start;
            var had = _connected.TryGetValue(call.Id, out var before);
            if (connected && had && before == (call.CallerE164!, call.StartedAt))
            {
                return null;
            }

            if (had)
            {
                Remove(call.Id, before.Number);
            }

            if (connected)
            {
                AddConnected(call.Id, call.CallerE164!, call.StartedAt);
                return call.CallerE164;
            }

            return had ? before.Number : null;
        }

        /// <summary>Takes what was read, keeping this index's version of the calls in keep.</summary>
        public void ReplaceWith(StoreDay read, HashSet<long> keep)
        {
            var kept = _connected.Where(c => keep.Contains(c.Key)).ToList();
            foreach (var (id, (number, _)) in _connected.ToList())
            {
                Remove(id, number);
            }

            foreach (var (id, (number, startedAt)) in read._connected.Where(c => !keep.Contains(c.Key)).Concat(kept))
            {
                AddConnected(id, number, startedAt);
            }

            // Call-backs changed while the database was read keep memory's version, as calls do.
            foreach (var id in _callbacks.Keys.Where(id => !keep.Contains(-id)).ToList())
            {
                _callbacks.Remove(id);
            }

            foreach (var (id, view) in read._callbacks.Where(c => !keep.Contains(-c.Key)))
            {
                _callbacks[id] = view;
            }
        }

        private void Remove(long id, string number)
        {
            _connected.Remove(id);
            if (_byNumber.TryGetValue(number, out var calls))
            {
                calls.Remove(id);
                if (calls.Count == 0)
                {
                    _byNumber.Remove(number);
                }
            }
        }
    }
}

/// <summary>A board the self-check found out of line with the database, and what differed.</summary>
public sealed record BoardDrift(BoardKey Key, IReadOnlyList<string> Differences);
