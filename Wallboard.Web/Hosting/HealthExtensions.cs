using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Wallboard.Web.Hosting;

public static class HealthExtensions
{
    public static WebApplicationBuilder AddWallboardHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<StartupReadiness>();
        builder.Services.AddHostedService<StartupTiming>();
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

/// <summary>
/// Logs how long start-up took, from the process's start (runtime, JIT, migrations, services) to
/// listening, and the CPU the process used until then: the figures docs/startup.md is about. The
/// host calls <see cref="StartedAsync"/> once every hosted service has started, Kestrel last, and
/// before the <c>ApplicationStarted</c> callbacks (the TV links, the sign-in address), which are
/// not start-up's.
/// </summary>
internal sealed partial class StartupTiming(ILoggerFactory loggers) : IHostedLifecycleService
{
    private readonly ILogger _logger = loggers.CreateLogger("Wallboard.Startup");

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        LogListening(_logger, (DateTime.Now - process.StartTime).TotalMilliseconds, process.TotalProcessorTime.TotalMilliseconds);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening {Milliseconds:0} ms after the process started, {CpuMilliseconds:0} ms of CPU")]
    private static partial void LogListening(ILogger logger, double milliseconds, double cpuMilliseconds);
}

public sealed class StartupReadinessHealthCheck(StartupReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Starting up."));
}
