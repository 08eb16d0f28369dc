using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Wallboard.Tests.Hosting;

public sealed partial class AppHostTests(WallboardAppFactory app) : IClassFixture<WallboardAppFactory>
{
    [Fact]
    public async Task Health_answers_200_Healthy_once_the_app_is_ready()
    {
        using var http = app.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Home_page_is_served_as_html_naming_the_product()
    {
        using var http = app.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Wallboard</title>", html, StringComparison.Ordinal);
        Assert.Contains(">Wallboard</h1>", html, StringComparison.Ordinal);
        // Pre-rendered HTML is not live yet: the ready marker only comes with the circuit.
        Assert.DoesNotContain("home-ready", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_stylesheet_and_script_the_page_links_is_served()
    {
        using var http = app.CreateHttpClient();
        var html = await http.GetStringAsync(new Uri("/", UriKind.Relative));

        var assets = AssetReference().Matches(html).Select(m => m.Groups["url"].Value).ToList();

        // Ours, MudBlazor's and Blazor's own, fingerprinted by MapStaticAssets.
        Assert.Contains(assets, a => a.StartsWith("dist/wallboard.", StringComparison.Ordinal) && a.EndsWith(".css", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("dist/wallboard.", StringComparison.Ordinal) && a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("_content/MudBlazor/MudBlazor.min.", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("_framework/blazor.web.", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await http.GetAsync(new Uri(asset, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset} answered {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("admin")]
    [InlineData("admin/stores")]
    [InlineData("callbacks")]
    public async Task Navigation_targets_exist_and_ask_a_signed_out_visitor_to_sign_in(string path)
    {
        using var http = app.CreateHttpClient();

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/account/sign-in", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains($"returnUrl=%2F{path.Replace("/", "%2F", StringComparison.Ordinal)}", response.RequestMessage.RequestUri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_address_answers_404_with_the_not_found_page()
    {
        using var http = app.CreateHttpClient();

        using var response = await http.GetAsync(new Uri("no-such-page", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void App_keeps_its_data_in_the_test_folder()
    {
        var configuration = app.Services.GetRequiredService<IConfiguration>();

        Assert.Equal(app.DataDirectory, configuration["Wallboard:DataDirectory"]);
        Assert.Equal($"Data Source={Path.Combine(app.DataDirectory, "wallboard.db")}", configuration.GetConnectionString("Wallboard"));
    }

    [GeneratedRegex(@"(?:href|src)=""(?<url>[^""]+\.(?:css|js))""")]
    private static partial Regex AssetReference();
}
