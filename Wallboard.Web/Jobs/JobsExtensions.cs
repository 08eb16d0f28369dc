using Quartz;
using Wallboard.Web.Privacy;

namespace Wallboard.Web.Jobs;

public static class JobsExtensions
{
    /// <summary>The scheduled jobs (Quartz, in memory: every job reads its state from the database).</summary>
    public static IHostApplicationBuilder AddWallboardJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<StaleCallSweepJob>();
        builder.Services.AddTransient<PrivacyRetentionJob>();
        // A bad schedule is reported by the options' start-up check; the default stands in until then.
        var privacy = builder.Configuration.GetSection(PrivacyOptions.Section).Get<PrivacyOptions>() ?? new PrivacyOptions();
        var retentionSchedule = PrivacyOptions.IsCron(privacy.RetentionSchedule)
            ? privacy.RetentionSchedule!
            : new PrivacyOptions().RetentionSchedule;
        builder.Services.AddQuartz(quartz =>
        {
            quartz.AddJob<StaleCallSweepJob>(job => job.WithIdentity(StaleCallSweepJob.Key));
            quartz.AddTrigger(trigger => trigger
                .ForJob(StaleCallSweepJob.Key)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(1)).RepeatForever()));
            quartz.AddJob<PrivacyRetentionJob>(job => job.WithIdentity(PrivacyRetentionJob.Key));
            quartz.AddTrigger(trigger => trigger
                .ForJob(PrivacyRetentionJob.Key)
                .WithCronSchedule(retentionSchedule, cron => cron.InTimeZone(TimeZoneInfo.Utc)));
        });
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }
}
