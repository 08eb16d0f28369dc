using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Callbacks;

/// <summary>
/// Turns projected calls into call-backs (§6): a missed sales call creates one or joins the active
/// one for its number; a connected sales call from a number with an active call-back resolves it as
/// caller-called-back. Ingest runs it inside its own transaction (<see cref="ApplyAsync"/>); the
/// sweep's catch-up runs it for calls that were missed that way (<see cref="ProcessAsync"/>).
/// Idempotent: a call joins at most one call-back (a unique index on the link), so a call
/// projected again, or seen by both ingest and the sweep, counts once. Two missed
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

    private readonly Lock _catchUpGate = new();
    // When the sweep's catch-up should look next: at the first sweep, then every CatchUpEvery,
    // sooner once the live path deferred calls to it.
    private DateTimeOffset _lookAgainAt = DateTimeOffset.MinValue;

    /// <summary>
    /// Whether the sweep's catch-up should look now (and if so, the next look is
    /// <paramref name="every"/> later): at the first sweep after start, once the calls this intake
    /// deferred have settled, and otherwise every <paramref name="every"/> as a safety net. The
    /// catch-up reads the last day's calls, so a look costs more the busier the day.
    /// </summary>
    public bool CatchUpDue(DateTimeOffset now, TimeSpan every)
    {
        lock (_catchUpGate)
        {
            if (now < _lookAgainAt)
            {
                return false;
            }

            _lookAgainAt = now + every;
            return true;
        }
    }

    /// <summary>The catch-up did not finish, or calls were left to it: look again once they have settled.</summary>
    public void CatchUpWanted(DateTimeOffset now, TimeSpan settleFor)
    {
        lock (_catchUpGate)
        {
            if (now + settleFor < _lookAgainAt)
            {
                _lookAgainAt = now + settleFor;
            }
        }
    }

    /// <summary>
    /// Reloads the calls by id and creates, joins or resolves their call-backs, each in a
    /// transaction of its own; returns and publishes what changed. For the sweep's catch-up.
    /// </summary>
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
        foreach (var call in InCallerOrder(calls))
        {
            changes.AddRange(await WithRetriesAsync(call, ct));
        }

        var distinct = changes.Distinct().ToList();
        notifier.Publish(distinct);
        return distinct;
    }

    /// <summary>
    /// Creates, joins or resolves the call-backs of these just-written calls inside the ingest's
    /// <paramref name="transaction"/> (no second writer, no second fsync); publishes nothing: the
    /// caller publishes with <see cref="Publish"/> after its commit. If it fails, what it did is
    /// rolled back to a savepoint and logged, the events still commit, and the sweep's catch-up
    /// handles these calls later.
    /// </summary>
    public async Task<IReadOnlyList<CallbackChange>> ApplyAsync(
        WallboardDbContext db, IDbContextTransaction transaction, IReadOnlyList<Call> calls, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(calls);
        var concerned = InCallerOrder(calls.Where(c => c.Department == Department.Sales && c.Outcome is not null)).ToList();
        if (concerned.Count == 0)
        {
            return [];
        }

        const string Savepoint = "callbacks";
        await transaction.CreateSavepointAsync(Savepoint, ct);
        try
        {
            var changes = new List<CallbackChange>();
            // One transaction: a store's rules are read once for all its calls in it.
            var rules = new Dictionary<int, StoreRules>();
            foreach (var call in concerned)
            {
                changes.AddRange(await DecideAsync(db, call, rules, ct));
            }

            return changes.Distinct().ToList();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await transaction.RollbackToSavepointAsync(Savepoint, ct);
            LogDeferred(logger, concerned.Count, ex);
            CatchUpWanted(time.GetUtcNow(), Jobs.CallbackSweepJob.CatchUpGrace);
            return [];
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Tells the screens about call-backs changed in a transaction that has committed.</summary>
    public void Publish(IReadOnlyList<CallbackChange> changes) => notifier.Publish(changes);

    // In the order the callers called, so a number's first miss creates and later ones join; an
    // anonymized caller (an erase while the call was live) has no number to call back.
    private static IEnumerable<Call> InCallerOrder(IEnumerable<Call> calls) =>
        calls.Where(c => !CallerPseudonym.IsPseudonym(c.CallerE164)).OrderBy(c => c.StartedAt).ThenBy(c => c.Id);

    private async Task<IReadOnlyList<CallbackChange>> WithRetriesAsync(Call call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            try
            {
                return await DecideAsync(db, call, rules: null, ct);
            }
            catch (DbUpdateException ex) when (attempt < MaxTries)
            {
                // Another writer made this number's call-back, linked this call or changed the
                // call-back since we read it: read again and decide again.
                LogRetried(logger, call.Id, attempt, ex.InnerException?.Message ?? ex.Message);
            }
        }
    }

    private Task<IReadOnlyList<CallbackChange>> DecideAsync(WallboardDbContext db, Call call, Dictionary<int, StoreRules>? rules, CancellationToken ct) =>
        call.Outcome!.Value.IsMissed() ? MissedAsync(db, call, rules, ct)
        : call.Outcome == CallOutcome.Connected && call.CallerE164 is not null ? ConnectedAsync(db, call, ct)
        : Task.FromResult<IReadOnlyList<CallbackChange>>([]);

    // known: the stores' rules already read in this transaction (null: read them each time).
    private async Task<IReadOnlyList<CallbackChange>> MissedAsync(WallboardDbContext db, Call call, Dictionary<int, StoreRules>? known, CancellationToken ct)
    {
        if (await db.CallbackCalls.AnyAsync(l => l.CallId == call.Id, ct))
        {
            return [];
        }

        if (known?.GetValueOrDefault(call.StoreId) is not { } rules)
        {
            rules = await CallbackStores.LoadRulesAsync(db, call.StoreId, ct);
            known?.Add(call.StoreId, rules);
        }

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

        await db.SaveChangesAsync(ct);
        return [new CallbackChange(callback.StoreId, callback.Department, callback.Id)];
    }

    private async Task<IReadOnlyList<CallbackChange>> ConnectedAsync(WallboardDbContext db, Call call, CancellationToken ct)
    {
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

        await db.SaveChangesAsync(ct);
        return open.Select(c => new CallbackChange(c.StoreId, c.Department, c.Id)).ToList();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not turn {Count} calls into call-backs with their events; the sweep will try again")]
    private static partial void LogDeferred(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} met a concurrent change to its call-back (try {Attempt}: {Reason}); deciding again")]
    private static partial void LogRetried(ILogger logger, long callId, int attempt, string reason);
}
