using Quartz;
using Wallboard.Domain.Metrics;
using Wallboard.Web.Hosting;
using Wallboard.Web.Jobs;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Metrics;

public static class MetricsExtensions
{
    /// <summary>
    /// Metrics (§7): the computation and its snapshots, the notifier, the live refresher of
    /// today's figures, and the two jobs (today every minute; the longer windows every few minutes).
    /// </summary>
    public static IHostApplicationBuilder AddWallboardMetrics(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.Configure<MetricsOptions>(builder.Configuration.GetSection("Wallboard:Metrics"));
        services.AddSingleton<IMetricsNotifier, Notifier<MetricsReport>>();
        services.AddSingleton<MetricsReports>();
        services.AddSingleton<SourceCostReports>();
        services.AddHostedService<MetricsLiveRefresher>();

        services.AddTransient<MetricsTodayJob>();
        services.AddTransient<MetricsHistoryJob>();
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<MetricsTodayJob>(job => job.WithIdentity(MetricsTodayJob.Key));
            quartz.AddTrigger(trigger => trigger
                .ForJob(MetricsTodayJob.Key)
                .WithIdentity(MetricsTodayJob.Key.Name)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(MetricsTodayJob.Interval).RepeatForever()));
            quartz.AddJob<MetricsHistoryJob>(job => job.WithIdentity(MetricsHistoryJob.Key));
            quartz.AddTrigger(trigger => trigger
                .ForJob(MetricsHistoryJob.Key)
                .WithIdentity(MetricsHistoryJob.Key.Name)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(MetricsHistoryJob.Interval).RepeatForever()));
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapWallboardMetrics(this IEndpointRouteBuilder app) => app.MapMetricsEndpoints().MapSourceCostEndpoints();
}
