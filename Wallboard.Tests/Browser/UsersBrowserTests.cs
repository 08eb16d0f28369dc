using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Wallboard.Tests.Auth;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Browser;

/// <summary>The admin's users screen in Chromium: make a manager, who then signs in; disable them; all audited.</summary>
public sealed class UsersBrowserTests(WallboardAppFactory app, ChromiumFixture chromium)
    : IClassFixture<WallboardAppFactory>, IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task An_admin_creates_a_manager_with_a_generated_password_shown_once_who_signs_in_and_is_then_disabled()
    {
        var admin = TestAccounts.DemoOf(app, "Admin");
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        await TestAccounts.SignInAsync(page, admin.Email, admin.Password, returnUrl: "/admin/users");
        await page.Locator("#users-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("#users-table tbody tr")).ToHaveCountAsync(TestAccounts.Demo(app).Count);

        await page.Locator("#users-new").ClickAsync();
        await page.Locator("#users-email").FillAsync("new.manager@lakeside-toyota.example");
        await page.Locator("#users-name").FillAsync("Nora Quinn");
        await page.Locator("#users-form .mud-select").First.ClickAsync(); // the role
        await page.GetByRole(AriaRole.Option, new() { Name = "Manager" }).ClickAsync();
        await page.Locator("#users-stores").GetByText("Lakeside Toyota").ClickAsync();
        await page.Locator("#users-save").ClickAsync();

        await Expect(page.Locator("#users-status")).ToContainTextAsync("Created new.manager@lakeside-toyota.example.");
        var password = (await page.Locator("#users-password-value").TextContentAsync())!.Trim();
        Assert.Matches("^[a-z2-9]{5}(-[a-z2-9]{5}){3}$", password);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumFixture.ScreenshotDirectory, "admin-users.png"), FullPage = true });

        // The new manager signs in with it.
        var nora = await TestAccounts.SignedInAsync(app, "new.manager@lakeside-toyota.example", password);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await nora.GetAsync("callbacks/manage")).StatusCode);

        // Disabled: the open session is turned away at its next request.
        var row = page.Locator("#users-table tr[data-email='new.manager@lakeside-toyota.example']");
        await row.Locator("[data-action='disable']").ClickAsync();
        await Expect(row.Locator("[data-state]")).ToContainTextAsync("Disabled");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await nora.GetAsync("callbacks/manage")).StatusCode);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync();
        var trail = await db.AuditEntries.Where(a => a.EntityType == "User").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["user.created", "user.disabled"], trail.Select(a => a.Action).TakeLast(2));
        Assert.All(trail.TakeLast(2), a => Assert.Equal(admin.Email, a.Actor));
        Assert.Contains("\"disabled\":false", trail[^1].Before!, StringComparison.Ordinal);
        Assert.Contains("\"disabled\":true", trail[^1].After!, StringComparison.Ordinal);
        Assert.All(trail, a => Assert.DoesNotContain(password, (a.Before ?? "") + a.After, StringComparison.Ordinal));
        Assert.All(trail, a => Assert.DoesNotContain("hash", (a.Before ?? "") + a.After, StringComparison.OrdinalIgnoreCase));
    }
}
