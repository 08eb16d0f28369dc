using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wallboard.Web.Data;

namespace Wallboard.Web.Alerts;

/// <summary>
/// <c>/health</c> says "Degraded" while a delivery of the last day failed after its last try (an admin
/// sees which on the delivery log and may send it again).
/// </summary>
public sealed class AlertsHealthCheck(IDbContextFactory<WallboardDbContext> dbFactory, TimeProvider time) : IHealthCheck
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var since = time.GetUtcNow() - Window;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var failed = await db.AlertDeliveries.CountAsync(d => d.Status == AlertDeliveryStatus.Failed && d.CreatedAt >= since, cancellationToken);
        return failed == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded($"{failed} alert deliveries failed in the last day: see /admin/alerts.");
    }
}
