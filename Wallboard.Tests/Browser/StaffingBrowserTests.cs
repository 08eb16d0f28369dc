using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Auth;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Web.Ingest.Simulator;
using Wallboard.Web.Staffing;

namespace Wallboard.Tests.Browser;

/// <summary>
/// The demo with three weeks of simulated history (<c>Wallboard:Simulator:HistoryDays</c>): the
/// staffing screen shows the coming day's plan, last week's heat map and its short hours as the
/// API gives them, and the TV's next-hour line says what the advisor says. Screenshots land in the
/// screenshots folder.
/// </summary>
public sealed class StaffingBrowserTests(StaffingBrowserTests.DemoWithHistory app, ChromiumFixture chromium)
    : IClassFixture<StaffingBrowserTests.DemoWithHistory>, IClassFixture<ChromiumFixture>
{
    public sealed class DemoWithHistory : WallboardAppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Wallboard:Simulator:Enabled"] = "true",
            ["Wallboard:Simulator:HistoryDays"] = "21",
            ["Wallboard:Simulator:Seed"] = "16",
        };
    }

    private static readonly decimal[] Spends = [2500m, 1200m, 400m];

    private static string Shot(string name)
    {
        Directory.CreateDirectory(ChromiumFixture.ScreenshotDirectory);
        return Path.Combine(ChromiumFixture.ScreenshotDirectory, name);
    }

    [Fact]
    public async Task The_staffing_screen_and_the_tv_line_show_the_advisors_figures_on_the_demo_with_history()
    {
        var simulator = app.Services.GetServices<IHostedService>().OfType<CallSimulator>().Single();
        Assert.True(await simulator.Running.WaitAsync(TimeSpan.FromMinutes(3)));
        var ingest = new SignedIngestClient(app);
        var store = ingest.Credentials.Stores[0];
        var manager = ingest.Credentials.ApiTokens.Single(t => t.Role == "Manager" && t.StoreId == store.Id).Token;
        using var http = app.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", manager);
        var calendar = new StoreCalendar(store.TimeZoneId);
        var today = calendar.LocalDate(DateTimeOffset.UtcNow);
        var plan = await http.GetFromJsonAsync<JsonElement>($"api/v1/stores/{store.Id}/staffing?from={today.AddDays(-7):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}");
        var lastWeek = plan.GetProperty("hours").EnumerateArray()
            .Where(h => DateOnly.Parse(h.GetProperty("day").GetString()!, CultureInfo.InvariantCulture) < today && h.GetProperty("calls").GetInt32() > 0).ToList();
        Assert.NotEmpty(lastWeek);
        var shortHours = lastWeek.Count(h => h.GetProperty("underStaffed").GetBoolean());

        var account = TestAccounts.DemoOf(app, "Manager", store.Id);
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1600, Height = 1000 } });
        var page = await context.NewPageAsync();
        await TestAccounts.SignInAsync(page, account.Email, account.Password, returnUrl: $"/manager/staffing?store={store.Id}");

        await Assertions.Expect(page.Locator("#staffing-heatmap")).ToBeVisibleAsync();
        Assert.Equal(lastWeek.Count, await page.Locator("#staffing-heatmap .heat-cell.is-enough, #staffing-heatmap .heat-cell.is-short, #staffing-heatmap .heat-cell.is-closed").CountAsync());
        Assert.Equal(shortHours, await page.Locator("#staffing-heatmap .heat-cell.is-short").CountAsync());
        await Assertions.Expect(page.Locator("#staffing-inputs")).ToContainTextAsync("Erlang");
        await page.ScreenshotAsync(new() { Path = Shot("manager-staffing.png"), FullPage = true });

        var next = await app.Services.GetRequiredService<StaffingAdvisor>().NextHourAsync(store.Id, Department.Sales, CancellationToken.None);
        var tv = await context.NewPageAsync();
        await tv.SetViewportSizeAsync(1920, 1080);
        await tv.GotoAsync(new Uri(ingest.Credentials.DisplayLinks!.Single(l => l.StoreId == store.Id).Url).PathAndQuery.TrimStart('/'));
        await Assertions.Expect(tv.Locator("#tv-ready")).ToBeAttachedAsync();
        // The line is for an open store; a closed one shows when it opens instead.
        var closed = await tv.Locator("#tv-closed").CountAsync() > 0;
        if (next is { ForecastCalls: > 0 } && !closed)
        {
            await Assertions.Expect(tv.Locator("#tv-next-hour")).ToHaveAttributeAsync("data-needed", next.NeededPeople.ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(tv.Locator("#tv-next-hour")).ToContainTextAsync("needed");
        }
        else
        {
            await Assertions.Expect(tv.Locator("#tv-next-hour")).ToHaveCountAsync(0);
        }

        await tv.ScreenshotAsync(new() { Path = Shot("tv-next-hour.png") });

        // What missed calls cost, on the reports screen, with spend entered for the month.
        var costs = app.Services.GetRequiredService<Wallboard.Web.Admin.LeadCostsAdminService>();
        var (_, sources) = await costs.GetAsync(store.Id, today, CancellationToken.None);
        foreach (var (source, amount) in sources.Where(s => s.Name != LeadSource.UnknownName).Take(3).Zip(Spends))
        {
            Assert.True((await costs.SetSpendAsync("admin@demo.example", source.LeadSourceId, today, amount, CancellationToken.None)).Succeeded);
        }

        await page.GotoAsync($"manager/reports?store={store.Id}&window=MonthToDate");
        await Assertions.Expect(page.Locator("#report-source-costs tr.total")).ToContainTextAsync("4,100.00");
        await page.ScreenshotAsync(new() { Path = Shot("manager-source-costs.png"), FullPage = true });
    }
}
