using Quartz;
using Wallboard.Domain.Metrics;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Jobs;

/// <summary>
/// Every minute: today's metrics of every store (§7), and the daily roll-ups of closed days kept
/// current (<see cref="DailyRollups"/>). A store that has passed its local midnight since its longer
/// windows were computed, or whose roll-ups changed (the day just closed, a late event), gets those
/// too, so yesterday, the last 7 and 30 days and the month move on at the store's midnight, not at
/// the next history run. Idempotent: each run
/// replaces the snapshots with figures read from the database.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class MetricsTodayJob(MetricsReports reports, TimeProvider time, ILogger<MetricsTodayJob> logger) : IJob
{
    public static readonly JobKey Key = new(nameof(MetricsTodayJob));

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var today = await reports.ComputeAsync([MetricsWindow.Today], null, cancellationToken);
        var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
        LogComputed(logger, today.Count, elapsed);

        // The day that closed at a store's midnight, and days that got late events, are rolled up
        // again now; their store's longer windows follow at once.
        var rolledUp = await reports.KeepRollupsCurrentAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var storeId in today.Select(r => r.StoreId))
        {
            if (reports.Latest(storeId, MetricsWindow.Yesterday) is { } yesterday && !MetricsReports.IsCurrent(yesterday, now))
            {
                LogNewDay(logger, storeId);
                await reports.ComputeAsync(MetricsHistoryJob.Windows, storeId, cancellationToken);
            }
            else if (rolledUp.Contains(storeId))
            {
                await reports.ComputeAsync(MetricsHistoryJob.Windows, storeId, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Today's metrics of {Stores} stores in {Milliseconds:F0} ms")]
    private static partial void LogComputed(ILogger logger, int stores, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {StoreId} passed midnight: its longer metrics windows move on")]
    private static partial void LogNewDay(ILogger logger, int storeId);
}
