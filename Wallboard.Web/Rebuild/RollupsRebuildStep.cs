using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Web.Data;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Rebuild;

/// <summary>
/// The metrics' daily roll-ups (docs/metrics.md "Daily roll-ups") computed again from the rebuilt
/// calls: every closed store-local day from the store's first call (or the first day the minute
/// job keeps) to the last closed day at the rebuild's now, by the roll-ups' own computation
/// (<see cref="DailyRollups.RebuildAsync(WallboardDbContext, int?, DateOnly?, DateOnly?, DateTimeOffset, IProgress{RollupProgress}?, CancellationToken)"/>),
/// a day per statement. Runs after the call-backs (nothing of a roll-up reads them, but the
/// metrics step after it reads both).
/// </summary>
public sealed class RollupsRebuildStep(IDbContextFactory<WallboardDbContext> dbFactory) : IRebuildStep
{
    public string Name => "roll-ups";

    public async Task<string> RunAsync(RebuildScope scope, RebuildProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(progress);
        long days = 0, kept = 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var store in await MetricsQueries.LoadStoresAsync(db, null, ct))
        {
            if (!scope.Stores.Any(s => s.Id == store.Id))
            {
                continue;
            }

            var (first, last) = await DailyRollups.RangeAsync(db, store, null, null, scope.Now, ct);
            var counter = progress.Start(Name, $"{store.Name} (store {store.Id})", Math.Max(0, last.DayNumber - first.DayNumber + 1), "days");
            var storeKept = await DailyRollups.RebuildAsync(db, store.Id, null, null, scope.Now, new Advance(counter), ct);
            counter.Finish(counter.Done == storeKept ? string.Empty : $"{N(counter.Done - storeKept)} changed by a late event meanwhile, left to the minute job");
            (days, kept) = (days + counter.Done, kept + storeKept);
        }

        return $"{N(kept)} store-days rolled up from the calls" + (days == kept ? string.Empty : $", {N(days - kept)} left stale for the minute job");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Each day rolled up advances the store's counter, on the rebuild's own thread.</summary>
    private sealed class Advance(RebuildProgress.Counter counter) : IProgress<RollupProgress>
    {
        public void Report(RollupProgress value) => counter.Advance(1);
    }
}
