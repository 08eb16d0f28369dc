using System.Globalization;
using Microsoft.Playwright;

namespace Wallboard.Bench.Load;

/// <summary>
/// N showroom TV pages (<c>/tv/{store}?token=…</c>) in headless Debian Chromium driven by
/// Playwright, each a live Blazor circuit. A MutationObserver in each page notes, with the page's
/// <c>Date.now()</c>, the first moment each caller appears in the waiting tile's rows: the time a
/// person in the showroom would see it (short of the paint itself); and counts the boards the page
/// rendered (changes of the board's <c>data-board-version</c>).
/// </summary>
internal sealed class TvScreens : IAsyncDisposable
{
    // Every caller row of the waiting tile, the moment it is in the DOM; a row once seen keeps its first time.
    private const string Observer =
        """
        () => {
          window.__seen = {};
          const scan = () => {
            const now = Date.now();
            for (const el of document.querySelectorAll('#tile-waiting .call-caller')) {
              const text = (el.textContent || '').trim();
              const suffix = text.slice(-4);
              if (!(suffix in window.__seen)) window.__seen[suffix] = now;
            }
          };
          new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true });
          scan();
          window.__boards = 0;
          new MutationObserver(changes => window.__boards += changes.length)
            .observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-board-version'] });
        }
        """;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<IPage> _pages = [];

    private TvScreens(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public int Count => _pages.Count;

    /// <summary>Opens <paramref name="count"/> TV pages on <paramref name="tvUrl"/> and waits until each is live.</summary>
    public static async Task<TvScreens> OpenAsync(Uri tvUrl, int count, CancellationToken ct)
    {
        var playwright = await Playwright.CreateAsync();
        IBrowser browser;
        try
        {
            // Debian's Chromium; Playwright never downloads a browser here (TOOLCHAIN.md).
            browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                ],
            });
        }
        catch
        {
            playwright.Dispose();
            throw;
        }

        var screens = new TvScreens(playwright, browser);
        try
        {
            for (var i = 0; i < count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
                var page = await context.NewPageAsync();
                await page.GotoAsync(tvUrl.ToString());
                // The page is live once its circuit rendered interactively and the board says so.
                await page.Locator("#tv-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });
                await page.WaitForFunctionAsync("() => document.documentElement.getAttribute('data-tv-state') === 'live'", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
                await page.EvaluateAsync(Observer);
                screens._pages.Add(page);
            }
        }
        catch
        {
            await screens.DisposeAsync();
            throw;
        }

        return screens;
    }

    /// <summary>Each page's first sighting of each caller suffix, in Unix milliseconds of the page's clock.</summary>
    public async Task<List<Dictionary<string, long>>> SeenAsync()
    {
        var all = new List<Dictionary<string, long>>();
        foreach (var page in _pages)
        {
            // As "suffix time" lines: plain strings cross Playwright's serializer unchanged.
            var seen = await page.EvaluateAsync<string[]>("() => Object.entries(window.__seen).map(([suffix, at]) => suffix + ' ' + at)");
            all.Add(seen.Select(line => line.Split(' ')).ToDictionary(
                parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture), StringComparer.Ordinal));
        }

        return all;
    }

    /// <summary>Boards rendered so far, summed over the pages.</summary>
    public async Task<long> BoardsAsync()
    {
        long boards = 0;
        foreach (var page in _pages)
        {
            boards += await page.EvaluateAsync<long>("() => window.__boards");
        }

        return boards;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
