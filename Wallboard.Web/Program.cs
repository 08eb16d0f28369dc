using Wallboard.Web.Components;
using Wallboard.Web.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddWallboardData();
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

await app.PrepareWallboardDataAsync();
await app.RunAsync();

public partial class Program;
