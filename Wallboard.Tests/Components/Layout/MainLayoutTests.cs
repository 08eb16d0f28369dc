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

    [Fact]
    public void Navigation_links_to_home_manager_callbacks_admin_and_caller_privacy()
    {
        var cut = RenderLayout();

        var links = cut.FindAll(".mud-navmenu a")
            .Select(a => (Text: a.TextContent.Trim(), Href: a.GetAttribute("href")))
            .ToList();

        Assert.Equal(
            [("Home", ""), ("Manager", "manager"), ("Call-backs", "callbacks"), ("Admin", "admin"), ("Caller privacy", "admin/privacy")],
            links);
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
