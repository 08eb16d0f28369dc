using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Wallboard.Web.Hosting;

public static partial class HealthExtensions
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
        // How long start-up took, from the process's start (runtime, JIT, migrations, services) to
        // listening: the figure docs/startup.md is about.
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Wallboard.Startup");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            var elapsed = DateTime.Now - process.StartTime;
            LogListening(logger, elapsed.TotalMilliseconds);
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening {Milliseconds:0} ms after the process started")]
    private static partial void LogListening(ILogger logger, double milliseconds);
}

public sealed class StartupReadinessHealthCheck(StartupReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Starting up."));
}
