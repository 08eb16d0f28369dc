using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Wallboard.Domain.Callbacks;
using Wallboard.Tests.Auth;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Browser;

/// <summary>The salesperson's call-back screen on a phone (390×844) in Chromium, against the real app.</summary>
public sealed class CallbacksBrowserTests(WallboardAppFactory app, ChromiumFixture chromium)
    : IClassFixture<WallboardAppFactory>, IClassFixture<ChromiumFixture>
{
    private readonly SignedIngestClient _ingest = new(app);

    private string? _dana;

    // Dana has no demo account: the test makes one, as an admin would.
    private async Task<string> DanaAsync()
    {
        if (_dana is null)
        {
            var person = _ingest.Credentials.ApiTokens.Single(t => t.Name == "Dana Whitfield");
            _dana = await TestAccounts.CreateAsync(app, $"dana.{Guid.NewGuid():N}@lakeside-toyota.example", Web.Auth.WallboardRole.Salesperson, [person.StoreId], person.SalespersonId);
        }

        return _dana;
    }

    private Task<IBrowserContext> PhoneAsync() =>
        chromium.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new() { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 2,
        });

    private static string Shot(string name)
    {
        Directory.CreateDirectory(ChromiumFixture.ScreenshotDirectory);
        return Path.Combine(ChromiumFixture.ScreenshotDirectory, name);
    }

    [Fact]
    public async Task Salesperson_claims_and_completes_a_call_back_one_handed_on_a_phone()
    {
        var missed = new CallBuilder("browser-missed-1", DateTimeOffset.UtcNow.AddMinutes(-4))
            .Started(from: "(312) 555-0642", to: "+16305550104").Queued().Voicemail(20, messageLeft: true).Ended(50);
        (await _ingest.PostEventsAsync(missed.Events)).EnsureSuccessStatusCode();

        await using var context = await PhoneAsync();
        var page = await context.NewPageAsync();
        await TestAccounts.SignInAsync(page, await DanaAsync(), returnUrl: "/callbacks");
        await page.Locator("#callbacks-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        // The call-back arrives by itself if the page opened before it was made.
        var card = page.Locator("article[data-callback-id]").Filter(new() { Has = page.Locator("a[href='tel:+13125550642']") });
        await Expect(card).ToBeVisibleAsync();
        await Expect(card).ToContainTextAsync("(312) 555-0642");
        await Expect(card).ToContainTextAsync("Cars.com");
        await Expect(card).ToContainTextAsync("Left a message");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Call-backs", Level = 1 })).ToBeVisibleAsync();

        // Made for one hand: nothing wider than the phone, and a claim button a thumb can hit.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The page scrolls sideways on a phone.");
        var claim = card.Locator("[data-action='claim']");
        var box = await claim.BoundingBoxAsync();
        Assert.True(box is { Height: >= 48, Width: >= 300 }, $"The claim button is {box?.Width}×{box?.Height}.");
        await page.ScreenshotAsync(new() { Path = Shot("callbacks-phone-list.png") });

        await claim.ClickAsync();
        await Expect(page.Locator("#callbacks-status")).ToContainTextAsync("Claimed.");
        await Expect(card.Locator("[data-action='call']")).ToHaveAttributeAsync("href", "tel:+13125550642");
        await Expect(page.Locator("[data-filter='mine']")).ToContainTextAsync("1");

        await card.Locator("[data-action='log']").ClickAsync();
        await card.Locator("[data-outcome='Reached']").ClickAsync();
        await Expect(card.Locator("[data-outcome='Reached']")).ToHaveAttributeAsync("aria-checked", "true");
        await card.GetByLabel("Note").FillAsync("Wants to trade in a 2019 Camry; coming Saturday.");
        await card.Locator("details.wb-cb-lead summary").ClickAsync();
        await card.GetByLabel("Name").FillAsync("Jordan Miles");
        await card.GetByLabel("Vehicle of interest").FillAsync("RAV4 Hybrid XLE");
        await page.ScreenshotAsync(new() { Path = Shot("callbacks-phone-attempt.png") });

        await card.Locator("[data-action='save']").ClickAsync();

        await Expect(page.Locator("#callbacks-status")).ToHaveTextAsync("Done: Reached.");
        await Expect(card).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Shot("callbacks-phone-done.png") });

        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var stored = await db.Callbacks.Include(c => c.Attempts).SingleAsync(c => c.CallerE164 == "+13125550642");
        Assert.Equal((CallbackStatus.Completed, CallbackResolution.Reached), (stored.Status, stored.Resolution));
        Assert.Equal(("Jordan Miles", "RAV4 Hybrid XLE"), (stored.LeadName, stored.VehicleOfInterest));
        var attempt = Assert.Single(stored.Attempts);
        Assert.Equal(("Dana Whitfield", "Wants to trade in a 2019 Camry; coming Saturday."), (attempt.By, attempt.Note));
    }

    [Fact]
    public async Task Manager_sees_the_audit_trail_and_closes_a_private_number()
    {
        var missed = new CallBuilder("browser-private-1", DateTimeOffset.UtcNow.AddMinutes(-6))
            .Started(from: "Anonymous", to: "+16305550100").Queued().Ended(40);
        (await _ingest.PostEventsAsync(missed.Events)).EnsureSuccessStatusCode();
        var manager = TestAccounts.DemoOf(app, "Manager", _ingest.Credentials.Stores[0].Id);

        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        await TestAccounts.SignInAsync(page, manager.Email, manager.Password, returnUrl: "/callbacks/manage");
        await page.Locator("#manage-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        var row = page.Locator("tr").Filter(new() { HasText = "Private number" });
        await Expect(row).ToBeVisibleAsync();
        await row.ClickAsync();
        var detail = page.Locator("#callback-detail");
        await Expect(detail.Locator("#callback-trail li").First).ToContainTextAsync("withheld number");
        await detail.GetByLabel("Reason to close").FillAsync("Private number, nothing to call");
        await detail.Locator("[data-action='close']").ClickAsync();

        await Expect(page.Locator("#manage-status")).ToHaveTextAsync("Closed.");
        await Expect(page.Locator("tr").Filter(new() { HasText = "Private number" })).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Shot("callbacks-manage-desktop.png"), FullPage = true });

        var api = app.CreateHttpClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", _ingest.Credentials.ApiTokens.Single(t => t.Role == "Manager" && t.StoreId == _ingest.Credentials.Stores[0].Id).Token);
        var list = await api.GetStringAsync($"api/v1/callbacks?status=Closed");
        var closed = JsonDocument.Parse(list).RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("noNumber").GetBoolean());
        Assert.Equal("Private number, nothing to call", closed.GetProperty("closedReason").GetString());

        // The link an alert or the digest sends opens that very call-back, closed ones too.
        var store = _ingest.Credentials.Stores[0].Id;
        await page.GotoAsync($"/callbacks/manage?store={store}&callback={closed.GetProperty("id").GetInt64()}");
        await page.Locator("#manage-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Expect(page.Locator("#callback-detail #callback-trail li").First).ToContainTextAsync("withheld number");
        await Expect(page.Locator("#callback-detail")).ToContainTextAsync("Private number, nothing to call");
    }
}
