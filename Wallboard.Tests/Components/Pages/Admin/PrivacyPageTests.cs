using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Tests.Callbacks;
using Wallboard.Web.Admin;
using Wallboard.Web.Components.Pages.Admin;
using Wallboard.Web.Hosting;
using Wallboard.Web.Live;
using Wallboard.Web.Privacy;

namespace Wallboard.Tests.Components.Pages.Admin;

/// <summary>The admin's caller privacy page over the real privacy service and a real SQLite database (the demo dealer group).</summary>
public sealed class PrivacyPageTests : WallboardTestContext
{
    private async Task<CallbackWorld> WorldAsync()
    {
        var world = await CallbackWorld.CreateAsync();
        var key = PrivacyKey.LoadOrCreate(Path.Combine(world.Database.Folder, PrivacyKey.DefaultFileName));
        Services.AddSingleton(new CallerPrivacy(world.Database, key, new AuditLog(world.Time),
            new Notifier<CallChange>(NullLogger<Notifier<CallChange>>.Instance), world.Notifier, world.Time, NullLogger<CallerPrivacy>.Instance));
        var auth = AddAuthorization();
        auth.SetAuthorized("page-admin@example.com");
        auth.SetRoles("Admin");
        return world;
    }

    private static void LookUp(IRenderedComponent<PrivacyPage> cut, string number)
    {
        cut.Find("#privacy-number").Input(number);
        cut.Find("form").Submit();
    }

    [Fact]
    public async Task Looking_up_a_number_in_any_format_previews_what_is_held_and_links_the_export()
    {
        await using var world = await WorldAsync();
        await world.MissedAsync("+13125550161");
        await world.MissedAsync("+13125550161", world.Time.GetUtcNow().AddMinutes(5));
        await world.AddCallAsync("+13125550169", CallOutcome.Connected, world.Time.GetUtcNow());
        var cut = Render<PrivacyPage>();

        LookUp(cut, "(312) 555-0161");

        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-count=calls]").TextContent));
        Assert.Equal("1", cut.Find("[data-count=callbacks]").TextContent);
        Assert.Contains("+13125550161", cut.Find("#privacy-preview h2").TextContent, StringComparison.Ordinal);
        Assert.Equal("/api/v1/privacy/callers/%2B13125550161", cut.Find("#privacy-export").GetAttribute("href"));
        Assert.Empty(cut.FindAll("#privacy-confirm"));
    }

    [Fact]
    public async Task A_bad_number_says_so_and_shows_no_preview()
    {
        await using var world = await WorldAsync();
        var cut = Render<PrivacyPage>();

        LookUp(cut, "call me maybe");

        cut.WaitForAssertion(() => Assert.Contains("not a phone number", cut.Markup, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("#privacy-preview"));
    }

    [Fact]
    public async Task Erase_asks_first_and_cancel_changes_nothing()
    {
        await using var world = await WorldAsync();
        await world.MissedAsync("+13125550162");
        var cut = Render<PrivacyPage>();
        LookUp(cut, "+1 312 555 0162");
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-count=calls]").TextContent));

        cut.Find("#privacy-erase").Click();
        Assert.Contains("cannot be undone", cut.Find("#privacy-confirm").TextContent, StringComparison.Ordinal);
        cut.Find("#privacy-erase-cancel").Click();

        Assert.Empty(cut.FindAll("#privacy-confirm"));
        await using var db = world.Database.CreateDbContext();
        Assert.True(await db.Calls.AnyAsync(c => c.CallerE164 == "+13125550162"));
    }

    [Fact]
    public async Task Confirmed_erase_anonymizes_the_caller_and_the_preview_then_finds_nothing()
    {
        await using var world = await WorldAsync();
        await world.MissedAsync("+13125550163");
        var cut = Render<PrivacyPage>();
        LookUp(cut, "3125550163");
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-count=calls]").TextContent));

        cut.Find("#privacy-erase").Click();
        cut.Find("#privacy-erase-confirm").Click();

        cut.WaitForAssertion(() => Assert.Contains("Erased: 1 calls", cut.Find("#privacy-erased").TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(cut.FindAll("#privacy-nothing"));
        await using var db = world.Database.CreateDbContext();
        var call = await db.Calls.AsNoTracking().SingleAsync(c => c.ExternalId.StartsWith("world-"));
        Assert.True(CallerPseudonym.IsPseudonym(call.CallerE164));
        var audit = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "privacy.caller-erased");
        Assert.Equal("page-admin@example.com", audit.Actor);
    }
}
