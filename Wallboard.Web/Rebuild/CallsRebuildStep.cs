using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Wallboard.Domain.Calls;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;

namespace Wallboard.Web.Rebuild;

/// <summary>
/// Every call projected again from its stored events, by ingest's own code (<see cref="CallUpdater"/>
/// reading each call back from the database, as it does for a call not kept in memory): the row
/// (times, outcome, waits, who answered), its attribution (store, department, source, tracking
/// number, salespeople, from today's reference tables, as a late event would), its rings and holds.
/// Only what differs is written, keeping each call's id. Store by store, a page of calls per
/// transaction, read by key (never all at once); with no <c>--store</c>, events of calls that have
/// no row at all are projected last. Anonymized calls take ingest's full path and stay anonymous.
/// </summary>
public sealed class CallsRebuildStep(IDbContextFactory<WallboardDbContext> dbFactory, AttributionCache attribution) : IRebuildStep
{
    /// <summary>Calls per transaction.</summary>
    public const int PageSize = 1_000;

    // Nothing is kept in memory: every call is read back from its stored events.
    private readonly CallsInFlight _noMemory = new(Options.Create(new IngestOptions { CallsInMemory = 0 }));

    public string Name => "calls";

    public async Task<string> RunAsync(RebuildScope scope, RebuildProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(progress);
        long recomputed = 0, corrected = 0, withoutEvents = 0;
        foreach (var store in scope.Stores)
        {
            long total;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                total = await db.Calls.LongCountAsync(c => c.StoreId == store.Id, ct);
            }

            var counter = progress.Start(Name, $"{store.Name} (store {store.Id})", total, "calls");
            long lastId = 0, storeCorrected = 0;
            while (true)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var page = await db.Calls.AsNoTracking()
                    .Where(c => c.StoreId == store.Id && c.Id > lastId)
                    .OrderBy(c => c.Id)
                    .Take(PageSize)
                    .Select(c => new { c.Id, c.IntegrationId, c.ExternalId })
                    .ToListAsync(ct);
                if (page.Count == 0)
                {
                    break;
                }

                lastId = page[^1].Id;
                var (changed, skipped) = await RecomputeAsync(db, page.Select(c => new CallKey(c.IntegrationId, c.ExternalId)).ToList(), scope.Now, ct);
                storeCorrected += changed;
                withoutEvents += skipped;
                counter.Advance(page.Count);
            }

            counter.Finish($"{storeCorrected.ToString("N0", CultureInfo.InvariantCulture)} corrected");
            recomputed += counter.Done;
            corrected += storeCorrected;
        }

        if (scope.WholeDatabase)
        {
            var (found, written) = await ProjectCallsWithoutRowAsync(progress, scope.Now, ct);
            recomputed += found;
            corrected += written;
        }

        var summary = $"{N(recomputed)} calls recomputed from their events, {N(corrected)} corrected";
        return withoutEvents == 0 ? summary : $"{summary}; {N(withoutEvents)} calls have no stored events and were left as they are";
    }

    /// <summary>Events whose call has no row (it was lost): their calls are projected and inserted, streamed by key.</summary>
    private async Task<(long Found, long Written)> ProjectCallsWithoutRowAsync(RebuildProgress progress, DateTimeOffset now, CancellationToken ct)
    {
        long found = 0, written = 0;
        var last = new CallKey(0, string.Empty);
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // Translated to SQL's "CallId" > @last (the database's own order, the same as its ORDER BY):
            // an ordinal comparison could not be translated.
#pragma warning disable CA1309
            var page = await db.CallEvents.AsNoTracking()
                .Where(e => e.IntegrationId > last.IntegrationId || (e.IntegrationId == last.IntegrationId && string.Compare(e.CallId, last.CallId) > 0))
#pragma warning restore CA1309
                .Where(e => !db.Calls.Any(c => c.IntegrationId == e.IntegrationId && c.ExternalId == e.CallId))
                .Select(e => new { e.IntegrationId, e.CallId })
                .Distinct()
                .OrderBy(e => e.IntegrationId).ThenBy(e => e.CallId)
                .Take(PageSize)
                .ToListAsync(ct);
            if (page.Count == 0)
            {
                break;
            }

            last = new CallKey(page[^1].IntegrationId, page[^1].CallId);
            found += page.Count;
            written += (await RecomputeAsync(db, page.Select(e => new CallKey(e.IntegrationId, e.CallId)).ToList(), now, ct)).Changed;
        }

        progress.Line(Name, found == 0 ? "every stored event's call has its row" : $"{N(found)} calls had events but no row: projected");
        return (found, written);
    }

    /// <summary>One transaction: the calls projected from their events and written where they differ.</summary>
    private async Task<(int Changed, int WithoutEvents)> RecomputeAsync(WallboardDbContext db, List<CallKey> calls, DateTimeOffset now, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        using var updater = new CallUpdater(db, transaction.GetDbTransaction(), _noMemory);
        var withoutEvents = 0;
        foreach (var integration in calls.GroupBy(c => c.IntegrationId))
        {
            var directory = await attribution.GetAsync(integration.Key, ct)
                ?? throw new InvalidOperationException($"Integration {integration.Key} of stored calls does not exist.");
            var callIds = integration.Select(c => c.CallId).ToList();
            // A row whose events are gone (none is ever deleted; a database restored in part) has nothing to project.
            var withEvents = (await db.CallEvents.AsNoTracking()
                    .Where(e => e.IntegrationId == integration.Key && callIds.Contains(e.CallId))
                    .Select(e => e.CallId)
                    .Distinct()
                    .ToListAsync(ct))
                .ToHashSet(StringComparer.Ordinal);
            withoutEvents += callIds.Count - withEvents.Count;
            await updater.ApplyAsync(directory, withEvents.ToDictionary(id => id, _ => new List<CallEvent>(), StringComparer.Ordinal), now, ct);
        }

        await transaction.CommitAsync(ct);
        return (updater.Changed, withoutEvents);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
