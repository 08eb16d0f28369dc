using System.Text.RegularExpressions;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Browser;

public sealed class TvSelfHealingTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task When_the_server_stops_the_tv_says_it_is_reconnecting_and_when_it_is_back_on_the_same_port_the_tv_is_live_again_by_itself()
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-tv-restart-").FullName;
        var port = WallboardAppFactory.FreePort();
        try
        {
            var first = new WallboardAppFactory(folder, port: port);
            await first.InitializeAsync();
            var credentials = new SignedIngestClient(first).Credentials;
            var link = credentials.DisplayLinks!.First(l => l.StoreId == credentials.Stores[0].Id);
            await using var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1920, Height = 1080 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(first.BaseAddress, new Uri(link.Url).PathAndQuery).ToString());
            await TvBrowserTests.WaitUntilLiveAsync(page);
            var banner = page.Locator(".tv-banner");
            await Expect(banner).ToBeHiddenAsync();

            await first.DisposeAsync();

            await Expect(banner).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(banner).ToHaveTextAsync(new Regex(@"Reconnecting — last update \d{1,2}:\d{2}:\d{2} [AP]M"));
            await Expect(page.Locator("#tv-live")).ToBeHiddenAsync();
            await TvBrowserTests.ScreenshotAsync(page, "tv-reconnecting.png");

            await using var second = new WallboardAppFactory(folder, port: port);
            await second.InitializeAsync();

            // Blazor reaches the new server, which no longer knows the circuit: the page reloads itself.
            await TvBrowserTests.WaitUntilLiveAsync(page, timeout: 60_000);
            await Expect(banner).ToBeHiddenAsync();
            await new SignedIngestClient(second).PostEventsAsync(new CallBuilder("after-restart", DateTimeOffset.UtcNow.AddSeconds(-3))
                .Started(from: "+13125550191", to: "+16305550104").Events);
            await Expect(page.Locator("#tile-waiting")).ToContainTextAsync("•••-•••-0191");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
