using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;

namespace Wallboard.Tests.Live;

/// <summary>The hub with the real .NET SignalR client, on the app's real port.</summary>
public sealed class WallboardHubTests(WallboardAppFactory app) : IClassFixture<WallboardAppFactory>
{
    private readonly SignedIngestClient _ingest = new(app);

    private int Lakeside => _ingest.Credentials.Stores[0].Id;

    private int Bayview => _ingest.Credentials.Stores[1].Id;

    private string DisplayTokenOf(int store) => _ingest.Credentials.DisplayLinks!.Single(l => l.StoreId == store).Token;

    private string ManagerOf(int store) => _ingest.Credentials.ApiTokens.Single(t => t.Role == "Manager" && t.StoreId == store).Token;

    [Fact]
    public async Task A_display_gets_the_masked_board_on_subscribe_and_again_after_a_signed_event()
    {
        await using var hub = await HubClient.ConnectAsync(app, DisplayTokenOf(Lakeside));
        await hub.Connection.InvokeAsync("Subscribe", Lakeside, "Sales");

        var first = await hub.NextAsync(_ => true);
        Assert.Equal(Lakeside, first.GetProperty("storeId").GetInt32());
        Assert.Equal("Sales", first.GetProperty("department").GetString());
        Assert.False(first.GetProperty("fullNumbers").GetBoolean());

        var response = await _ingest.PostEventsAsync(new CallBuilder("hub-display-1", DateTimeOffset.UtcNow.AddSeconds(-5))
            .Started(from: "+13125550161", to: "+16305550104").Ringing("101", 1).Events);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var next = await hub.NextAsync(b => Callers(b, "waiting").Contains("•••-•••-0161"));
        Assert.True(next.GetProperty("version").GetInt64() > first.GetProperty("version").GetInt64());
        Assert.DoesNotContain("5550161", next.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manager_gets_the_board_with_full_numbers()
    {
        await using var hub = await HubClient.ConnectAsync(app, ManagerOf(Lakeside));
        await hub.Connection.InvokeAsync("Subscribe", Lakeside, "sales");
        await hub.NextAsync(_ => true);

        await _ingest.PostEventsAsync(new CallBuilder("hub-manager-1", DateTimeOffset.UtcNow.AddSeconds(-5))
            .Started(from: "+13125550162", to: "+16305550104").Events);

        var board = await hub.NextAsync(b => Callers(b, "waiting").Contains("+13125550162"));
        Assert.True(board.GetProperty("fullNumbers").GetBoolean());
    }

    [Fact]
    public async Task A_browser_may_put_the_token_in_the_query_string_of_the_hub_address()
    {
        var url = new Uri(app.BaseAddress, $"hubs/wallboard?access_token={Uri.EscapeDataString(DisplayTokenOf(Bayview))}");
        await using var connection = new HubConnectionBuilder().WithUrl(url, HttpTransportType.WebSockets | HttpTransportType.LongPolling).Build();
        var boards = Channel.CreateUnbounded<JsonElement>();
        connection.On<JsonElement>("board", b => boards.Writer.TryWrite(b));
        await connection.StartAsync();

        await connection.InvokeAsync("Subscribe", Bayview, "Sales");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var board = await boards.Reader.ReadAsync(timeout.Token);
        Assert.Equal(Bayview, board.GetProperty("storeId").GetInt32());
    }

    [Fact]
    public async Task A_wrong_token_is_refused_before_the_connection_opens()
    {
        await using var connection = HubClient.Build(app, "wbd_not-a-real-display-token");

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_display_or_a_manager_may_not_subscribe_to_another_stores_board()
    {
        await using var display = await HubClient.ConnectAsync(app, DisplayTokenOf(Lakeside));
        await using var manager = await HubClient.ConnectAsync(app, ManagerOf(Lakeside));
        var salesperson = _ingest.Credentials.ApiTokens.First(t => t.Role == "Salesperson" && t.StoreId == Lakeside).Token;
        await using var seller = await HubClient.ConnectAsync(app, salesperson);

        await Assert.ThrowsAsync<HubException>(() => display.Connection.InvokeAsync("Subscribe", Bayview, "Sales"));
        await Assert.ThrowsAsync<HubException>(() => display.Connection.InvokeAsync("Subscribe", Lakeside, "Service"));
        await Assert.ThrowsAsync<HubException>(() => manager.Connection.InvokeAsync("Subscribe", Bayview, "Sales"));
        await Assert.ThrowsAsync<HubException>(() => seller.Connection.InvokeAsync("Subscribe", Lakeside, "Sales"));
        await Assert.ThrowsAsync<HubException>(() => manager.Connection.InvokeAsync("Subscribe", Lakeside, "Marketing"));
    }

    internal static List<string> Callers(JsonElement board, string tile) =>
        board.GetProperty(tile).GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("caller").GetString()!).ToList();
}

/// <summary>A SignalR connection to the board hub that keeps every <c>board</c> message it gets.</summary>
internal sealed class HubClient : IAsyncDisposable
{
    private readonly Channel<JsonElement> _boards = Channel.CreateUnbounded<JsonElement>();

    private HubClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<JsonElement>("board", board => _boards.Writer.TryWrite(board));
    }

    public HubConnection Connection { get; }

    public static HubConnection Build(WallboardAppFactory app, string token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/wallboard"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();

    public static async Task<HubClient> ConnectAsync(WallboardAppFactory app, string token)
    {
        var client = new HubClient(Build(app, token));
        await client.Connection.StartAsync();
        return client;
    }

    /// <summary>The first board from now on that satisfies <paramref name="wanted"/>.</summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var board = await _boards.Reader.ReadAsync(timeout.Token);
            if (wanted(board))
            {
                return board;
            }
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
