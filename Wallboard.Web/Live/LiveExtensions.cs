using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc;
using Wallboard.Web.Data;

namespace Wallboard.Web.Live;

public static partial class LiveExtensions
{
    /// <summary>The live boards, their notifier and the hub that serves them outside Blazor (§5, §11).</summary>
    public static IHostApplicationBuilder AddWallboardLive(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<LiveBoardOptions>(builder.Configuration.GetSection("Wallboard:Live"));
        services.AddSingleton<BoardNotifier>();
        services.AddSingleton<LiveBoard>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveBoard>());
        services.AddHostedService<BoardHubPublisher>();
        services.AddSignalR();
        return builder;
    }

    /// <summary><c>/hubs/wallboard</c>, <c>GET /api/v1/stores/{id}/board</c>, and the TV links printed once the app listens.</summary>
    public static WebApplication MapWallboardLive(this WebApplication app)
    {
        app.UseMiddleware<RefuseLiveConnectionsWhileStopping>();
        // A refused hub connection is answered 401/403 as is, not with the app's not-found page.
        app.MapHub<WallboardHub>(WallboardHub.Path).WithMetadata(new SkipStatusCodePagesAttribute());
        app.MapBoardEndpoints();
        app.Lifetime.ApplicationStarted.Register(() => PrintTvLinks(app));
        return app;
    }

    // The demo's TV links (§11), with the address the app really listens on.
    private static void PrintTvLinks(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Wallboard.Live");
        var path = Path.Combine(app.Configuration.DataDirectory(), DemoSeeder.CredentialsFileName);
        if (!File.Exists(path))
        {
            return;
        }

        try
        {
            var credentials = JsonSerializer.Deserialize<DemoCredentials>(File.ReadAllText(path), JsonSerializerOptions.Web);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? DemoSeeder.DefaultAddress;
            var baseUri = new Uri(address.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).TrimEnd('/') + "/");
            foreach (var link in credentials?.DisplayLinks ?? [])
            {
                var tv = new Uri(baseUri, new Uri(link.Url).PathAndQuery);
                LogTvLink(logger, link.Store, link.Department, tv);
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or UriFormatException)
        {
            LogTvLinksUnreadable(logger, path, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TV board of {Store} ({Department}): {Url}")]
    private static partial void LogTvLink(ILogger logger, string store, string department, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the demo's TV links from {Path}")]
    private static partial void LogTvLinksUnreadable(ILogger logger, string path, Exception exception);
}
