namespace Wallboard.Web.Admin;

public static class AdminExtensions
{
    /// <summary>The services behind the admin screens: each checks, saves, audits, and refreshes what caches its data.</summary>
    public static IHostApplicationBuilder AddWallboardAdmin(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<AdminChanges>();
        services.AddSingleton<StoresAdminService>();
        services.AddSingleton<LeadSourcesAdminService>();
        services.AddSingleton<LeadCostsAdminService>();
        services.AddSingleton<TrackingNumbersAdminService>();
        services.AddSingleton<SalespeopleAdminService>();
        services.AddSingleton<IntegrationsAdminService>();
        services.AddSingleton<AccessAdminService>();
        services.AddSingleton<AuditQueries>();
        return builder;
    }
}
