using Quartz;
using Wallboard.Web.Jobs;

namespace Wallboard.Web.Alerts;

public static class AlertsExtensions
{
    /// <summary>
    /// Alerts and the daily digest: the outbox's composer, recipients and dispatcher, the e-mail
    /// (MailKit) and SMS (Twilio) senders, the delivery and watch jobs, and the health check. With
    /// neither channel configured nothing is raised and the jobs find nothing to do.
    /// </summary>
    public static IHostApplicationBuilder AddWallboardAlerts(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddWallboardAlertServices(builder.Configuration);
        services.AddHealthChecks().AddCheck<AlertsHealthCheck>("alerts");

        var delivery = builder.Configuration.GetSection(AlertDeliveryOptions.Section).Get<AlertDeliveryOptions>() ?? new AlertDeliveryOptions();
        services.AddTransient<AlertDeliveryJob>();
        services.AddTransient<AlertWatchJob>();
        services.AddQuartz(quartz =>
        {
            quartz.AddJob<AlertDeliveryJob>(job => job.WithIdentity(AlertDeliveryJob.Key));
            quartz.AddTrigger(trigger => trigger
                .ForJob(AlertDeliveryJob.Key)
                .WithIdentity(AlertDeliveryJob.Key.Name)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(delivery.DeliveryInterval).RepeatForever()));
            // A zero interval turns the watch off: no held-caller, silence or closing-time alerts.
            if (delivery.WatchInterval > TimeSpan.Zero)
            {
                quartz.AddJob<AlertWatchJob>(job => job.WithIdentity(AlertWatchJob.Key));
                quartz.AddTrigger(trigger => trigger
                    .ForJob(AlertWatchJob.Key)
                    .WithIdentity(AlertWatchJob.Key.Name)
                    .StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(delivery.WatchInterval).RepeatForever()));
            }
        });
        return builder;
    }

    /// <summary>The alert services alone (no jobs): what the app, the <c>send-digest</c> verb and the tests share.</summary>
    public static IServiceCollection AddWallboardAlertServices(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<EmailOptions>(configuration.GetSection(EmailOptions.Section));
        services.Configure<TwilioSmsOptions>(configuration.GetSection(TwilioSmsOptions.Section));
        services.Configure<AlertDeliveryOptions>(configuration.GetSection(AlertDeliveryOptions.Section));
        services.PostConfigure<AlertDeliveryOptions>(o =>
        {
            if (configuration["Wallboard:PublicBaseUrl"] is { Length: > 0 } publicBase)
            {
                o.PublicBaseUrl = publicBase;
            }
        });
        services.AddTransient<TwilioBaseUrlHandler>();
        services.AddHttpClient(TwilioAlertSender.HttpClientName).AddHttpMessageHandler<TwilioBaseUrlHandler>();
        services.AddSingleton<IAlertSender, SmtpAlertSender>();
        services.AddSingleton<IAlertSender, TwilioAlertSender>();
        services.AddSingleton<AlertComposer>();
        services.AddSingleton<AlertRecipients>();
        services.AddSingleton<AlertDispatcher>();
        services.AddSingleton<CallbackAlerts>();
        services.AddSingleton<DailyDigest>();
        services.AddSingleton<AlertWatch>();
        services.AddSingleton<AlertsAdminService>();
        services.AddSingleton<AlertsHealthCheck>();
        return services;
    }
}
