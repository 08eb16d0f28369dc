using Microsoft.EntityFrameworkCore;
using Quartz;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Web.Alerts;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;

namespace Wallboard.Web.Jobs;

/// <summary>
/// What time alone does to call-backs (§6), every 20 seconds: lapses claims with no attempt in the
/// claim window, reopens call-backs whose next attempt is due, marks overdue ones and escalates
/// those with no attempt by the manager-follow-up limit; then publishes what changed. It also
/// catches up on calls the live path left behind (its intake failed and deferred them, or they
/// were stored before this version): missed sales calls of the last day with no call-back, and
/// active call-backs whose caller got through. That reads the day's calls, so the scheduled run
/// does it at start, every <see cref="CatchUpEvery"/>, and soon after the intake deferred calls.
/// Idempotent: it reads everything from the database, and a repeated run finds nothing to do.
/// Escalations and call-backs falling due unclaimed raise their alerts in the same transaction.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class CallbackSweepJob(
    IDbContextFactory<WallboardDbContext> dbFactory,
    CallbackIntake intake,
    ICallbackChangeNotifier notifier,
    CallbackAlerts alerts,
    TimeProvider time,
    ILogger<CallbackSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new(nameof(CallbackSweepJob));

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(20);

    /// <summary>How far back the catch-up looks for missed calls without a call-back.</summary>
    public static readonly TimeSpan CatchUpWindow = TimeSpan.FromDays(1);

    /// <summary>The live path gets this long to handle a call before the catch-up looks at it.</summary>
    public static readonly TimeSpan CatchUpGrace = TimeSpan.FromMinutes(1);

    /// <summary>How often the scheduled sweep catches up when the live path reported nothing left behind.</summary>
    public static readonly TimeSpan CatchUpEvery = TimeSpan.FromMinutes(5);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var changed = await SweepAsync(intake.CatchUpDue(time.GetUtcNow(), CatchUpEvery), cancellationToken);
        if (changed > 0)
        {
            LogSwept(logger, changed);
        }
    }

    /// <summary>Sweeps every store now, catch-up included; returns how many call-backs changed.</summary>
    public Task<int> SweepAsync(CancellationToken ct) => SweepAsync(catchUp: true, ct);

    private async Task<int> SweepAsync(bool catchUp, CancellationToken ct)
    {
        var caughtUp = 0;
        if (catchUp)
        {
            try
            {
                caughtUp = await CatchUpAsync(ct);
            }
            catch
            {
                intake.CatchUpWanted(time.GetUtcNow(), TimeSpan.Zero);
                throw;
            }
        }

        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stores = await CallbackStores.LoadAllRulesAsync(db, ct);
        var changes = new List<CallbackChange>();
        foreach (var store in stores)
        {
            var storeId = store.Store.Id;
            // Narrowed in SQL to those time may have changed; the domain decides exactly.
            var candidates = await db.Callbacks.AsNoTracking()
                .Where(c => c.StoreId == storeId
                    && (c.Status == CallbackStatus.Open || c.Status == CallbackStatus.Claimed || c.Status == CallbackStatus.Scheduled)
                    && ((c.Status == CallbackStatus.Claimed && c.ClaimExpiresAt <= now)
                        || (c.Status == CallbackStatus.Scheduled && c.NextAttemptAt <= now)
                        || (c.OverdueSince == null && !c.NoNumber && c.DueAt <= now)
                        || (c.EscalatedAt == null && c.EscalateAt <= now)))
                .Select(c => c.Id)
                .ToListAsync(ct);

            foreach (var id in candidates)
            {
                if (await SweepOneAsync(id, store, now, ct) is { } change)
                {
                    changes.Add(change);
                }
            }
        }

        notifier.Publish(changes);
        return changes.Count + caughtUp;
    }

    private async Task<CallbackChange?> SweepOneAsync(long id, StoreRules store, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var callback = await db.Callbacks.SingleAsync(c => c.Id == id, ct);
        var before = CallbackAlerts.Flags.Of(callback);
        if (!callback.Sweep(store.Rules, now))
        {
            return null;
        }

        // An escalation or a call-back falling due unclaimed writes its alert to the outbox in
        // this same transaction: both commit, or neither (and the next run decides again).
        await alerts.RaiseAsync(db, store.Store, callback, before, now, ct);
        callback.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
            return new CallbackChange(callback.StoreId, callback.Department, callback.Id);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone acted on it meanwhile; the next run sees it as it is now.
            return null;
        }
    }

    private async Task<int> CatchUpAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (since, settled) = (now - CatchUpWindow, now - CatchUpGrace);
        List<long> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var storeIds = await db.Stores.Select(s => s.Id).ToListAsync(ct);
            var missed = new[] { CallOutcome.AbandonedOnHold, CallOutcome.Voicemail, CallOutcome.Abandoned, CallOutcome.NoAnswer };
            ids = [];
            foreach (var storeId in storeIds)
            {
                ids.AddRange(await db.Calls
                    .Where(c => c.StoreId == storeId && c.Department == Department.Sales && c.StartedAt >= since && c.LastEventAt <= settled
                        && c.Outcome != null && missed.Contains(c.Outcome.Value)
                        && !db.CallbackCalls.Any(l => l.CallId == c.Id))
                    .Select(c => c.Id)
                    .ToListAsync(ct));
            }

            // Active call-backs whose caller got through later: from the few active call-backs,
            // through the calls index on (store, number, start).
            ids.AddRange(await db.Callbacks
                .Where(cb => (cb.Status == CallbackStatus.Open || cb.Status == CallbackStatus.Claimed || cb.Status == CallbackStatus.Scheduled)
                    && cb.CallerE164 != null)
                .SelectMany(cb => db.Calls
                    .Where(c => c.StoreId == cb.StoreId && c.CallerE164 == cb.CallerE164 && c.StartedAt > cb.FirstMissedAt
                        && c.Department == Department.Sales && c.Outcome == CallOutcome.Connected && c.LastEventAt <= settled)
                    .Select(c => c.Id))
                .ToListAsync(ct));
        }

        if (ids.Count == 0)
        {
            return 0;
        }

        LogCatchingUp(logger, ids.Count);
        return (await intake.ProcessAsync(ids.Distinct().ToList(), ct)).Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call-back sweep changed {Count} call-backs")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call-back sweep found {Count} calls the live path had not handled")]
    private static partial void LogCatchingUp(ILogger logger, int count);
}
