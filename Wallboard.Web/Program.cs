using Wallboard.Web;
using Wallboard.Web.Auth;
using Wallboard.Web.Calls;
using Wallboard.Web.Components;
using Wallboard.Web.Data;
using Wallboard.Web.Hosting;
using Wallboard.Web.Ingest;
using Wallboard.Web.Jobs;
using Wallboard.Web.Live;

var builder = WebApplication.CreateBuilder(args);

builder.AddWallboardData();
builder.AddWallboardAuth();
builder.AddWallboardIngest();
builder.AddWallboardLive();
builder.AddWallboardJobs();
builder.AddWallboardHealth();
builder.AddWallboardUi();
builder.Services.AddProblemDetails();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseApiProblemDetails();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapWallboardHealth();
app.MapWallboardIngest();
app.MapCallsEndpoints();
app.MapWallboardLive();
app.MapWallboardUi();

await app.PrepareWallboardDataAsync();
app.Services.GetRequiredService<StartupReadiness>().MarkReady();
await app.RunAsync();

public partial class Program;
