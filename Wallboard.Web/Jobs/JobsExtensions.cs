using Quartz;
using Wallboard.Web.Privacy;

namespace Wallboard.Web.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// The scheduled jobs (Quartz, in memory on SQLite; clustered in PostgreSQL with the Postgres
    /// provider, see Cluster/ClusterExtensions.cs: every job reads its state from the database). Every
    /// trigger has a fixed identity (its job's name): a persistent store keeps triggers across starts,
    /// and one without a fixed key would be stored again, and fire again, at every start of every node.
    /// </summary>
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
                .WithIdentity(StaleCallSweepJob.Key.Name)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(1)).RepeatForever()));
            quartz.AddJob<PrivacyRetentionJob>(job => job.WithIdentity(PrivacyRetentionJob.Key));
            quartz.AddTrigger(trigger => trigger
                .ForJob(PrivacyRetentionJob.Key)
                .WithIdentity(PrivacyRetentionJob.Key.Name)
                .WithCronSchedule(retentionSchedule, cron => cron.InTimeZone(TimeZoneInfo.Utc)));
        });
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }
}
