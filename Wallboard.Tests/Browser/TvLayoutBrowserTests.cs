using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Domain.Metrics;
using Wallboard.Web.Admin;
using Wallboard.Web.Metrics;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Browser;

/// <summary>
/// The TV at 1920×1080 and 3840×2160 with a whole sales floor (12 salespeople with long names) on
/// the leaderboard, measured in Chromium: no name cut, no header on two lines, nothing overflowing.
/// </summary>
public sealed class TvLayoutBrowserTests(WallboardAppFactory app, ChromiumFixture chromium)
    : IClassFixture<WallboardAppFactory>, IClassFixture<ChromiumFixture>
{
    // With the store's six, twelve: the long names the issue saw cut ("Ryan …", "Ahme…", "Carlo…").
    private static readonly string[] NewPeople =
    [
        "Ryan Kowalczyk-Brennan", "Ahmed Al-Rashidi", "Carlos Villanueva Ortega", "Maximilian Oberhauser",
        "Guadalupe Hernández", "Christopher Montgomery", "Jennifer Nakamura-Scott",
    ];

    private sealed record Measured(
        string[] Names, bool[] NameFits, bool[] RowVisible, int[] HeaderLines, bool TilesFit, bool BoardFits, string[] TextOverflow);

    [Theory]
    [InlineData(1920, 1080)]
    [InlineData(3840, 2160)]
    public async Task Twelve_salespeople_fit_the_leaderboard_with_names_and_headers_whole(int width, int height)
    {
        var ingest = new SignedIngestClient(app);
        var store = ingest.Credentials.Stores[0];
        var people = app.Services.GetRequiredService<SalespeopleAdminService>();
        var existing = await people.ListAsync(store.Id, CancellationToken.None);
        foreach (var name in NewPeople.Where(n => existing.All(p => p.Name != n)))
        {
            Assert.True((await people.CreateAsync("tests", store.Id, name, SalespersonRole.Salesperson, CancellationToken.None)).Succeeded);
        }

        var all = (await people.ListAsync(store.Id, CancellationToken.None)).Where(p => p.IsActive && p.Role == SalespersonRole.Salesperson).ToList();
        Assert.True(all.Count >= 12, $"{all.Count} salespeople");
        // The minute job's work, now: the leaderboard reads today's metrics snapshot.
        await app.Services.GetRequiredService<MetricsReports>().ComputeAsync([MetricsWindow.Today], null, CancellationToken.None);

        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(ingest.Credentials.DisplayLinks!.First(l => l.StoreId == store.Id).Url).PathAndQuery.TrimStart('/'));
        await TvBrowserTests.WaitUntilLiveAsync(page);
        await Expect(page.Locator("#tile-leaderboard tbody tr")).ToHaveCountAsync(12);

        var json = await page.EvaluateAsync<JsonElement>("""
            () => {
              const tile = document.querySelector('#tile-leaderboard');
              const box = tile.getBoundingClientRect();
              const cells = [...tile.querySelectorAll('tbody td.name')];
              const lines = el => { const r = document.createRange(); r.selectNodeContents(el); return new Set([...r.getClientRects()].map(c => Math.round(c.top))).size; };
              const fits = el => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 1;
              const board = document.querySelector('.tv');
              return {
                names: cells.map(c => c.textContent.trim()),
                nameFits: cells.map(c => { const r = document.createRange(); r.selectNodeContents(c); const t = r.getBoundingClientRect(); const b = c.getBoundingClientRect(); return c.scrollWidth <= c.clientWidth && t.right <= b.right + 0.5 && t.left >= b.left - 0.5; }),
                rowVisible: [...tile.querySelectorAll('tbody tr')].map(r => { const b = r.getBoundingClientRect(); return b.top >= box.top && b.bottom <= box.bottom; }),
                headerLines: [...tile.querySelectorAll('thead th')].filter(th => th.textContent.trim()).map(lines),
                tilesFit: [...document.querySelectorAll('.tile')].every(t => t.scrollWidth <= t.clientWidth),
                boardFits: fits(board) && document.documentElement.scrollWidth <= innerWidth && document.documentElement.scrollHeight <= innerHeight,
                textOverflow: cells.map(c => getComputedStyle(c).textOverflow),
              };
            }
            """);
        var measured = json.Deserialize<Measured>(JsonSerializerOptions.Web)!;
        await TvBrowserTests.ScreenshotAsync(page, $"tv-leaderboard-{width}x{height}.png");

        Assert.Equal(12, measured.Names.Length);
        Assert.All(measured.NameFits, Assert.True);
        Assert.All(measured.RowVisible, Assert.True);
        Assert.All(measured.TextOverflow, o => Assert.NotEqual("ellipsis", o));
        Assert.Equal([1, 1, 1, 1], measured.HeaderLines); // ANSWERED, MISSED, CALL-BACKS, SPEED: one line each
        Assert.True(measured.TilesFit, "a tile's content is wider than the tile");
        Assert.True(measured.BoardFits, "the board overflows the screen");
        foreach (var person in all)
        {
            var parts = person.Name.Split(' ');
            Assert.Contains(measured.Names, n => n.StartsWith(parts[0], StringComparison.Ordinal) && n.Contains(parts[^1][0] + ".", StringComparison.Ordinal) || n == person.Name);
        }
    }
}
