using Microsoft.Playwright;
using Wallboard.Tests.Auth;
using Wallboard.Tests.Hosting;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Browser;

public sealed class HomePageBrowserTests(WallboardAppFactory app, ChromiumFixture chromium)
    : IClassFixture<WallboardAppFactory>, IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Home_page_goes_live_with_the_app_bar_and_navigation_visible()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        var failures = RecordFailedResponses(page);
        var admin = TestAccounts.DemoOf(app, "Admin");

        // Signed out, the home page offers sign-in only; the admin sees the stores and every menu entry.
        await TestAccounts.SignInAsync(page, admin.Email, admin.Password, returnUrl: "/");
        await page.Locator("#home-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await Expect(page.Locator(".mud-appbar #app-title")).ToHaveTextAsync("Wallboard");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Wallboard", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Stores" })).ToBeVisibleAsync();
        foreach (var (name, href) in new[] { ("Home", ""), ("Manager", "manager"), ("Call-backs", "callbacks"), ("Admin", "admin"), ("Users", "admin/users") })
        {
            var link = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });
            await Expect(link).ToBeVisibleAsync();
            await Expect(link).ToHaveAttributeAsync("href", href);
        }

        Directory.CreateDirectory(ChromiumFixture.ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumFixture.ScreenshotDirectory, "home.png"), FullPage = true });
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Clicking_manager_in_the_menu_opens_its_page_without_a_reload()
    {
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        var admin = TestAccounts.DemoOf(app, "Admin");
        await TestAccounts.SignInAsync(page, admin.Email, admin.Password, returnUrl: "/");
        await page.Locator("#home-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var documentRequests = 0;
        page.Request += (_, request) => documentRequests += request.ResourceType == "document" ? 1 : 0;

        await page.GetByRole(AriaRole.Link, new() { Name = "Manager", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("Today against yesterday and the 7-day average")).ToBeVisibleAsync();
        Assert.EndsWith("/manager", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, documentRequests);
    }

    private Task<IBrowserContext> NewContextAsync() =>
        chromium.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new() { Width = 1366, Height = 800 },
        });

    private static List<string> RecordFailedResponses(IPage page)
    {
        var failures = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                failures.Add($"{response.Status} {response.Url}");
            }
        };
        page.RequestFailed += (_, request) => failures.Add($"failed {request.Url}: {request.Failure}");
        return failures;
    }
}
