using Bunit;
using Wallboard.Web.Components.Pages;
using Wallboard.Web.Components.Shared;

namespace Wallboard.Tests.Components.Pages;

public sealed class HomeTests : WallboardTestContext
{
    public HomeTests()
    {
        Auth.SetAuthorized("admin@example.com");
        Auth.SetRoles("Admin");
    }

    [Fact]
    public void Home_page_asks_someone_not_signed_in_to_sign_in_and_lists_no_store()
    {
        Auth.SetNotAuthorized();
        Stores.Add(new StoreSummary(1, "Lakeside Toyota", "Chicago", "America/Chicago", 12, 8));

        var cut = Render<Home>();

        Assert.Equal("/account/sign-in", cut.Find("#home-sign-in a").GetAttribute("href"));
        Assert.Empty(cut.FindAll(".wb-store-card"));
    }

    [Fact]
    public void Home_page_lists_only_the_stores_a_manager_works_in()
    {
        Auth.SetRoles("Manager");
        Auth.SetClaims(new System.Security.Claims.Claim("wallboard:store", "2"));
        Stores
            .Add(new StoreSummary(1, "Lakeside Toyota", "Chicago", "America/Chicago", 12, 8))
            .Add(new StoreSummary(2, "Harbor Honda", "San Diego", "America/Los_Angeles", 1, 1));

        var cut = Render<Home>();

        Assert.Equal(["Harbor Honda"], cut.FindAll(".wb-store-name").Select(e => e.TextContent.Trim()));
    }

    [Fact]
    public void Home_page_lists_the_stores_it_is_given()
    {
        Stores
            .Add(new StoreSummary(1, "Lakeside Toyota", "Chicago", "America/Chicago", SalespeopleCount: 12, TrackingNumbersCount: 8))
            .Add(new StoreSummary(2, "Harbor Honda", "San Diego", "America/Los_Angeles", SalespeopleCount: 1, TrackingNumbersCount: 1));

        var cut = Render<Home>();

        var cards = cut.FindAll(".wb-store-card");
        Assert.Equal(2, cards.Count);
        Assert.Equal(["Lakeside Toyota", "Harbor Honda"], cut.FindAll(".wb-store-name").Select(e => e.TextContent.Trim()));

        var first = cards[0].TextContent;
        Assert.Contains("Chicago", first, StringComparison.Ordinal);
        Assert.Contains("America/Chicago", first, StringComparison.Ordinal);
        Assert.Contains("12 salespeople", first, StringComparison.Ordinal);
        Assert.Contains("8 tracking numbers", first, StringComparison.Ordinal);

        var second = cards[1].TextContent;
        Assert.Contains("America/Los_Angeles", second, StringComparison.Ordinal);
        Assert.Contains("1 salesperson", second, StringComparison.Ordinal);
        Assert.Contains("1 tracking number", second, StringComparison.Ordinal);
        Assert.DoesNotContain("No stores yet", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Home_page_says_no_stores_yet_when_the_directory_is_empty()
    {
        var cut = Render<Home>();

        Assert.Equal("No stores yet", cut.Find("#no-stores").TextContent.Trim());
        Assert.Empty(cut.FindAll(".wb-store-card"));
    }

    [Fact]
    public void Home_page_shows_progress_until_the_stores_arrive()
    {
        var answer = new TaskCompletionSource();
        Stores.Answer = answer.Task;
        Stores.Add(new StoreSummary(1, "Lakeside Toyota", "Chicago", "America/Chicago", 12, 8));

        var cut = Render<Home>();
        Assert.NotNull(cut.Find(".mud-progress-linear"));
        Assert.Empty(cut.FindAll(".wb-store-card"));

        answer.SetResult();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".wb-store-card")));
        Assert.Empty(cut.FindAll(".mud-progress-linear"));
    }

    [Fact]
    public void Home_page_marks_itself_ready_once_it_has_rendered_interactively()
    {
        var cut = Render<Home>();

        cut.WaitForElement("#home-ready");
    }
}
