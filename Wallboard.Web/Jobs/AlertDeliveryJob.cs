using Quartz;
using Wallboard.Web.Alerts;

namespace Wallboard.Web.Jobs;

/// <summary>Delivers the alert outbox (fan-out, sends, retries with backoff); see <see cref="AlertDispatcher"/>.</summary>
[DisallowConcurrentExecution]
public sealed class AlertDeliveryJob(AlertDispatcher dispatcher) : IJob
{
    public static readonly JobKey Key = new(nameof(AlertDeliveryJob));

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await dispatcher.RunOnceAsync(cancellationToken);
}
