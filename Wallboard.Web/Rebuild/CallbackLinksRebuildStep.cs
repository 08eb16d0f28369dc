using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;

namespace Wallboard.Web.Rebuild;

/// <summary>
/// What call-backs take from the calls, made to agree with the calls as rebuilt; what people did
/// on them is kept (docs/operations.md "rebuild" lists which is which):
/// <list type="number">
/// <item>every missed sales call belongs to one call-back: a call that lost its link goes back to the
/// call-back of its store and number whose missed calls span it (nothing else on it changes); a
/// missed call that never had one is taken in as ingest takes it (<see cref="CallbackIntake"/>:
/// joins the number's active call-back or creates one);</item>
/// <item>an active call-back whose caller got through later is completed as "caller called back",
/// as ingest and the sweep's catch-up do;</item>
/// <item>each call-back's missed-call count, first and last missed call and "left a message" are
/// those of its linked calls.</item>
/// </list>
/// Claims, attempts, outcomes, notes, lead details, closes, escalations, due times and the audit
/// trail are people's work and the rules' record of it: never touched, never deleted.
/// </summary>
public sealed class CallbackLinksRebuildStep(IDbContextFactory<WallboardDbContext> dbFactory, CallbackIntake intake, TimeProvider time) : IRebuildStep
{
    private const int ChunkSize = 500;

    private static readonly List<CallOutcome?> MissedOutcomes = [.. CallOutcomes.Missed.Select(o => (CallOutcome?)o)];

    public string Name => "call-backs";

    public async Task<string> RunAsync(RebuildScope scope, RebuildProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(progress);
        long relinked = 0, takenIn = 0, resolved = 0, summaries = 0, callbacks = 0;
        foreach (var store in scope.Stores)
        {
            long count;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                count = await db.Callbacks.LongCountAsync(c => c.StoreId == store.Id, ct);
            }

            var counter = progress.Start(Name, $"{store.Name} (store {store.Id})", count, "call-backs");
            var (storeRelinked, storeTakenIn) = await LinkMissedCallsAsync(store, scope.Now, progress, ct);
            var storeResolved = await ResolveByCallersAsync(store, ct);
            var storeSummaries = await RecountAsync(store, counter, ct);
            counter.Finish($"{N(storeRelinked)} links restored, {N(storeTakenIn)} missed calls taken in, {N(storeResolved)} resolved by the caller, {N(storeSummaries)} recounted");
            (relinked, takenIn, resolved, summaries, callbacks) =
                (relinked + storeRelinked, takenIn + storeTakenIn, resolved + storeResolved, summaries + storeSummaries, callbacks + counter.Done);
        }

