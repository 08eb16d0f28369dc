using System.Text.Json;
using Microsoft.Playwright;
using Wallboard.Tests.Auth;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Auth;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Browser;

/// <summary>The app bar on a phone (390×844): the person's name, shortened to fit; nothing runs off screen.</summary>
public sealed class PhoneAppBarBrowserTests(WallboardAppFactory app, ChromiumFixture chromium)
    : IClassFixture<WallboardAppFactory>, IClassFixture<ChromiumFixture>
{
    private sealed record Measured(double PageWidth, double ViewportWidth, double BarScroll, double BarClient, double SignOutRight, int SignOutLines, string Shown, string TextOverflow, double NameScroll, double NameClient);

    [Theory]
    [InlineData(null)]
    [InlineData("Dana Whitfield-Montgomery de la Fuente")]
    public async Task The_app_bar_fits_a_phone_and_shows_the_persons_name(string? displayName)
    {
        var email = $"dana.{Guid.NewGuid():N}{Guid.NewGuid():N}@lakeside-toyota-of-naperville.example";
        var stores = TestAccounts.Demo(app).First(a => a.Role == "Manager" && a.Stores.Count == 1).Stores.ToArray();
        var accounts = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<AccountService>(app.Services);
        var made = await accounts.CreateAsync(new AccountInput(email, displayName, WallboardRole.Manager, stores, null), TestAccounts.Password, "tests", CancellationToken.None);
        Assert.True(made.Succeeded, string.Join(" ", made.Errors));

        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        var page = await context.NewPageAsync();
        await TestAccounts.SignInAsync(page, email, returnUrl: "/");
        await Expect(page.Locator("#signed-in-as")).ToBeVisibleAsync();

        var measured = (await page.EvaluateAsync<JsonElement>("""
            () => {
              const bar = document.querySelector('.wb-appbar .mud-toolbar') ?? document.querySelector('.wb-appbar');
              const name = document.querySelector('#signed-in-as .wb-signed-in-name');
              return {
                pageWidth: document.documentElement.scrollWidth, viewportWidth: innerWidth,
                barScroll: bar.scrollWidth, barClient: bar.clientWidth,
                signOutRight: document.querySelector('#nav-sign-out-submit').getBoundingClientRect().right,
                signOutLines: (() => {
                  const w = document.createTreeWalker(document.querySelector('#nav-sign-out-submit'), NodeFilter.SHOW_TEXT);
                  const tops = new Set();
                  for (let n = w.nextNode(); n; n = w.nextNode()) {
                    if (!n.textContent.trim()) continue;
                    const r = document.createRange(); r.selectNodeContents(n);
                    [...r.getClientRects()].forEach(c => tops.add(Math.round(c.top)));
                  }
                  return tops.size;
                })(),
                shown: name.textContent.trim(), textOverflow: getComputedStyle(name).textOverflow,
                nameScroll: name.scrollWidth, nameClient: name.clientWidth,
              };
            }
            """)).Deserialize<Measured>(JsonSerializerOptions.Web)!;
        Directory.CreateDirectory(ChromiumFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumFixture.ScreenshotDirectory, $"phone-app-bar-{(displayName is null ? "no-name" : "long-name")}.png") });

        Assert.True(measured.PageWidth <= measured.ViewportWidth, $"the page is {measured.PageWidth}px wide on a {measured.ViewportWidth}px screen");
        Assert.True(measured.BarScroll <= measured.BarClient, $"the app bar overflows ({measured.BarScroll} > {measured.BarClient})");
        Assert.True(measured.SignOutRight <= measured.ViewportWidth, "sign out is off screen");
        Assert.Equal(1, measured.SignOutLines); // "Sign out" on one line
        Assert.Equal(displayName ?? email[..email.IndexOf('@', StringComparison.Ordinal)], measured.Shown);
        Assert.DoesNotContain("@", measured.Shown, StringComparison.Ordinal);
        Assert.Equal("ellipsis", measured.TextOverflow); // a name longer than the room ends in "…"
        Assert.True(measured.NameScroll > measured.NameClient, "the long name was expected to be shortened on a phone");
    }
}
