using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;
using Wallboard.Web.Live;

namespace Wallboard.Web.Callbacks;

/// <summary>
/// Turns projected calls into call-backs (§6): a missed sales call creates one or joins the active
/// one for its number; a connected sales call from a number with an active call-back resolves it as
/// caller-called-back. Idempotent: a call joins at most one call-back (a unique index on the link),
/// so a call projected again, or seen by both the watcher and the sweep, counts once. Two missed
/// calls from one number handled at once cannot make two call-backs (a filtered unique index): the
/// loser reads again and joins.
/// </summary>
public sealed partial class CallbackIntake(
    IDbContextFactory<WallboardDbContext> dbFactory,
    ICallbackChangeNotifier notifier,
    TimeProvider time,
    ILogger<CallbackIntake> logger)
{
    private const int MaxTries = 8;

    /// <summary>Whether a change to a call may concern call-backs (so the watcher reloads it).</summary>
    public static bool Concerns(CallChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return change.Department == Department.Sales && change.Outcome is { } outcome && (outcome.IsMissed() || outcome == CallOutcome.Connected);
    }

    /// <summary>Reloads the calls by id and creates, joins or resolves their call-backs; returns and publishes what changed.</summary>
    public async Task<IReadOnlyList<CallbackChange>> ProcessAsync(IReadOnlyCollection<long> callIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(callIds);
        if (callIds.Count == 0)
        {
            return [];
        }

        List<Call> calls;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            calls = await db.Calls.AsNoTracking()
                .Where(c => callIds.Contains(c.Id) && c.Department == Department.Sales && c.Outcome != null)
                .ToListAsync(ct);
        }

        var changes = new List<CallbackChange>();
        // In the order the callers called, so a number's first miss creates and later ones join.
        foreach (var call in calls.OrderBy(c => c.StartedAt).ThenBy(c => c.Id))
        {
            if (CallerPseudonym.IsPseudonym(call.CallerE164))
            {
                // An anonymized caller (an erase while the call was live) has no number to call back.
                continue;
            }

            if (call.Outcome!.Value.IsMissed())
            {
                changes.AddRange(await MissedAsync(call, ct));
            }
            else if (call.Outcome == CallOutcome.Connected && call.CallerE164 is not null)
            {
                changes.AddRange(await ConnectedAsync(call, ct));
            }
        }

        var distinct = changes.Distinct().ToList();
        notifier.Publish(distinct);
        return distinct;
    }

    private async Task<IReadOnlyList<CallbackChange>> MissedAsync(Call call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.CallbackCalls.AnyAsync(l => l.CallId == call.Id, ct))
            {
                return [];
            }

            var rules = await CallbackStores.LoadRulesAsync(db, call.StoreId, ct);
            var now = time.GetUtcNow();
            var callback = call.CallerE164 is null
                ? null
                : await db.Callbacks.SingleOrDefaultAsync(c => c.StoreId == call.StoreId && c.CallerE164 == call.CallerE164
                    && (c.Status == CallbackStatus.Open || c.Status == CallbackStatus.Claimed || c.Status == CallbackStatus.Scheduled), ct);
            if (callback is null)
            {
                callback = Callback.Create(call, rules.Rules, now);
                db.Callbacks.Add(callback);
            }
            else
            {
                callback.Join(call, rules.Rules, now);
                callback.Version++;
            }

            // Events can be projected out of order: if the caller already got through on a later
            // call, the call-back is born resolved (and still counted as a miss that was recovered).
            if (callback.CallerE164 is { } number)
            {
                var later = await db.Calls.AsNoTracking()
                    .Where(c => c.StoreId == call.StoreId && c.CallerE164 == number && c.StartedAt > callback.FirstMissedAt
                        && c.Department == Department.Sales && c.Outcome == CallOutcome.Connected)
                    .OrderBy(c => c.StartedAt)
                    .FirstOrDefaultAsync(ct);
                if (later is not null)
                {
                    callback.ResolveByCaller(later, now);
                }
            }

            try
            {
                await db.SaveChangesAsync(ct);
                return [new CallbackChange(callback.StoreId, callback.Department, callback.Id)];
            }
            catch (DbUpdateException ex) when (attempt < MaxTries)
            {
                // Another writer made this number's call-back, linked this call or changed the
                // call-back since we read it: read again and decide again.
                LogRetried(logger, call.Id, attempt, ex.InnerException?.Message ?? ex.Message);
            }
        }
    }

    private async Task<IReadOnlyList<CallbackChange>> ConnectedAsync(Call call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var open = await db.Callbacks
                .Where(c => c.StoreId == call.StoreId && c.CallerE164 == call.CallerE164 && c.FirstMissedAt < call.StartedAt
                    && (c.Status == CallbackStatus.Open || c.Status == CallbackStatus.Claimed || c.Status == CallbackStatus.Scheduled))
                .ToListAsync(ct);
            if (open.Count == 0)
            {
                return [];
            }

            var now = time.GetUtcNow();
            foreach (var callback in open)
            {
                callback.ResolveByCaller(call, now);
                callback.Version++;
            }

            try
            {
                await db.SaveChangesAsync(ct);
                return open.Select(c => new CallbackChange(c.StoreId, c.Department, c.Id)).ToList();
            }
            catch (DbUpdateException ex) when (attempt < MaxTries)
            {
                LogRetried(logger, call.Id, attempt, ex.InnerException?.Message ?? ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} met a concurrent change to its call-back (try {Attempt}: {Reason}); deciding again")]
    private static partial void LogRetried(ILogger logger, long callId, int attempt, string reason);
}

/// <summary>
/// Listens to committed call changes and hands the ones that may concern call-backs to
/// <see cref="CallbackIntake"/>, one batch at a time, off the ingest path. If the app stops before
/// a change is handled, the sweep's catch-up finds the call and handles it then.
/// </summary>
public sealed partial class CallbackCallWatcher(
    ICallChangeNotifier calls,
    CallbackIntake intake,
    ILogger<CallbackCallWatcher> logger) : BackgroundService
{
    private readonly Channel<long[]> _queue = Channel.CreateUnbounded<long[]>(new UnboundedChannelOptions { SingleReader = true });
    private IDisposable? _subscription;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = calls.Subscribe(changes =>
        {
            var relevant = changes.Where(CallbackIntake.Concerns).Select(c => c.CallId).ToArray();
            if (relevant.Length > 0)
            {
                _queue.Writer.TryWrite(relevant);
            }

            return ValueTask.CompletedTask;
        });
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            var ids = new HashSet<long>();
            while (ids.Count < 1_000 && reader.TryRead(out var batch))
            {
                ids.UnionWith(batch);
            }

            try
            {
                await intake.ProcessAsync(ids, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The sweep's catch-up will try these calls again.
                LogFailed(logger, ids.Count, ex);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _subscription?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not turn {Count} calls into call-backs; the sweep will try again")]
    private static partial void LogFailed(ILogger logger, int count, Exception exception);
}
