using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Wallboard.Web.Auth;

namespace Wallboard.Web.Live;

/// <summary>
/// The board for clients outside Blazor (§11): <c>/hubs/wallboard</c>, a bearer token on the
/// connection (browsers: <c>?access_token=</c>). <c>Subscribe(storeId, department)</c> answers with
/// <c>board</c> (the whole snapshot) at once and then on every change, masked for a display token,
/// in full for a manager. Snapshots carry a growing <c>version</c>: keep the highest one seen.
/// </summary>
[Authorize(AuthenticationSchemes = BearerTokenAuthentication.SchemeName)]
public sealed class WallboardHub(LiveBoard board, DisplayLinkRevocations revocations) : Hub
{
    public const string Path = "/hubs/wallboard";
    public const string BoardMessage = "board";

    private const string RevocationWatch = "display-link-watch";

    /// <summary>A connection with a display token is closed the moment its link is revoked.</summary>
    public override Task OnConnectedAsync()
    {
        if (int.TryParse(Context.User?.FindFirst(BearerTokenAuthentication.DisplayLinkClaim)?.Value, System.Globalization.CultureInfo.InvariantCulture, out var linkId))
        {
            var context = Context;
            Context.Items[RevocationWatch] = revocations.Watch(linkId, context.Abort);
        }

        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(RevocationWatch, out var watch))
        {
            (watch as IDisposable)?.Dispose();
        }

        return base.OnDisconnectedAsync(exception);
    }

    public async Task Subscribe(int storeId, string department)
    {
        var (key, audience) = Authorize(storeId, department);
        var snapshot = await board.GetSnapshotAsync(key, audience, Context.ConnectionAborted)
            ?? throw new HubException($"There is no store {storeId}.");

        // Join first, then send what is current: an update built in between reaches the client
        // through the group too, and the client keeps the higher version.
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(key, audience), Context.ConnectionAborted);
        await Clients.Caller.SendAsync(BoardMessage, board.Current(key, audience) ?? snapshot, Context.ConnectionAborted);
    }

    public async Task Unsubscribe(int storeId, string department)
    {
        var (key, audience) = Authorize(storeId, department);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(key, audience), Context.ConnectionAborted);
    }

    /// <summary>The group of the connections that get a board in one form.</summary>
    public static string GroupName(BoardKey key, BoardAudience audience) => $"board:{key.StoreId}:{key.Department}:{audience}";

    private (BoardKey Key, BoardAudience Audience) Authorize(int storeId, string department)
    {
        if (!BoardAccess.TryParseDepartment(department, out var parsed))
        {
            throw new HubException($"'{department}' is not a department: Sales, Service, Parts or Other.");
        }

        var key = new BoardKey(storeId, parsed);
        var audience = BoardAccess.AudienceFor(Context.User ?? new(), key)
            ?? throw new HubException($"This token may not see the {parsed} board of store {storeId}.");
        return (key, audience);
    }
}

/// <summary>Pushes every board snapshot to the hub's groups, each form to its own (STYLE.md rule 11).</summary>
public sealed class BoardHubPublisher(IBoardNotifier notifier, IHubContext<WallboardHub> hub) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = notifier.Subscribe(async updates =>
        {
            foreach (var update in updates)
            {
                foreach (var audience in (BoardAudience[])[BoardAudience.PublicScreen, BoardAudience.Staff])
                {
                    await hub.Clients.Group(WallboardHub.GroupName(update.Key, audience)).SendAsync(WallboardHub.BoardMessage, update.For(audience));
                }
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
