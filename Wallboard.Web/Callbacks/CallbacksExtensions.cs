using Quartz;
using Wallboard.Web.Hosting;
using Wallboard.Web.Jobs;

namespace Wallboard.Web.Callbacks;

public static class CallbacksExtensions
{
    /// <summary>
    /// Call-backs (§6): the intake that turns missed calls into call-backs, the commands and
    /// queries the screens and the API share, the change notifier and the sweep job.
    /// </summary>
    public static IHostApplicationBuilder AddWallboardCallbacks(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<ICallbackChangeNotifier, Notifier<CallbackChange>>();
        services.AddSingleton<CallbackUsers>();
        services.AddSingleton<CallbackQueries>();
        services.AddSingleton<CallbackCommands>();
        services.AddSingleton<CallbackIntake>();

        services.AddTransient<CallbackSweepJob>();
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<CallbackSweepJob>(job => job.WithIdentity(CallbackSweepJob.Key));
            quartz.AddTrigger(trigger => trigger
                .ForJob(CallbackSweepJob.Key)
                .WithIdentity(CallbackSweepJob.Key.Name)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(CallbackSweepJob.Interval).RepeatForever()));
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapWallboardCallbacks(this IEndpointRouteBuilder app) => app.MapCallbacksEndpoints();
}
