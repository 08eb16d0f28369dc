using Quartz;
using Wallboard.Web.Alerts;

namespace Wallboard.Web.Jobs;

/// <summary>Looks for held callers, silent integrations and closed stores' digests; see <see cref="AlertWatch"/>.</summary>
[DisallowConcurrentExecution]
public sealed class AlertWatchJob(AlertWatch watch) : IJob
{
    public static readonly JobKey Key = new(nameof(AlertWatchJob));

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await watch.RunOnceAsync(cancellationToken);
}