        return $"{N(callbacks)} call-backs checked against their calls: {N(relinked)} links restored, {N(takenIn)} missed calls taken in, "
            + $"{N(resolved)} resolved by the caller, {N(summaries)} recounted; people's work kept";
    }

    /// <summary>Missed sales calls without a call-back: back to the one they belong to, or taken in by the intake.</summary>
    private async Task<(long Relinked, long TakenIn)> LinkMissedCallsAsync(Store store, DateTimeOffset now, RebuildProgress progress, CancellationToken ct)
    {
        List<long> unlinked;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            unlinked = await db.Calls.AsNoTracking()
                .Where(c => c.StoreId == store.Id && c.Department == Department.Sales && MissedOutcomes.Contains(c.Outcome)
                    && !db.CallbackCalls.Any(l => l.CallId == c.Id))
                .OrderBy(c => c.StartedAt).ThenBy(c => c.Id)
                .Select(c => c.Id)
                .ToListAsync(ct);
        }

        long relinked = 0;
        var toTakeIn = new List<long>();
        foreach (var chunk in unlinked.Chunk(ChunkSize))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var calls = await db.Calls.AsNoTracking().Where(c => chunk.Contains(c.Id)).OrderBy(c => c.StartedAt).ThenBy(c => c.Id).ToListAsync(ct);
            foreach (var call in calls)
            {
                if (CallerPseudonym.IsPseudonym(call.CallerE164))
                {
                    // An anonymized caller has no number to call back (as the intake decides).
                    continue;
                }

                if (await BelongsToAsync(db, call, ct) is { } callbackId)
                {
                    db.CallbackCalls.Add(new CallbackCall { CallbackId = callbackId, CallId = call.Id, JoinedAt = now });
                    relinked++;
                }
                else
                {
                    toTakeIn.Add(call.Id);
                }
            }

            await db.SaveChangesAsync(ct);
        }

        // In the order the callers called, a chunk per transaction as ingest takes them in; a chunk
        // the intake could not take whole (it rolled back and logged) goes again a call at a time,
        // with the intake's retries. Idempotent: a call already linked is left alone.
        var takenIn = 0;
        var counter = toTakeIn.Count == 0 ? null : progress.Start(Name, $"{store.Name} (store {store.Id}), missed calls without a call-back", toTakeIn.Count, "calls");
        foreach (var chunk in toTakeIn.Chunk(ChunkSize))
        {
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var calls = await db.Calls.AsNoTracking().Where(c => chunk.Contains(c.Id)).ToListAsync(ct);
                var changes = await intake.ApplyAsync(db, transaction, calls, ct);
                await transaction.CommitAsync(ct);
                if (changes.Count == 0)
                {
                    await intake.ProcessAsync(chunk, ct);
                }
            }

            takenIn += chunk.Length;
            counter?.Advance(chunk.Length);
        }

        counter?.Finish(string.Empty);
        return (relinked, takenIn);
    }

    /// <summary>The call-back a missed call lost its link to: same store and number, its missed calls span the call.</summary>
    private static Task<long?> BelongsToAsync(WallboardDbContext db, Call call, CancellationToken ct)
    {
        var candidates = db.Callbacks.Where(cb => cb.StoreId == call.StoreId && cb.Department == call.Department);
        candidates = call.CallerE164 is { } number
            ? candidates.Where(cb => cb.CallerE164 == number && cb.FirstMissedAt <= call.StartedAt && cb.LastMissedAt >= call.StartedAt)
            // No number: one call-back per missed call, made for it: the one of its time with no call left.
            : candidates.Where(cb => cb.NoNumber && cb.FirstMissedAt == call.StartedAt && !db.CallbackCalls.Any(l => l.CallbackId == cb.Id));
        return candidates.OrderBy(cb => cb.Id).Select(cb => (long?)cb.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Active call-backs whose caller got through on a later connected call: completed by the intake, as the sweep does.</summary>
    private async Task<long> ResolveByCallersAsync(Store store, CancellationToken ct)
    {
        var connected = new List<long>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var active = await db.Callbacks.AsNoTracking()
                .Where(cb => cb.StoreId == store.Id && cb.CallerE164 != null
                    && (cb.Status == CallbackStatus.Open || cb.Status == CallbackStatus.Claimed || cb.Status == CallbackStatus.Scheduled))
                .Select(cb => new { Number = cb.CallerE164!, cb.FirstMissedAt })
                .ToListAsync(ct);
            // By number through the calls index on (store, number, start), a chunk of numbers at a time.
            foreach (var chunk in active.Chunk(ChunkSize))
            {
                var since = chunk.ToDictionary(cb => cb.Number, cb => cb.FirstMissedAt, StringComparer.Ordinal);
                var numbers = since.Keys.ToList();
                var calls = await db.Calls.AsNoTracking()
                    .Where(c => c.StoreId == store.Id && numbers.Contains(c.CallerE164!) && c.Department == Department.Sales && c.Outcome == CallOutcome.Connected)
                    .Select(c => new { c.Id, Number = c.CallerE164!, c.StartedAt })
                    .ToListAsync(ct);
                connected.AddRange(calls.Where(c => c.StartedAt > since[c.Number]).Select(c => c.Id));
            }
        }

        return connected.Count == 0 ? 0 : (await intake.ProcessAsync(connected, ct)).Count;
    }

    /// <summary>Each call-back's missed-call count, first and last missed call and "left a message", from its linked calls.</summary>
    private async Task<long> RecountAsync(Store store, RebuildProgress.Counter counter, CancellationToken ct)
    {
        long recounted = 0, lastId = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var page = await db.Callbacks.AsNoTracking()
                .Where(cb => cb.StoreId == store.Id && cb.Id > lastId)
                .OrderBy(cb => cb.Id)
                .Take(ChunkSize)
                .Select(cb => new { cb.Id, cb.MissedCallCount, cb.FirstMissedAt, cb.LastMissedAt, cb.CallerLeftMessage })
                .ToListAsync(ct);
            if (page.Count == 0)
            {
                break;
            }

            lastId = page[^1].Id;
            var ids = page.Select(cb => cb.Id).ToList();
            var linked = (await db.CallbackCalls.AsNoTracking()
                    .Where(l => ids.Contains(l.CallbackId))
                    .Join(db.Calls, l => l.CallId, c => c.Id, (l, c) => new { l.CallbackId, c.StartedAt, c.VoicemailMessageLeft })
                    .ToListAsync(ct))
                .ToLookup(l => l.CallbackId);
            foreach (var callback in page)
            {
                var calls = linked[callback.Id].ToList();
                if (calls.Count == 0)
                {
                    // Its calls are gone (a database restored in part): nothing to count from.
                    continue;
                }

                var (count, first, last) = (calls.Count, calls.Min(c => c.StartedAt), calls.Max(c => c.StartedAt));
                var message = callback.CallerLeftMessage || calls.Any(c => c.VoicemailMessageLeft == true);
                if (count == callback.MissedCallCount && first == callback.FirstMissedAt && last == callback.LastMissedAt && message == callback.CallerLeftMessage)
                {
                    continue;
                }

                recounted++;
                await db.Callbacks.Where(cb => cb.Id == callback.Id).ExecuteUpdateAsync(
                    set => set
                        .SetProperty(cb => cb.MissedCallCount, count)
                        .SetProperty(cb => cb.FirstMissedAt, first)
                        .SetProperty(cb => cb.LastMissedAt, last)
                        .SetProperty(cb => cb.CallerLeftMessage, message)
                        .SetProperty(cb => cb.UpdatedAt, time.GetUtcNow())
                        .SetProperty(cb => cb.Version, cb => cb.Version + 1),
                    ct);
            }

            counter.Advance(page.Count);
        }

        return recounted;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
