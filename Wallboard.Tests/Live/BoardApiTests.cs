using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Tests.Auth;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;
using Wallboard.Web.Live;

namespace Wallboard.Tests.Live;

/// <summary><c>GET /api/v1/stores/{id}/board</c>, the TV page and the manager's live view, over real HTTP.</summary>
public sealed class BoardApiTests(WallboardAppFactory app) : IClassFixture<WallboardAppFactory>
{
    private readonly SignedIngestClient _ingest = new(app);

    private int Lakeside => _ingest.Credentials.Stores[0].Id;

    private int Bayview => _ingest.Credentials.Stores[1].Id;

    private string DisplayTokenOf(int store) => _ingest.Credentials.DisplayLinks!.Single(l => l.StoreId == store).Token;

    private string ManagerOf(int store) => _ingest.Credentials.ApiTokens.Single(t => t.Role == "Manager" && t.StoreId == store).Token;

    private HttpClient As(string? token)
    {
        var http = app.CreateHttpClient();
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    [Fact]
    public async Task A_display_token_reads_its_board_masked_and_a_manager_reads_it_in_full()
    {
        await _ingest.PostEventsAsync(new CallBuilder("api-board-1", DateTimeOffset.UtcNow.AddSeconds(-20))
            .Started(from: "+13125550171", to: "+16305550104").Ringing("101", 1).Events);
        await app.WaitForBoardAsync(new BoardKey(Lakeside, Department.Sales), b => b.Waiting.Calls.Any(c => c.Caller == "+13125550171"));

        var masked = await As(DisplayTokenOf(Lakeside)).GetFromJsonAsync<JsonElement>($"api/v1/stores/{Lakeside}/board?department=Sales");
        var full = await As(ManagerOf(Lakeside)).GetFromJsonAsync<JsonElement>($"api/v1/stores/{Lakeside}/board");

        Assert.False(masked.GetProperty("fullNumbers").GetBoolean());
        Assert.Contains("•••-•••-0171", WallboardHubTests.Callers(masked, "waiting"));
        Assert.DoesNotContain("5550171", masked.GetRawText(), StringComparison.Ordinal);
        Assert.True(full.GetProperty("fullNumbers").GetBoolean());
        Assert.Contains("+13125550171", WallboardHubTests.Callers(full, "waiting"));
        foreach (var part in (string[])["waiting", "onHold", "missed", "overdueCallbacks", "answerRate", "speedToCallback", "leaderboard", "sources", "ticker"])
        {
            Assert.True(masked.TryGetProperty(part, out _), $"The board has no '{part}'.");
        }
    }

    [Fact]
    public async Task Reading_a_board_needs_a_token_that_may_see_it()
    {
        var salesperson = _ingest.Credentials.ApiTokens.First(t => t.Role == "Salesperson" && t.StoreId == Lakeside).Token;

        Assert.Equal(HttpStatusCode.Unauthorized, (await As(null).GetAsync($"api/v1/stores/{Lakeside}/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await As("wbd_made-up").GetAsync($"api/v1/stores/{Lakeside}/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await As(DisplayTokenOf(Bayview)).GetAsync($"api/v1/stores/{Lakeside}/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await As(DisplayTokenOf(Lakeside)).GetAsync($"api/v1/stores/{Lakeside}/board?department=Service")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await As(ManagerOf(Bayview)).GetAsync($"api/v1/stores/{Lakeside}/board")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await As(salesperson).GetAsync($"api/v1/stores/{Lakeside}/board")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await As(ManagerOf(Lakeside)).GetAsync($"api/v1/stores/{Lakeside}/board?department=Marketing")).StatusCode);
        // A display token is not an API token: it reads no calls.
        Assert.Equal(HttpStatusCode.Forbidden, (await As(DisplayTokenOf(Lakeside)).GetAsync($"api/v1/calls?store={Lakeside}")).StatusCode);
    }

    [Fact]
    public async Task The_tv_page_of_a_valid_link_is_prerendered_with_masked_numbers_only()
    {
        await _ingest.PostEventsAsync(new CallBuilder("tv-page-1", DateTimeOffset.UtcNow.AddSeconds(-20))
            .Started(from: "+13125550172", to: "+16305550104").Events.Select(e => e with { CallerName = "Jane Caller" }));
        await app.WaitForBoardAsync(new BoardKey(Lakeside, Department.Sales), b => b.Waiting.Calls.Any(c => c.Caller == "+13125550172"));
        var link = _ingest.Credentials.DisplayLinks!.Single(l => l.StoreId == Lakeside);

        var response = await As(null).GetAsync(new Uri(link.Url).PathAndQuery);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Waiting now", html, StringComparison.Ordinal);
        Assert.Contains("0172", html, StringComparison.Ordinal);
        Assert.DoesNotContain("5550172", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Jane Caller", html, StringComparison.Ordinal);
        Assert.DoesNotContain("This display link is not valid", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_or_revoked_display_link_gets_a_clear_page_and_no_board()
    {
        var lakeside = _ingest.Credentials.Stores[0].Slug;
        var bayviewLink = _ingest.Credentials.DisplayLinks!.Single(l => l.StoreId == Bayview);

        await AssertNotValidAsync($"tv/{lakeside}?token=wbd_made-up", HttpStatusCode.Forbidden);
        await AssertNotValidAsync($"tv/{lakeside}", HttpStatusCode.Forbidden);
        await AssertNotValidAsync($"tv/{lakeside}?token={Uri.EscapeDataString(bayviewLink.Token)}", HttpStatusCode.Forbidden);
        await AssertNotValidAsync($"tv/{lakeside}?token={Uri.EscapeDataString(ManagerOf(Lakeside))}", HttpStatusCode.Forbidden);
        await AssertNotValidAsync($"tv/no-such-store?token={Uri.EscapeDataString(bayviewLink.Token)}", HttpStatusCode.Forbidden);

        // Revoked: the same link that worked a moment ago.
        Assert.Equal(HttpStatusCode.OK, (await As(null).GetAsync(new Uri(bayviewLink.Url).PathAndQuery)).StatusCode);
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.DisplayLinks.Where(l => l.StoreId == Bayview).ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, DateTimeOffset.UtcNow));
        }

        await AssertNotValidAsync(new Uri(bayviewLink.Url).PathAndQuery.TrimStart('/'), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await As(bayviewLink.Token).GetAsync($"api/v1/stores/{Bayview}/board")).StatusCode);
    }

    [Fact]
    public async Task The_managers_live_view_shows_full_numbers_to_a_signed_in_manager_of_the_store_only()
    {
        await _ingest.PostEventsAsync(new CallBuilder("manager-page-1", DateTimeOffset.UtcNow.AddMinutes(-2))
            .Started(from: "+13125550173", to: "+16305550104").Ended(30).Events);
        await app.WaitForBoardAsync(new BoardKey(Lakeside, Department.Sales), b => b.Missed.Calls.Any(c => c.Caller == "+13125550173"));
        var manager = TestAccounts.DemoOf(app, "Manager", Lakeside);
        var signedIn = await TestAccounts.SignedInAsync(app, manager.Email, manager.Password);

        var page = await signedIn.GetAsync($"manager/live/{Lakeside}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("3125550173", html, StringComparison.Ordinal);
        Assert.Contains("href=\"manager/calls/", html, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", html, StringComparison.Ordinal);

        // Another store's board: a clear "not allowed", 403.
        var other = await signedIn.GetAsync($"manager/live/{Bayview}");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("may not see the live board", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Nobody signed in: to the sign-in page, coming back here after; a token in the address counts for nothing.
        var anonymous = await TestAccounts.Client(app).GetAsync($"manager/live/{Lakeside}?token={Uri.EscapeDataString(ManagerOf(Lakeside))}");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/account/sign-in?returnUrl=%2Fmanager%2Flive%2F", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_calls_detail_link_from_the_live_view_opens_with_the_sign_in_cookie_and_no_longer_with_a_query_token()
    {
        var board = await As(ManagerOf(Lakeside)).GetFromJsonAsync<JsonElement>($"api/v1/stores/{Lakeside}/board");
        await _ingest.PostEventsAsync(new CallBuilder("detail-link-1", DateTimeOffset.UtcNow.AddMinutes(-1)).Started(from: "+13125550174", to: "+16305550104").Ended(20).Events);
        var calls = await As(ManagerOf(Lakeside)).GetFromJsonAsync<JsonElement>($"api/v1/calls?store={Lakeside}");
        var id = calls.GetProperty("items")[0].GetProperty("id").GetInt64();
        var manager = TestAccounts.DemoOf(app, "Manager", Lakeside);
        var signedIn = await TestAccounts.SignedInAsync(app, manager.Email, manager.Password);

        var viaCookie = await signedIn.GetAsync($"api/v1/calls/{id}");
        var viaQuery = await As(null).GetAsync($"api/v1/calls/{id}?access_token={Uri.EscapeDataString(ManagerOf(Lakeside))}");

        Assert.True(board.GetProperty("fullNumbers").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, viaCookie.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, viaQuery.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await As(null).GetAsync($"api/v1/stores?access_token={Uri.EscapeDataString(ManagerOf(Lakeside))}")).StatusCode);
    }

    private async Task AssertNotValidAsync(string path, HttpStatusCode expected)
    {
        var response = await As(null).GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("This display link is not valid", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Waiting now", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-board-version", html, StringComparison.Ordinal);
    }
}
