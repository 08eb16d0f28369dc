using Quartz;

namespace Wallboard.Web.Jobs;

public static class JobsExtensions
{
    /// <summary>The scheduled jobs (Quartz, in memory: every job reads its state from the database).</summary>
    public static IHostApplicationBuilder AddWallboardJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<StaleCallSweepJob>();
        builder.Services.AddQuartz(quartz =>
        {
            quartz.AddJob<StaleCallSweepJob>(job => job.WithIdentity(StaleCallSweepJob.Key));
            quartz.AddTrigger(trigger => trigger
                .ForJob(StaleCallSweepJob.Key)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(1)).RepeatForever()));
        });
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }
}
