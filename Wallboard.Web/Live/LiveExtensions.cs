using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Wallboard.Web.Data;
using Wallboard.Web.Hosting;

namespace Wallboard.Web.Live;

public static partial class LiveExtensions
{
    /// <summary>The live boards, their notifier and the hub that serves them outside Blazor (§5, §11).</summary>
    public static IHostApplicationBuilder AddWallboardLive(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // A window below zero would stop every screen: the app refuses to start instead, and says why.
        services.AddOptions<LiveBoardOptions>().Bind(builder.Configuration.GetSection("Wallboard:Live")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LiveBoardOptions>, LiveBoardOptions.Validation>();
        services.AddSingleton<IBoardNotifier, Notifier<BoardUpdate>>();
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

    // The demo's TV links (§11), at the address a person opens the app at (Wallboard:PublicBaseUrl,
    // else the one it really listens on), an open store's first (else the one that opens soonest),
    // so a newcomer's first click shows traffic. The credentials file is brought in line: it was
    // written before the app knew its address.
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
            if (credentials is null)
            {
                return;
            }

            var address = Hosting.PublicAddress.Of(app.Services, app.Configuration);
            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            var opens = NextOpenings(app.Services, now);
            var links = (credentials.DisplayLinks ?? [])
                .Select(l => l with { Url = Hosting.PublicAddress.Rebase(l.Url, address) })
                .OrderBy(l => opens.GetValueOrDefault((l.StoreId, l.Department)) ?? DateTimeOffset.MaxValue)
                .ThenBy(l => l.StoreId)
                .ToList();
            var updated = credentials with { SignIn = Hosting.PublicAddress.Rebase(credentials.SignIn, address), DisplayLinks = links };
            if (updated.SignIn != credentials.SignIn || !links.SequenceEqual(credentials.DisplayLinks ?? []))
            {
                DemoSeeder.WriteCredentials(path, updated);
            }

            foreach (var link in links)
            {
                var when = opens.GetValueOrDefault((link.StoreId, link.Department)) switch
                {
                    null => "hours not set",
                    { } at when at <= now => "open now",
                    { } at => $"closed, opens {Components.Shared.LiveFormat.DayAndTime(at, credentials.Stores.FirstOrDefault(s => s.Id == link.StoreId)?.TimeZoneId ?? "UTC")}",
                };
                var url = new Uri(link.Url);
                LogTvLink(logger, link.Store, link.Department, when, url);
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or UriFormatException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            LogTvLinksUnreadable(logger, path, ex);
        }
    }

    // When each store's department is next open (now when it is open), from its business hours.
    private static Dictionary<(int StoreId, string Department), DateTimeOffset?> NextOpenings(IServiceProvider services, DateTimeOffset now)
    {
        using var db = services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContext();
        var stores = db.Stores.AsNoTracking().Include(s => s.BusinessHours).Include(s => s.ClosedDates).AsSplitQuery().ToList();
        return stores
            .SelectMany(s => Enum.GetValues<Domain.Stores.Department>().Select(d => (Key: (s.Id, d.ToString()), At: s.Calendar.NextOpening(now, d, horizonDays: 14))))
            .ToDictionary(x => x.Key, x => x.At);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TV board of {Store} ({Department}, {OpenNow}): {Url}")]
    private static partial void LogTvLink(ILogger logger, string store, string department, string openNow, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the demo's TV links from {Path}")]
    private static partial void LogTvLinksUnreadable(ILogger logger, string path, Exception exception);
}
