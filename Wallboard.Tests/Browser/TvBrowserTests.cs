using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Wallboard.Domain.Calls;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Browser;

public sealed partial class TvBrowserTests(WallboardAppFactory app, ChromiumFixture chromium)
    : IClassFixture<WallboardAppFactory>, IClassFixture<ChromiumFixture>
{
    private readonly SignedIngestClient _ingest = new(app);

    [Fact]
    public async Task An_event_posted_through_the_api_shows_on_an_open_tv_without_a_reload_and_no_full_number_reaches_the_browser()
    {
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1920, Height = 1080 } });
        var page = await context.NewPageAsync();
        var frames = RecordWebSocketFrames(page);
        var documents = 0;
        page.Request += (_, request) => documents += request.ResourceType == "document" ? 1 : 0;

        var response = await page.GotoAsync(TvPath(0));
        var source = await response!.TextAsync();
        await WaitUntilLiveAsync(page);

        var now = DateTimeOffset.UtcNow;
        var posted = await _ingest.PostEventsAsync(
        [
            .. Named(new CallBuilder("tv-browser-wait", now.AddSeconds(-12)).Started(from: "+13125550181", to: "+16305550104").Ringing("101", 1)),
            .. Named(new CallBuilder("tv-browser-hold", now.AddSeconds(-90)).Started(from: "(312) 555-0182", to: "+16305550101").Answered("102", 6).HoldStarted(50)),
            .. Named(new CallBuilder("tv-browser-missed", now.AddMinutes(-3)).Started(from: "3125550183", to: "+16305550107").Ended(40)),
        ]);
        Assert.True(posted.IsSuccessStatusCode);

        await Expect(page.Locator("#tile-waiting")).ToContainTextAsync("•••-•••-0181");
        await Expect(page.Locator("#tile-hold")).ToContainTextAsync("•••-•••-0182");
        await Expect(page.Locator("#tile-missed")).ToContainTextAsync("•••-•••-0183");
        // On hold for 40 s: past the 30 s warning, so the tile is amber, and the browser keeps counting.
        await Expect(page.Locator("#tile-hold")).ToHaveClassAsync(new Regex(@"\bis-warn\b"));
        await Expect(page.Locator("#tile-hold .timer-big")).ToHaveTextAsync(new Regex(@"^0:4\d$"));
        Assert.Equal(1, documents);

        var dom = await page.ContentAsync();
        var sent = string.Join("\n", frames.Select(f => Encoding.Latin1.GetString(f)));
        Assert.Contains("0181", sent, StringComparison.Ordinal); // the frames were read: the masked number went by
        foreach (var secret in (string[])["3125550181", "3125550182", "3125550183", "555-0181", "555-0182", "Jane Caller"])
        {
            Assert.DoesNotContain(secret, dom, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, source, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, sent, StringComparison.Ordinal);
        }

        await ScreenshotAsync(page, "tv-1920x1080.png");
        await page.SetViewportSizeAsync(3840, 2160);
        await ScreenshotAsync(page, "tv-3840x2160.png");
    }

    [Fact]
    public async Task The_tv_of_a_revoked_or_wrong_link_says_so_and_shows_no_board()
    {
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString() });
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync($"tv/{_ingest.Credentials.Stores[0].Slug}?token=wbd_not-a-real-token");

        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This display link is not valid" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-board-version]")).ToHaveCountAsync(0);
    }

    internal static IEnumerable<CallEvent> Named(CallBuilder call) => call.Events.Select(e => e with { CallerName = "Jane Caller" });

    internal static async Task WaitUntilLiveAsync(IPage page, float timeout = 30_000)
    {
        await page.Locator("#tv-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = timeout });
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-tv-state", "live", new() { Timeout = timeout });
    }

    internal static ConcurrentQueue<byte[]> RecordWebSocketFrames(IPage page)
    {
        var frames = new ConcurrentQueue<byte[]>();
        page.WebSocket += (_, socket) =>
            socket.FrameReceived += (_, frame) => frames.Enqueue(frame.Binary ?? Encoding.UTF8.GetBytes(frame.Text ?? string.Empty));
        return frames;
    }

    internal static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ChromiumFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumFixture.ScreenshotDirectory, name) });
    }

    private string TvPath(int store) => new Uri(_ingest.Credentials.DisplayLinks!.First(l => l.StoreId == _ingest.Credentials.Stores[store].Id).Url).PathAndQuery.TrimStart('/');
}
