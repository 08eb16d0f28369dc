using Bunit;
using Microsoft.AspNetCore.Components;
using Wallboard.Web.Components.Layout;

namespace Wallboard.Tests.Components.Layout;

public sealed class MainLayoutTests : WallboardTestContext
{
    [Fact]
    public void Layout_names_the_product_in_the_app_bar()
    {
        var cut = RenderLayout();

        Assert.Equal("Wallboard", cut.Find(".mud-appbar #app-title").TextContent.Trim());
    }

    [Theory]
    [InlineData(null, "Home")]
    [InlineData("Salesperson", "Home|Call-backs|Your account")]
    [InlineData("Manager", "Home|Manager|Call-backs|Manage call-backs|Your account")]
    [InlineData("Admin", "Home|Manager|Call-backs|Manage call-backs|Your account|Admin|Users|Caller privacy")]
    public void Navigation_shows_only_what_the_role_may_use(string? role, string expected)
    {
        if (role is not null)
        {
            Auth.SetAuthorized("someone@example.com");
            Auth.SetRoles(role);
        }

        var cut = RenderLayout();

        var links = cut.FindAll(".mud-navmenu a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(expected.Split('|'), links);
    }

    [Fact]
    public void App_bar_shows_who_is_signed_in_and_a_sign_out_form_with_antiforgery()
    {
        Auth.SetAuthorized("linda.park@lakeside-toyota.example");
        Auth.SetRoles("Manager");
        Auth.SetClaims(new System.Security.Claims.Claim("wallboard:display-name", "Linda Park"));

        var cut = RenderLayout();

        Assert.Contains("Linda Park", cut.Find("#signed-in-as").TextContent, StringComparison.Ordinal);
        var form = cut.Find("form#nav-sign-out");
        Assert.Equal("/account/sign-out", form.GetAttribute("action"));
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Empty(cut.FindAll("#nav-sign-in"));
    }

    [Fact]
    public void App_bar_offers_sign_in_to_someone_not_signed_in()
    {
        var cut = RenderLayout();

        Assert.Equal("/account/sign-in", cut.Find("#nav-sign-in").GetAttribute("href"));
        Assert.Empty(cut.FindAll("#signed-in-as"));
    }

    [Fact]
    public void Layout_renders_the_page_inside_the_main_content()
    {
        var cut = RenderLayout();

        Assert.Equal("the page", cut.Find(".mud-main-content #page-body").TextContent);
    }

    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p id=\"page-body\">the page</p>"))));
}
