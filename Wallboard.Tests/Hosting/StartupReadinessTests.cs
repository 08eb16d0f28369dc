using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wallboard.Web;
using Wallboard.Web.Hosting;

namespace Wallboard.Tests.Hosting;

public sealed class StartupReadinessTests
{
    [Fact]
    public async Task Health_check_is_unhealthy_until_startup_is_marked_ready()
    {
        var readiness = new StartupReadiness();
        var check = new StartupReadinessHealthCheck(readiness);

        var before = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.False(readiness.WhenReady.IsCompleted);

        readiness.MarkReady();

        var after = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, after.Status);
        Assert.True(readiness.IsReady);
        Assert.True(readiness.WhenReady.IsCompletedSuccessfully);
    }
}
