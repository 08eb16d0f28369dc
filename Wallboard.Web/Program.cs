using Wallboard.Web;
using Wallboard.Web.Admin;
using Wallboard.Web.Alerts;
using Wallboard.Web.Auth;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Calls;
using Wallboard.Web.Cluster;
using Wallboard.Web.Components;
using Wallboard.Web.Data;
using Wallboard.Web.Hosting;
using Wallboard.Web.Ingest;
using Wallboard.Web.Ingest.Simulator;
using Wallboard.Web.Jobs;
using Wallboard.Web.Live;
using Wallboard.Web.Privacy;
using Wallboard.Web.Metrics;
using Wallboard.Web.Staffing;

// A verb after `--` (replay, create-admin, …; --help lists them) runs instead of the app; a typo exits 2.
if (await CommandLine.TryRunAsync(args) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddWallboardData();
builder.AddWallboardCluster();
builder.AddWallboardAuth();
builder.AddWallboardIngest();
builder.AddWallboardSimulator();
builder.AddWallboardLive();
builder.AddWallboardJobs();
builder.AddWallboardCallbacks();
builder.AddWallboardPrivacy();
builder.AddWallboardAdmin();
builder.AddWallboardMetrics();
builder.AddWallboardAlerts();
builder.AddWallboardStaffing();
builder.AddWallboardHealth();
builder.AddWallboardUi();
builder.Services.AddProblemDetails();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseWallboardForwardedHeaders();
app.UseWallboardSecurityHeaders();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseApiProblemDetails();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapWallboardHealth();
app.MapWallboardAuth();
app.MapWallboardIngest();
app.MapCallsEndpoints();
app.MapWallboardLive();
app.MapWallboardCallbacks();
app.MapWallboardPrivacy();
app.MapWallboardMetrics();
app.MapWallboardStaffing();
app.MapWallboardUi();

await app.PrepareWallboardDataAsync();
app.Services.GetRequiredService<StartupReadiness>().MarkReady();
await app.RunAsync();
return 0;

public partial class Program;
