using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Wallboard.Domain.Alerts;
using Wallboard.Tests.Alerts;
using Wallboard.Tests.Auth;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Browser;

/// <summary>
/// The alert screens in Chromium against the real app sending through smtp4dev: the store's Alerts
/// tab (checked, saved, audited), the delivery log, and a manager choosing channels on their account page.
/// </summary>
[Collection(Smtp4devGroup.Name)]
public sealed class AlertsBrowserTests(Smtp4dev smtp) : IClassFixture<ChromiumFixture>
{
    private sealed class AlertsApp(IDictionary<string, string?> settings) : WallboardAppFactory
    {
        protected override IDictionary<string, string?> Settings => settings;
    }

    private static string Shot(string name)
    {
        Directory.CreateDirectory(ChromiumFixture.ScreenshotDirectory);
        return Path.Combine(ChromiumFixture.ScreenshotDirectory, name);
    }

    [Fact]
    public async Task Admin_sets_a_stores_alert_thresholds_and_a_manager_chooses_texts_for_escalations()
    {
        await using var app = new AlertsApp(smtp.Settings);
        await ((IAsyncLifetime)app).InitializeAsync();
        await using var chromium = new ChromiumFixture();
        await ((IAsyncLifetime)chromium).InitializeAsync();
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        var admin = TestAccounts.DemoOf(app, "Admin");
        var lakeside = TestAccounts.DemoOf(app, "Manager", store: 1);
        var storeId = lakeside.Stores.Single();

        await TestAccounts.SignInAsync(page, admin.Email, admin.Password, returnUrl: $"/admin/stores/{storeId}");
        await page.Locator("#admin-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByRole(AriaRole.Tab, new() { Name = "Alerts" }).ClickAsync();
        await Expect(page.Locator("#alerts-channels")).ToContainTextAsync("e-mail");
        await page.Locator("#alerts-per-hour").FillAsync("6");
        await page.Locator("#alerts-silent-minutes").FillAsync("45");
        await page.Locator("#save-alerts").ClickAsync();
        await Expect(page.Locator("#alerts-saved")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("admin-store-alerts.png"), FullPage = true });

        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var settings = await db.StoreAlertSettings.SingleAsync(s => s.StoreId == storeId);
            Assert.Equal((6, 45, true), (settings.CallerWaitingPerHour, settings.IntegrationSilentMinutes, settings.Enabled));
            var audit = await db.AuditEntries.SingleAsync(a => a.Action == "store.alerts-updated");
            Assert.Equal(admin.Email, audit.Actor);
            Assert.Contains("\"callerWaitingPerHour\":4", audit.Before, StringComparison.Ordinal);
            Assert.Contains("\"callerWaitingPerHour\":6", audit.After, StringComparison.Ordinal);
        }

        await page.GotoAsync("/admin/alerts");
        await Expect(page.Locator("#deliveries-table")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("admin-alert-deliveries.png"), FullPage = true });

        await using var managerContext = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var manager = await managerContext.NewPageAsync();
        await TestAccounts.SignInAsync(manager, lakeside.Email, lakeside.Password, returnUrl: "/account");
        await manager.Locator("#account-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await manager.GetByRole(AriaRole.Checkbox, new() { Name = "Call-back escalated by text" }).CheckAsync();
        await manager.Locator("#save-account-alerts").ClickAsync();
        await Expect(manager.Locator("#account-error")).ToContainTextAsync("Give a mobile number to get texts.");
        await manager.Locator("#account-mobile").FillAsync("(312) 555-0199");
        await manager.Locator("#save-account-alerts").ClickAsync();
        await Expect(manager.Locator("#account-saved")).ToBeVisibleAsync();
        await manager.ScreenshotAsync(new() { Path = Shot("account-alerts.png"), FullPage = true });

        await using (var db = await factory.CreateDbContextAsync())
        {
            var user = await db.Users.SingleAsync(u => u.Email == lakeside.Email);
            Assert.Equal("+13125550199", (await db.AlertProfiles.SingleAsync(p => p.UserId == user.Id)).MobileE164);
            var choice = await db.AlertPreferences.SingleAsync(p => p.UserId == user.Id && p.Kind == AlertKind.CallbackEscalated);
            Assert.True(choice.Sms);
            Assert.True(choice.Email);
        }
    }
}
