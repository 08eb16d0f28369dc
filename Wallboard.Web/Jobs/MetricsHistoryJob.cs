using Quartz;
using Wallboard.Domain.Metrics;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Jobs;

/// <summary>
/// Every few minutes: the longer metrics windows of every store (§7): yesterday, the last 7 and
/// 30 days, the month to date. Late events and call-back work change them, slowly. Idempotent.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class MetricsHistoryJob(MetricsReports reports, TimeProvider time, ILogger<MetricsHistoryJob> logger) : IJob
{
    public static readonly JobKey Key = new(nameof(MetricsHistoryJob));

    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    public static readonly IReadOnlyList<MetricsWindow> Windows =
        [MetricsWindow.Yesterday, MetricsWindow.Last7Days, MetricsWindow.MonthToDate, MetricsWindow.Last30Days];

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        var computed = await reports.ComputeAsync([.. Windows], null, cancellationToken);
        var elapsed = time.GetElapsedTime(started).TotalMilliseconds;
        LogComputed(logger, computed.Count, elapsed);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Snapshots} longer-window metrics snapshots in {Milliseconds:F0} ms")]
    private static partial void LogComputed(ILogger logger, int snapshots, double milliseconds);
}
