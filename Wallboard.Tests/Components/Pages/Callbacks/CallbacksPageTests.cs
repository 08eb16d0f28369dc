using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Callbacks;
using Wallboard.Tests.Callbacks;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Components.Pages.Callbacks;
using Wallboard.Web.Components.Shared;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Components.Pages.Callbacks;

/// <summary>
/// The salesperson's queue rendered by bUnit over the real call-back services and a real SQLite
/// database (the demo dealer group), with the clock stopped at Tuesday 14:00 in Chicago.
/// </summary>
public sealed class CallbacksPageTests : WallboardTestContext
{
    private static readonly DateTimeOffset Tuesday2pm = CallbackWorld.Tuesday2pm;

    private async Task<CallbackWorld> WorldAsync()
    {
        // The clock starts an hour before the page is looked at, and moves forward only.
        var world = await CallbackWorld.CreateAsync(Tuesday2pm.AddHours(-1));
        Services.AddSingleton(world.Users);
        Services.AddSingleton(world.Queries);
        Services.AddSingleton(world.Commands);
        Services.AddSingleton<ICallbackChangeNotifier>(world.Notifier);
        Services.AddSingleton<TimeProvider>(world.Time);
        Services.AddSingleton<IStoreDirectory>(new DbStoreDirectory(world.Database));
        return world;
    }

    private IRenderedComponent<CallbacksPage> RenderAs(CallbackWorld world, string name)
    {
        SignInAs(world.PrincipalAsync(name).GetAwaiter().GetResult());
        var cut = Render<CallbacksPage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#callbacks-ready")));
        return cut;
    }

