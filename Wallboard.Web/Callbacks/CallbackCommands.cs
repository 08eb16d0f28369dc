using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Web.Data;

namespace Wallboard.Web.Callbacks;

/// <summary>The answer to a call-back command: the rule's result and the call-back as it now stands (null when not found or not visible).</summary>
public sealed record CallbackCommandResult(CallbackCommandStatus Status, CallbackResult Result, CallbackView? Callback)
{
    public bool IsDone => Status == CallbackCommandStatus.Done;
}

public enum CallbackCommandStatus
{
    Done = 0,
    NotFound = 1,

    /// <summary>The call-back is in a store the user may not act in.</summary>
    OtherStore = 2,

    /// <summary>The rule refused: see <see cref="CallbackResult.Refusal"/>.</summary>
    Refused = 3,
}

/// <summary>
/// What people do to call-backs (§6): claim, release, log an attempt, reassign, close. Each
/// command reads the call-back, applies the domain rule and saves against the version it read; if
/// someone else saved first (the concurrency token), it reads again and decides again. That is how
/// of twenty simultaneous claims exactly one wins and the others are told who has it.
/// </summary>
public sealed partial class CallbackCommands(
    IDbContextFactory<WallboardDbContext> dbFactory,
    CallbackQueries queries,
    ICallbackChangeNotifier notifier,
    TimeProvider time,
    ILogger<CallbackCommands> logger)
{
    private const int MaxTries = 8;

    public Task<CallbackCommandResult> ClaimAsync(long id, CallbackUser user, CancellationToken ct) =>
        ApplyAsync(id, user, (callback, rules, now) => callback.Claim(user.Actor, rules.Rules, now), ct);

    public Task<CallbackCommandResult> ReleaseAsync(long id, CallbackUser user, CancellationToken ct) =>
        ApplyAsync(id, user, (callback, rules, now) => callback.Release(user.Actor, rules.Rules, now), ct);

    public Task<CallbackCommandResult> LogAttemptAsync(long id, CallbackUser user, AttemptInput input, CancellationToken ct) =>
        ApplyAsync(id, user, (callback, rules, now) => callback.LogAttempt(user.Actor, input, rules.Rules, now), ct);

    public Task<CallbackCommandResult> CloseAsync(long id, CallbackUser user, string? reason, CancellationToken ct) =>
        ApplyAsync(id, user, (callback, _, now) => callback.Close(user.Actor, reason, now), ct);

    public async Task<CallbackCommandResult> ReassignAsync(long id, CallbackUser user, int salespersonId, string? reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        string? name = null;
        if (user.IsManager)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var storeId = await db.Callbacks.Where(c => c.Id == id).Select(c => (int?)c.StoreId).SingleOrDefaultAsync(ct);
            name = await db.Salespeople.AsNoTracking()
                .Where(p => p.Id == salespersonId && p.IsActive && p.StoreId == storeId)
                .Select(p => p.Name)
                .SingleOrDefaultAsync(ct);
        }

        // The call-back's own state speaks first (finished: 409); then whether the person exists.
        return await ApplyAsync(id, user, (callback, rules, now) => name is null && user.IsManager && callback.IsActive
            ? CallbackResult.Invalid($"There is no active salesperson {salespersonId} in this store.",
                new Dictionary<string, string[]> { ["salespersonId"] = [$"No active salesperson {salespersonId} in store {callback.StoreId}."] })
            : callback.Reassign(user.Actor, salespersonId, name ?? string.Empty, reason, rules.Rules, now), ct);
    }

    private async Task<CallbackCommandResult> ApplyAsync(
        long id, CallbackUser user, Func<Callback, StoreRules, DateTimeOffset, CallbackResult> rule, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var callback = await db.Callbacks.SingleOrDefaultAsync(c => c.Id == id, ct);
            if (callback is null)
            {
                return new CallbackCommandResult(CallbackCommandStatus.NotFound, CallbackResult.Unchanged, null);
            }

            if (!user.MaySee(callback.StoreId))
            {
                return new CallbackCommandResult(CallbackCommandStatus.OtherStore, CallbackResult.NotAllowed("This call-back belongs to another store."), null);
            }

            var rules = await CallbackStores.LoadRulesAsync(db, callback.StoreId, ct);
            var result = rule(callback, rules, time.GetUtcNow());
            if (!result.IsDone)
            {
                return new CallbackCommandResult(CallbackCommandStatus.Refused, result, await queries.GetAsync(id, ct));
            }

            if (result.Changed)
            {
                callback.Version++;
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateConcurrencyException) when (attempt < MaxTries)
                {
                    // Someone saved this call-back since we read it: read it again and decide again.
                    LogRetried(logger, id, attempt);
                    continue;
                }

                notifier.Publish([new CallbackChange(callback.StoreId, callback.Department, callback.Id)]);
            }

            return new CallbackCommandResult(CallbackCommandStatus.Done, result, await queries.GetAsync(id, ct));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call-back {CallbackId} changed under a command (try {Attempt}); deciding again")]
    private static partial void LogRetried(ILogger logger, long callbackId, int attempt);
}
