using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Auth;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Browser;

/// <summary>The admin screens on a laptop (1440×900) in Chromium, against the real app, signed in as the demo admin.</summary>
public sealed class AdminBrowserTests(WallboardAppFactory app, ChromiumFixture chromium)
    : IClassFixture<WallboardAppFactory>, IClassFixture<ChromiumFixture>
{
    private Task<IBrowserContext> LaptopAsync() =>
        chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1440, Height = 900 } });

    private static string Shot(string name)
    {
        Directory.CreateDirectory(ChromiumFixture.ScreenshotDirectory);
        return Path.Combine(ChromiumFixture.ScreenshotDirectory, name);
    }

    // The store a TV address shows, by its slug.
    private int StoreOfLink(string address)
    {
        var slug = new Uri(new Uri("http://x"), address).AbsolutePath.Split('/')[^1];
        using var db = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContext();
        return db.Stores.AsNoTracking().Single(s => s.Slug == slug).Id;
    }

    private static ILocator FieldOf(IPage page, string inputId) =>
        page.Locator(".mud-input-control").Filter(new() { Has = page.Locator($"#{inputId}") });

    [Fact]
    public async Task Admin_creates_a_store_with_hours_and_a_tracking_number_from_the_screens()
    {
        var admin = TestAccounts.DemoOf(app, "Admin");
        await using var context = await LaptopAsync();
        var page = await context.NewPageAsync();
        await TestAccounts.SignInAsync(page, admin.Email, admin.Password, returnUrl: "/admin");

        await Expect(page.Locator("#admin-index")).ToContainTextAsync("Display links");
        await page.ScreenshotAsync(new() { Path = Shot("admin-index.png") });
        await page.Locator("#admin-index .mud-list-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^\\s*Stores") }).ClickAsync();
        await Expect(page.Locator("#stores-table")).ToContainTextAsync("Lakeside Toyota");
        await page.Locator("#new-store").ClickAsync();
        await page.Locator("#admin-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        // Leaving the name suggests the slug; typing into the slug while the suggestion arrives
        // would mix the two, so wait for it (a person sees it appear before they type).
        await page.Locator("#store-name").FillAsync("Harbor Honda");
        await page.Locator("#store-name").PressAsync("Tab");
        await Expect(page.Locator("#store-slug")).ToHaveValueAsync("harbor-honda");
        await page.Locator("#store-city").FillAsync("San Diego");
        await page.Locator("#store-zone").FillAsync("America/Los_Angeles");
        await page.Locator("#store-zone").PressAsync("Tab");
        await page.Locator("#setting-HoldLimitSeconds").FillAsync("5");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Hours" }).ClickAsync();
        await page.Locator("#add-weekdays").ClickAsync();
        await Expect(page.Locator("#hours-table tr[data-hours-row]")).ToHaveCountAsync(6);

        // A threshold out of range is refused, and the message sits next to its field.
        await page.Locator("#save-store").ClickAsync();
        await Expect(page.Locator("#store-errors")).ToContainTextAsync("Hold limit (red) must be between 10 and 1800 seconds.");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Details" }).ClickAsync();
        await Expect(FieldOf(page, "setting-HoldLimitSeconds")).ToContainTextAsync("must be between 10 and 1800 seconds");
        await page.ScreenshotAsync(new() { Path = Shot("admin-store-invalid.png"), FullPage = true });

        await page.Locator("#setting-HoldLimitSeconds").FillAsync("90");
        await page.Locator("#save-store").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("created=1", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator("#store-saved")).ToContainTextAsync("Store created");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Lead sources" }).ClickAsync();
        await page.Locator("#new-source-name").FillAsync("Billboard I-5");
        await page.Locator("#add-source").ClickAsync();
        await Expect(page.Locator("#sources-table")).ToContainTextAsync("Billboard I-5");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Tracking numbers" }).ClickAsync();
        await page.Locator("#number-value").FillAsync("call us today");
        await page.Locator("#save-number").ClickAsync();
        await Expect(FieldOf(page, "number-value")).ToContainTextAsync("'call us today' is not a phone number.");
        await page.Locator("#number-value").FillAsync("(619) 555-0123");
        await page.Locator("#number-label").FillAsync("I-5 billboard");
        await page.Locator("#save-number").ClickAsync();
        await Expect(page.Locator("#numbers-table tr[data-number='+16195550123']")).ToContainTextAsync("Billboard I-5");
        await page.ScreenshotAsync(new() { Path = Shot("admin-store-numbers.png"), FullPage = true });

        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var store = await db.Stores.Include(s => s.BusinessHours).SingleAsync(s => s.Slug == "harbor-honda");
        Assert.Equal("America/Los_Angeles", store.TimeZoneId);
        Assert.Equal(90, store.Settings.HoldLimitSeconds);
        Assert.Equal(6, store.BusinessHours.Count(h => h.Department == Department.Sales && h.Opens == new TimeOnly(9, 0) && h.Closes == new TimeOnly(20, 0)));
        var number = await db.TrackingNumbers.SingleAsync(n => n.E164 == "+16195550123");
        Assert.Equal(store.Id, number.StoreId);
        var actions = await db.AuditEntries.Where(e => e.Actor == admin.Email).Select(e => e.Action).ToListAsync();
        Assert.Contains("store.created", actions);
        Assert.Contains("lead-source.created", actions);
        Assert.Contains("tracking-number.created", actions);

        await page.GotoAsync("admin/audit");
        await Expect(page.Locator("#audit-table")).ToContainTextAsync("tracking-number.created");
        await page.ScreenshotAsync(new() { Path = Shot("admin-audit.png"), FullPage = true });
    }

    [Fact]
    public async Task Admin_sees_an_integration_secret_and_a_tv_link_once_and_revokes_the_link()
    {
        var admin = TestAccounts.DemoOf(app, "Admin");
        await using var context = await LaptopAsync();
        var page = await context.NewPageAsync();
        await TestAccounts.SignInAsync(page, admin.Email, admin.Password, returnUrl: "/admin/integrations");

        await page.Locator("#admin-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("#integrations-table")).ToContainTextAsync("Demo Twilio");
        await page.Locator("#integration-name").FillAsync("Showroom PBX");
        await page.Locator("#create-integration").ClickAsync();
        await Expect(page.Locator("#secret-value")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
        await Expect(page.Locator("#integrations-table")).ToContainTextAsync("Showroom PBX");
        await Expect(page.Locator("#hunt-groups-table")).ToContainTextAsync("lakeside-sales");
        await page.ScreenshotAsync(new() { Path = Shot("admin-integrations.png"), FullPage = true });

        await page.GotoAsync("admin/display-links");
        await page.Locator("#admin-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("#display-link-name").FillAsync("Service lounge TV");
        await page.Locator("#create-display-link").ClickAsync();
        var address = await page.Locator("#link-value").TextContentAsync();
        Assert.Matches("/tv/[a-z-]+\\?token=wbd_", address);
        var row = page.Locator("#display-links-table tr", new() { HasText = "Service lounge TV" });
        await Expect(row).ToContainTextAsync("Active");
        await Expect(page.Locator("#display-links-table")).Not.ToContainTextAsync(address!.Split("token=")[1]);
        await page.ScreenshotAsync(new() { Path = Shot("admin-display-links.png"), FullPage = true });

        // A TV showing the link, and a hub client with its token, both live before the link is revoked.
        var shown = await context.NewPageAsync();
        await shown.GotoAsync(address);
        await TvBrowserTests.WaitUntilLiveAsync(shown);
        await Expect(shown.Locator("[data-board-version]")).ToHaveCountAsync(1);
        var documents = 0;
        shown.Request += (_, request) => documents += request.ResourceType == "document" ? 1 : 0;
        await using var hub = await Wallboard.Tests.Live.HubClient.ConnectAsync(app, address.Split("token=")[1]);
        var hubClosed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Connection.Closed += e => { hubClosed.TrySetResult(e); return Task.CompletedTask; };
        await hub.Connection.InvokeAsync("Subscribe", StoreOfLink(address!), "Sales");

        // Revoke asks first; "Cancel" leaves the link alone, "Revoke" revokes it.
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        var dialog = page.Locator(".mud-message-box");
        await Expect(dialog).ToContainTextAsync("Revoke this display link?");
        await page.ScreenshotAsync(new() { Path = Shot("admin-revoke-confirm.png") });
        await dialog.Locator(".mud-message-box__cancel-button").ClickAsync();
        await Expect(row).ToContainTextAsync("Active");
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await dialog.Locator(".mud-message-box__yes-button").ClickAsync();
        await Expect(row).ToContainTextAsync("Revoked");

        // The open TV goes blank at once, without a reload, and the hub connection is closed.
        await Expect(shown.GetByRole(AriaRole.Heading, new() { Name = "This display link is not valid" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(shown.Locator("[data-board-version]")).ToHaveCountAsync(0);
        Assert.Equal(0, documents);
        await hubClosed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Disconnected, hub.Connection.State);

        var tv = await context.NewPageAsync();
        await tv.GotoAsync(address);
        await Expect(tv.GetByRole(AriaRole.Heading, new() { Name = "This display link is not valid" })).ToBeVisibleAsync();

        await page.GotoAsync("admin/api-tokens");
        await page.Locator("#admin-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("#api-token-name").FillAsync("Nightly report");
        await page.Locator("#create-api-token").ClickAsync();
        var token = await page.Locator("#token-value").TextContentAsync();
        Assert.StartsWith("wbt_", token, StringComparison.Ordinal);
        var tokenRow = page.Locator("#api-tokens-table tr", new() { HasText = "Nightly report" });
        await Expect(tokenRow).ToContainTextAsync("wbt_…" + token![^4..]);
        await page.ScreenshotAsync(new() { Path = Shot("admin-api-tokens.png"), FullPage = true });
    }
}
