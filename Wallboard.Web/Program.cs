using Wallboard.Web;
using Wallboard.Web.Components;
using Wallboard.Web.Components.Shared;
using Wallboard.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddWallboardHealth();
builder.AddWallboardUi();

// Stand-in until the data layer registers a directory backed by the database.
builder.Services.AddSingleton<IStoreDirectory, EmptyStoreDirectory>();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();

app.MapWallboardHealth();
app.MapWallboardUi();

// Nothing to prepare yet; the data layer moves this after migrations and seeding.
app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<StartupReadiness>().MarkReady());

app.Run();

public partial class Program;
