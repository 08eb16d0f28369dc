using Bunit;
using Microsoft.AspNetCore.Components;
using Wallboard.Web.Components.Pages.Admin;

namespace Wallboard.Tests.Components.Pages;

public sealed class PlaceholderPagesTests : WallboardTestContext
{
    public static TheoryData<Type, string, string> Pages => new()
    {
        { typeof(AdminPage), "admin", "The admin screen comes in a later release." },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public void Screen_not_built_yet_has_a_route_and_says_it_comes_later(Type page, string route, string message)
    {
        var routes = page.GetCustomAttributes(typeof(RouteAttribute), inherit: false).Cast<RouteAttribute>();
        Assert.Equal(["/" + route], routes.Select(r => r.Template));

        var cut = Render<DynamicComponent>(p => p.Add(x => x.Type, page));

        Assert.Equal(message, cut.Find(".wb-coming-later").TextContent.Trim());
    }
}