    private static long[] Order(IRenderedComponent<CallbacksPage> cut) =>
        cut.FindAll("article[data-callback-id]").Select(a => long.Parse(a.GetAttribute("data-callback-id")!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static async Task<long> MissedAtAsync(CallbackWorld world, string? number, int minutesBefore2pm)
    {
        world.AdvanceTo(Tuesday2pm.AddMinutes(-minutesBefore2pm));
        return await world.MissedAsync(number, withheld: number is null);
    }

    [Fact]
    public async Task Queue_lists_overdue_first_then_due_soonest_then_waiting_then_private()
    {
        await using var world = await WorldAsync();
        var withheld = await MissedAtAsync(world, null, 60);
        var mostOverdue = await MissedAtAsync(world, "+13125550101", 30);  // due 13:45
        var overdue = await MissedAtAsync(world, "+13125550102", 20);      // due 13:55
        var dueIn5 = await MissedAtAsync(world, "+13125550104", 10);       // due 14:05
        var waiting = await MissedAtAsync(world, "+13125550105", 5);       // tried: next try 14:55
        var mike = await world.UserAsync("Mike Reynolds");
        await world.Commands.LogAttemptAsync(waiting, mike, new AttemptInput(AttemptOutcome.NoAnswer), CancellationToken.None);
        var dueIn10 = await MissedAtAsync(world, "+13125550103", 5);       // due 14:10
        var claimedByMike = await MissedAtAsync(world, "+13125550106", 3); // due 14:12, Mike has it
        await world.Commands.ClaimAsync(claimedByMike, mike, CancellationToken.None);
        world.AdvanceTo(Tuesday2pm);

        var cut = RenderAs(world, "Dana Whitfield");

        cut.WaitForAssertion(() => Assert.Equal([mostOverdue, overdue, dueIn5, dueIn10, claimedByMike, waiting, withheld], Order(cut)));
        Assert.Equal("2 overdue", cut.Find("#overdue-count").TextContent.Trim());
        Assert.Equal(["OVERDUE 15 MIN", "OVERDUE 5 MIN", "DUE IN 5 MIN", "DUE IN 10 MIN", "DUE IN 12 MIN"],
            cut.FindAll(".wb-cb-due").Take(5).Select(d => d.TextContent.Trim().ToUpperInvariant()));
        Assert.Contains("is-overdue", cut.Find($"article[data-callback-id='{mostOverdue}']").ClassList);
        Assert.Equal("tel:+13125550101", cut.Find($"article[data-callback-id='{mostOverdue}'] a[data-tel]").GetAttribute("href"));
        Assert.Contains("Mike Reynolds has it", cut.Find($"article[data-callback-id='{claimedByMike}']").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll($"article[data-callback-id='{claimedByMike}'] [data-action='claim']"));
        Assert.Empty(cut.FindAll($"article[data-callback-id='{withheld}'] [data-action='claim']"));
    }

    [Fact]
    public async Task Claiming_with_one_tap_makes_it_mine_and_the_mine_filter_shows_only_mine()
    {
        await using var world = await WorldAsync();
        var first = await MissedAtAsync(world, "+13125550101", 10);
        var second = await MissedAtAsync(world, "+13125550102", 5);
        world.AdvanceTo(Tuesday2pm);
        var cut = RenderAs(world, "Dana Whitfield");

        cut.Find($"article[data-callback-id='{second}'] [data-action='claim']").Click();

        cut.WaitForAssertion(() => Assert.Contains("Claimed.", cut.Find("#callbacks-status").TextContent, StringComparison.Ordinal));
        Assert.NotEmpty(cut.FindAll($"article[data-callback-id='{second}'] [data-action='call']"));
        Assert.Equal("Dana Whitfield", (await world.LoadAsync(second)).ClaimedBy);

        cut.Find("[data-filter='mine']").Click();
        cut.WaitForAssertion(() => Assert.Equal([second], Order(cut)));
        cut.Find("[data-filter='all']").Click();
        cut.WaitForAssertion(() => Assert.Equal([first, second], Order(cut)));
    }

    [Fact]
    public async Task Logging_no_answer_schedules_the_next_try_and_a_second_voicemail_today_is_not_offered()
    {
        await using var world = await WorldAsync();
        var id = await MissedAtAsync(world, "+13125550101", 10);
        world.AdvanceTo(Tuesday2pm);
        var cut = RenderAs(world, "Dana Whitfield");
        cut.Find($"article[data-callback-id='{id}'] [data-action='claim']").Click();
        cut.WaitForAssertion(() => cut.Find($"article[data-callback-id='{id}'] [data-action='log']").Click());

        cut.WaitForAssertion(() => cut.Find("[data-outcome='LeftVoicemail']").Click());
        cut.Find("form.wb-cb-form").Submit();

        cut.WaitForAssertion(() => Assert.Equal("Left voicemail logged. Next try 15:00.", cut.Find("#callbacks-status").TextContent.Trim()));
        var card = cut.Find($"article[data-callback-id='{id}']");
        Assert.Contains("Next try 15:00", card.TextContent, StringComparison.Ordinal);
        Assert.Equal("Claim early", card.QuerySelector("[data-action='claim']")!.TextContent.Trim());

        // Claimed again early: the voicemail button is off for the rest of the store's day.
        cut.Find($"article[data-callback-id='{id}'] [data-action='claim']").Click();
        cut.WaitForAssertion(() => cut.Find($"article[data-callback-id='{id}'] [data-action='log']").Click());
        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-outcome='LeftVoicemail']").HasAttribute("disabled")));
        Assert.False(cut.Find("[data-outcome='NoAnswer']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Appointment_without_a_time_is_refused_in_the_form_with_the_reason()
    {
        await using var world = await WorldAsync();
        var id = await MissedAtAsync(world, "+13125550101", 10);
        world.AdvanceTo(Tuesday2pm);
        var cut = RenderAs(world, "Dana Whitfield");
        cut.Find($"article[data-callback-id='{id}'] [data-action='claim']").Click();
        cut.WaitForAssertion(() => cut.Find($"article[data-callback-id='{id}'] [data-action='log']").Click());

        cut.WaitForAssertion(() => cut.Find("[data-outcome='AppointmentSet']").Click());
        cut.Find("form.wb-cb-form").Submit();

        cut.WaitForAssertion(() => Assert.Equal("An appointment needs its date and time.", cut.Find(".wb-cb-error").TextContent.Trim()));
        Assert.Equal(0, (await world.LoadAsync(id)).AttemptCount);
    }

    [Fact]
    public async Task New_missed_call_appears_by_itself_without_a_reload()
    {
        await using var world = await WorldAsync();
        var cut = RenderAs(world, "Dana Whitfield");
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("#callbacks-empty")));

        var id = await world.MissedAsync("+13125550199");

        cut.WaitForAssertion(() => Assert.Equal([id], Order(cut)));
    }

    [Fact]
    public async Task An_account_that_is_no_salesperson_is_told_to_ask_an_admin()
    {
        await using var world = await WorldAsync();
        Auth.SetAuthorized("someone@example.com");
        Auth.SetRoles("Salesperson");

        var cut = Render<CallbacksPage>();

        cut.WaitForAssertion(() => Assert.Contains("not linked to a salesperson", cut.Find("#callbacks-no-store").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("article"));
    }

    [Fact]
    public async Task Another_store_in_the_address_is_not_allowed()
    {
        await using var world = await WorldAsync();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/callbacks?store={world.Bayview}");
        await world.MissedAsync("+13125550101");

        var cut = RenderAs(world, "Dana Whitfield");

        Assert.Contains("may not see this store", cut.Find("#not-allowed").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("article"));
    }
}
