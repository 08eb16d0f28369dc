using Wallboard.Web.Components;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;
using Wallboard.Web.Jobs;

var builder = WebApplication.CreateBuilder(args);

builder.AddWallboardData();
builder.AddWallboardIngest();
builder.AddWallboardJobs();
builder.Services.AddProblemDetails();
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseRateLimiter();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapWallboardIngest();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

await app.PrepareWallboardDataAsync();
await app.RunAsync();

public partial class Program;
