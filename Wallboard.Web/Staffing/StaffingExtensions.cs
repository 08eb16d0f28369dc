namespace Wallboard.Web.Staffing;

public static class StaffingExtensions
{
    /// <summary>Staffing advice (docs/staffing.md): the advisor the screens, the TV line and the API share.</summary>
    public static IHostApplicationBuilder AddWallboardStaffing(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<StaffingAdvisor>();
        builder.Services.AddSingleton<INextHourStaffing>(services => services.GetRequiredService<StaffingAdvisor>());
        return builder;
    }

    public static IEndpointRouteBuilder MapWallboardStaffing(this IEndpointRouteBuilder app) => app.MapStaffingEndpoints();
}
