using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Auth;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Web.Live;
using Wallboard.Web.Metrics;

namespace Wallboard.Tests.Browser;

/// <summary>
/// The same calls, four ways: the TV's board, the metrics API, the manager's overview and the
/// missed-calls screen with its CSV export all show the same numbers; screenshots of every
/// manager screen land in the screenshots folder.
/// </summary>
public sealed class ManagerScreensBrowserTests(WallboardAppFactory app, ChromiumFixture chromium)
    : IClassFixture<WallboardAppFactory>, IClassFixture<ChromiumFixture>
{
    private static string Shot(string name)
    {
        Directory.CreateDirectory(ChromiumFixture.ScreenshotDirectory);
        return Path.Combine(ChromiumFixture.ScreenshotDirectory, name);
    }

    [Fact]
    public async Task Tv_metrics_api_overview_missed_calls_list_and_csv_agree_on_the_same_calls()
    {
        var ingest = new SignedIngestClient(app);
        var store = ingest.Credentials.Stores[0];
        var start = DateTimeOffset.UtcNow.AddMinutes(-20);
        const string carsLine = "+16305550104";
        CallBuilder Call(string id, int minutes, string from) => new CallBuilder($"mgr-{id}-{Guid.NewGuid():N}", start.AddMinutes(minutes)).Started(from: from, to: carsLine);
        var calls = new[]
        {
            Call("a", 0, "+13125550601").Ringing("101", 1).Answered("101", 9).Ended(120, CallEndedBy.Agent),
            Call("b", 2, "+13125550602").Ringing("101", 1).RingNoAnswer("101", 16).Ringing("102", 16).Answered("102", 30).HoldStarted(40).HoldEnded(70).Ended(200, CallEndedBy.Agent),
            Call("c", 4, "+13125550603").Ringing("101", 1).RingNoAnswer("101", 16).Voicemail(20, messageLeft: true).Ended(50),
            Call("d", 6, "+13125550604").Ringing("102", 1).Ended(35),
            Call("e", 8, "+13125550605").Ended(2),
        };
        foreach (var call in calls)
        {
            (await ingest.PostEventsAsync(call.Events)).EnsureSuccessStatusCode();
        }

        // The minute job's work, now: today's snapshot of every store.
        await app.Services.GetRequiredService<MetricsReports>().ComputeAsync([MetricsWindow.Today], null, CancellationToken.None);

        var manager = ingest.Credentials.ApiTokens.First(t => t.Role == "Manager" && t.StoreId == store.Id).Token;
        using var api = app.CreateHttpClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", manager);
        using var metrics = await api.GetFromJsonAsync<JsonDocument>($"api/v1/stores/{store.Id}/metrics?window=Today");
        var figures = metrics!.RootElement.GetProperty("store");
        var (offered, missed, connected) = (figures.GetProperty("offered").GetInt32(), figures.GetProperty("missed").GetInt32(), figures.GetProperty("connected").GetInt32());
        Assert.Equal((5, 2, 2), (offered, missed, connected));
        Assert.Equal(1, figures.GetProperty("shortAbandons").GetInt32());

        using var bySource = await api.GetFromJsonAsync<JsonDocument>($"api/v1/stores/{store.Id}/metrics?window=Today&by=source");
        var cars = bySource!.RootElement.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Cars.com").GetProperty("figures");

        // The TV: its answer-rate and missed tiles count live; its sources tile reads the snapshot.
        // The board applies changes off the request's thread: let it catch up with every
        // acknowledged event and the snapshot above before reading it.
        await app.Services.GetRequiredService<LiveBoard>().RefreshAsync(new BoardKey(store.Id, Department.Sales), BoardAudience.PublicScreen, CancellationToken.None);
        using var tv = app.CreateHttpClient();
        tv.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ingest.Credentials.DisplayLinks!.First(l => l.StoreId == store.Id).Token);
        using var board = await tv.GetFromJsonAsync<JsonDocument>($"api/v1/stores/{store.Id}/board?department=Sales");
        Assert.Equal(offered, board!.RootElement.GetProperty("answerRate").GetProperty("offered").GetInt32());
        Assert.Equal(connected, board.RootElement.GetProperty("answerRate").GetProperty("connected").GetInt32());
        Assert.Equal(missed, board.RootElement.GetProperty("missed").GetProperty("count").GetInt32());
        var tvCars = board.RootElement.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Cars.com");
        Assert.Equal(cars.GetProperty("offered").GetInt32(), tvCars.GetProperty("calls").GetInt32());
        Assert.Equal(cars.GetProperty("missed").GetInt32(), tvCars.GetProperty("missed").GetInt32());

        var account = TestAccounts.DemoOf(app, "Manager", store.Id);
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1600, Height = 1000 } });
        var page = await context.NewPageAsync();
        await TestAccounts.SignInAsync(page, account.Email, account.Password, returnUrl: $"/manager?store={store.Id}");

        await Assertions.Expect(page.Locator("#row-offered td").Nth(1)).ToHaveTextAsync(offered.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#row-missed td").Nth(1)).ToHaveTextAsync(missed.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#row-answer-rate td").Nth(1)).ToHaveTextAsync("50 %"); // 2 ÷ (5 − 1 misdial − 0 in progress)
        await page.ScreenshotAsync(new() { Path = Shot("manager-overview.png"), FullPage = true });

        await page.GotoAsync($"manager/calls?store={store.Id}");
        await Assertions.Expect(page.Locator("#calls-count")).ToHaveTextAsync($"Calls 1–{missed} of {missed}");
        await Assertions.Expect(page.Locator("#calls-table tbody tr")).ToHaveCountAsync(missed);
        await page.ScreenshotAsync(new() { Path = Shot("manager-missed-calls.png"), FullPage = true });

        // The export link carries the screen's filter: the same rows, in the same order.
        var exportHref = await page.Locator("#export-csv").GetAttributeAsync("href");
        var shownIds = await page.Locator("#calls-table tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.callId)");
        using var signedIn = await TestAccounts.SignedInAsync(app, account.Email, account.Password);
        var csv = await signedIn.GetStringAsync(exportHref);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("CallId,", lines[0], StringComparison.Ordinal);
        Assert.Equal(shownIds, lines.Skip(1).Select(l => l.Split(',')[0]).ToArray());

        await page.Locator("#calls-table tbody tr a").First.ClickAsync();
        await Assertions.Expect(page.Locator("#call-path")).ToContainTextAsync("Rang Dana Whitfield"); // the newest missed call, d
        await Assertions.Expect(page.Locator("#call-path")).ToContainTextAsync("Caller hung up after waiting 35 s");
        await page.ScreenshotAsync(new() { Path = Shot("manager-call-detail.png"), FullPage = true });

        await page.GotoAsync($"manager/reports?store={store.Id}&window=Today");
        await Assertions.Expect(page.Locator("#report-salespeople")).ToContainTextAsync("Mike Reynolds");
        await page.ScreenshotAsync(new() { Path = Shot("manager-reports.png"), FullPage = true });
    }
}
