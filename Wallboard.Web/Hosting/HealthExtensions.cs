using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Wallboard.Web.Hosting;

public static class HealthExtensions
{
    public static WebApplicationBuilder AddWallboardHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<StartupReadiness>();
        builder.Services.AddHealthChecks()
            .AddCheck<StartupReadinessHealthCheck>("startup");
        return builder;
    }

    /// <summary><c>GET /health</c>: 200 "Healthy" once the app is ready, 503 "Unhealthy" before.</summary>
    public static WebApplication MapWallboardHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        return app;
    }
}

public sealed class StartupReadinessHealthCheck(StartupReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Starting up."));
}
