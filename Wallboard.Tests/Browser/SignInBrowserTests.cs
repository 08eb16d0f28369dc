using System.Collections.Concurrent;
using Microsoft.Playwright;
using Wallboard.Tests.Auth;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Browser;

/// <summary>
/// A person signs in as each demo role in Chromium, sees what the role may use and nothing more,
/// is turned away from the rest, and signs out. Every page is watched for Content-Security-Policy
/// violations (the browser reports each one as a <c>securitypolicyviolation</c> event and a console error).
/// </summary>
public sealed class SignInBrowserTests(WallboardAppFactory app, ChromiumFixture chromium)
    : IClassFixture<WallboardAppFactory>, IClassFixture<ChromiumFixture>
{
    private readonly SignedIngestClient _ingest = new(app);

    private int Lakeside => _ingest.Credentials.Stores[0].Id;

    private int Bayview => _ingest.Credentials.Stores[1].Id;

    private static string Shot(string name)
    {
        Directory.CreateDirectory(ChromiumFixture.ScreenshotDirectory);
        return Path.Combine(ChromiumFixture.ScreenshotDirectory, name);
    }

    private async Task<(IBrowserContext Context, IPage Page, ConcurrentQueue<string> Violations)> OpenAsync()
    {
        var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1366, Height = 900 } });
        var violations = new ConcurrentQueue<string>();
        // Recorded in the page as they happen, and read back before each check.
        await context.AddInitScriptAsync("""
            window.__csp = [];
            document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
            """);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Enqueue(message.Text);
            }
        };
        return (context, page, violations);
    }

    private static async Task AssertNoCspViolationAsync(IPage page, ConcurrentQueue<string> console)
    {
        var reported = await page.EvaluateAsync<string[]>("window.__csp || []");
        Assert.Empty(reported);
        Assert.Empty(console);
    }

    private static async Task<string[]> NavAsync(IPage page) =>
        (await page.Locator(".mud-navmenu a").AllTextContentsAsync()).Select(t => t.Trim()).ToArray();

    [Fact]
    public async Task A_salesperson_signs_in_on_the_way_to_call_backs_sees_only_call_backs_and_signs_out()
    {
        var (context, page, csp) = await OpenAsync();
        await using var _ = context;
        var mike = TestAccounts.DemoOf(app, "Salesperson", Lakeside);

        // Not signed in: the page sends the browser to sign in, and back after.
        await page.GotoAsync("callbacks");
        Assert.Contains("/account/sign-in?returnUrl=%2Fcallbacks", page.Url, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Shot("sign-in.png") });
        await AssertNoCspViolationAsync(page, csp);

        await page.Locator("#sign-in-email").FillAsync(mike.Email);
        await page.Locator("#sign-in-password").FillAsync(mike.Password);
        await page.Locator("#sign-in-submit").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/callbacks", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await page.Locator("#callbacks-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await Expect(page.Locator(".wb-cb-who")).ToContainTextAsync(mike.Name);
        await Expect(page.Locator("#signed-in-as")).ToContainTextAsync(mike.Name);
        Assert.Equal(["Home", "Call-backs", "Your account"], await NavAsync(page));
        await page.ScreenshotAsync(new() { Path = Shot("signed-in-salesperson.png"), FullPage = true });
        await AssertNoCspViolationAsync(page, csp);

        // The manager's screens are not for a salesperson: a clear "not allowed".
        var manager = await page.GotoAsync($"manager/live/{Lakeside}");
        Assert.Equal(403, manager!.Status);
        await Expect(page.Locator("#not-allowed")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("not-allowed-salesperson.png") });

        // Signing out from the menu ends the session: the queue asks for sign-in again.
        await page.GotoAsync("callbacks");
        await page.Locator("#callbacks-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("#nav-sign-out-submit").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/account/sign-in?signedOut=true", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator("#sign-in-signed-out")).ToHaveTextAsync("You are signed out.");
        await page.GotoAsync("callbacks");
        Assert.Contains("/account/sign-in", page.Url, StringComparison.Ordinal);
        await AssertNoCspViolationAsync(page, csp);
    }

    [Fact]
    public async Task A_manager_sees_the_live_board_and_call_backs_of_their_store_and_not_the_other_store()
    {
        var (context, page, csp) = await OpenAsync();
        await using var _ = context;
        var linda = TestAccounts.DemoOf(app, "Manager", Lakeside);

        await TestAccounts.SignInAsync(page, linda.Email, linda.Password, returnUrl: $"/manager/live/{Lakeside}");
        await page.Locator("#manager-live-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Equal(["Home", "Manager", "Call-backs", "Manage call-backs", "Your account"], await NavAsync(page));
        await page.ScreenshotAsync(new() { Path = Shot("signed-in-manager-live.png"), FullPage = true });
        await AssertNoCspViolationAsync(page, csp);

        await page.GotoAsync("callbacks/manage");
        await page.Locator("#manage-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator(".wb-mg-who")).ToContainTextAsync("Lakeside Toyota");
        await page.ScreenshotAsync(new() { Path = Shot("signed-in-manager-callbacks.png"), FullPage = true });
        await AssertNoCspViolationAsync(page, csp);

        var other = await page.GotoAsync($"manager/live/{Bayview}");
        Assert.Equal(403, other!.Status);
        await Expect(page.Locator("#not-allowed")).ToBeVisibleAsync();
        var admin = await page.GotoAsync("admin/users");
        Assert.Equal(403, admin!.Status);
        await Expect(page.Locator("#not-allowed")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_admin_sees_every_store_and_the_admin_screens()
    {
        var (context, page, csp) = await OpenAsync();
        await using var _ = context;
        var admin = TestAccounts.DemoOf(app, "Admin");

        await TestAccounts.SignInAsync(page, admin.Email, admin.Password);
        await page.Locator("#home-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator(".wb-store-card")).ToHaveCountAsync(2);
        Assert.Equal(["Home", "Manager", "Call-backs", "Manage call-backs", "Your account", "Admin", "Users", "Caller privacy"], await NavAsync(page));
        await page.ScreenshotAsync(new() { Path = Shot("signed-in-admin-home.png"), FullPage = true });

        await page.GotoAsync($"manager/live/{Bayview}");
        await page.Locator("#manager-live-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await AssertNoCspViolationAsync(page, csp);
    }

    [Fact]
    public async Task The_tv_runs_live_under_the_content_security_policy()
    {
        var (context, page, csp) = await OpenAsync();
        await using var _ = context;

        var response = await page.GotoAsync(new Uri(_ingest.Credentials.DisplayLinks!.First(l => l.StoreId == _ingest.Credentials.Stores[0].Id).Url).PathAndQuery.TrimStart('/'));
        await TvBrowserTests.WaitUntilLiveAsync(page);

        Assert.Equal(Web.Hosting.SecurityHeadersExtensions.ContentSecurityPolicy, await response!.HeaderValueAsync("content-security-policy"));
        await AssertNoCspViolationAsync(page, csp);
    }

    [Fact]
    public async Task A_wrong_password_says_so_and_keeps_the_person_on_the_sign_in_page()
    {
        var (context, page, csp) = await OpenAsync();
        await using var _ = context;
        var mike = TestAccounts.DemoOf(app, "Salesperson", Bayview);

        await page.GotoAsync("account/sign-in");
        await page.Locator("#sign-in-email").FillAsync(mike.Email);
        await page.Locator("#sign-in-password").FillAsync("not the password at all");
        await page.Locator("#sign-in-submit").ClickAsync();

        await Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("Wrong e-mail or password.");
        Assert.Contains("/account/sign-in", page.Url, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Shot("sign-in-wrong-password.png") });
        await AssertNoCspViolationAsync(page, csp);
    }
}
