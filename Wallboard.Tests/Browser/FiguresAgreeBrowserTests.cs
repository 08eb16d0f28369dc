using System.Globalization;
using System.Net;
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
using Wallboard.Web.Callbacks;
using Wallboard.Web.Live;
using Wallboard.Web.Metrics;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Browser;

/// <summary>
/// One day with every kind of recovery, through the real app: the TV's board, the metrics API, the
/// manager's overview and the calls export say the same of every figure and every missed call; and
/// the TV counts a call answered from the moment it is answered.
/// </summary>
public sealed class FiguresAgreeBrowserTests(WallboardAppFactory app, ChromiumFixture chromium)
    : IClassFixture<WallboardAppFactory>, IClassFixture<ChromiumFixture>
{
    private const string CarsLine = "+16305550104";
    private const string BayviewCarsLine = "+18135550114";
    private readonly SignedIngestClient _ingest = new(app);

    private HttpClient As(string token)
    {
        var http = app.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    [Fact]
    public async Task Tv_metrics_api_overview_and_csv_agree_on_a_day_with_every_kind_of_recovery()
    {
        var store = _ingest.Credentials.Stores[0];
        var manager = As(_ingest.Credentials.ApiTokens.First(t => t.Role == "Manager" && t.StoreId == store.Id).Token);
        var start = DateTimeOffset.UtcNow.AddMinutes(-40);
        CallBuilder Call(string id, int minutes, string? from) => new CallBuilder($"agree-{id}-{Guid.NewGuid():N}", start.AddMinutes(minutes)).Started(from: from, to: CarsLine);
        async Task PostAsync(CallBuilder call) => (await _ingest.PostEventsAsync(call.Events)).EnsureSuccessStatusCode();

        // Missed, then got through later the same day (its call-back completes as "caller called back").
        await PostAsync(Call("got-through", 0, "+13125550701").Ended(30));
        // Missed; call-backs that reach the caller, set an appointment, find a wrong number, or are not made yet.
        await PostAsync(Call("reached", 1, "+13125550702").Ended(30));
        await PostAsync(Call("appointment", 2, "+13125550703").Ringing("101", 1).RingNoAnswer("101", 16).Voicemail(20, messageLeft: true).Ended(45));
        await PostAsync(Call("wrong-number", 3, "+13125550704").Ended(30));
        await PostAsync(Call("open", 4, "+13125550705").Ended(30));
        // Missed, withheld: nobody can call back.
        await PostAsync(Call("withheld", 5, "anonymous").Ended(30));
        // Missed; the call-back is closed as not sales, then the caller gets through after all.
        await PostAsync(Call("not-sales", 6, "+13125550708").Ended(30));
        // Answered, and a misdial.
        await PostAsync(Call("answered", 7, "+13125550706").Ringing("101", 1).Answered("101", 9).Ended(120, CallEndedBy.Agent));
        await PostAsync(Call("misdial", 8, "+13125550707").Ended(2));

        await LogAttemptAsync(manager, store.Id, "+13125550702", new { outcome = "Reached", note = "Spoke to them" });
        await LogAttemptAsync(manager, store.Id, "+13125550703", new { outcome = "AppointmentSet", appointmentAt = DateTimeOffset.UtcNow.AddDays(1), leadName = "Jordan Miles" });
        await LogAttemptAsync(manager, store.Id, "+13125550704", new { outcome = "WrongNumber" });
        await LogAttemptAsync(manager, store.Id, "+13125550708", new { outcome = "NotSales" });
        await PostAsync(Call("got-through-later", 20, "+13125550701").Ringing("102", 1).Answered("102", 6).Ended(200, CallEndedBy.Agent));
        await PostAsync(Call("not-sales-later", 21, "+13125550708").Answered("102", 4).Ended(60, CallEndedBy.Agent));

        // The minute job's work, now; and the board built after every change above.
        await app.Services.GetRequiredService<MetricsReports>().ComputeAsync([MetricsWindow.Today], store.Id, CancellationToken.None);
        await app.Services.GetRequiredService<LiveBoard>().RefreshAsync(new BoardKey(store.Id, Department.Sales), BoardAudience.Staff, CancellationToken.None);

        // Known: 11 calls, 7 missed, 3 connected, 1 misdial; recovered 4 (got through ×2, reached, appointment), open 3.
        using var metrics = await manager.GetFromJsonAsync<JsonDocument>($"api/v1/stores/{store.Id}/metrics?window=Today");
        var figures = metrics!.RootElement.GetProperty("store");
        Assert.Equal((11, 7, 3, 1), (figures.GetProperty("offered").GetInt32(), figures.GetProperty("missed").GetInt32(), figures.GetProperty("connected").GetInt32(), figures.GetProperty("shortAbandons").GetInt32()));
        Assert.Equal((4, 2), (figures.GetProperty("recoveredMissed").GetInt32(), figures.GetProperty("recoveredByCallback").GetInt32()));
        Assert.Equal(0.3, figures.GetProperty("answerRate").GetDouble(), 9);

        // The TV (its API, the same snapshot the TV page shows).
        using var tv = As(_ingest.Credentials.DisplayLinks!.First(l => l.StoreId == store.Id).Token);
        using var board = await tv.GetFromJsonAsync<JsonDocument>($"api/v1/stores/{store.Id}/board?department=Sales");
        var missedTile = board!.RootElement.GetProperty("missed");
        var rateTile = board.RootElement.GetProperty("answerRate");
        Assert.Equal((7, 4, 3), (missedTile.GetProperty("count").GetInt32(), missedTile.GetProperty("recovered").GetInt32(), missedTile.GetProperty("stillOpen").GetInt32()));
        Assert.Equal((11, 3, 1), (rateTile.GetProperty("offered").GetInt32(), rateTile.GetProperty("connected").GetInt32(), rateTile.GetProperty("shortAbandons").GetInt32()));
        Assert.Equal(figures.GetProperty("answerRate").GetDouble(), rateTile.GetProperty("rate").GetDouble());
        var onTv = missedTile.GetProperty("calls").EnumerateArray()
            .ToDictionary(c => c.GetProperty("callId").GetInt64(), c => c.GetProperty("recovery").GetString()!);
        Assert.Equal(7, onTv.Count);

        // The export: the same missed calls, each recovered the same way.
        var account = TestAccounts.DemoOf(app, "Manager", store.Id);
        using var signedIn = await TestAccounts.SignedInAsync(app, account.Email, account.Password);
        var csv = (await signedIn.GetStringAsync($"api/v1/calls.csv?store={store.Id}&outcome=missed")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = csv[0].Split(',');
        var recoveryColumn = Array.IndexOf(header, "Recovery");
        var inCsv = csv.Skip(1).Select(l => l.Split(',')).ToDictionary(f => long.Parse(f[0], CultureInfo.InvariantCulture), f => f[recoveryColumn]);
        Assert.Equal(onTv.OrderBy(p => p.Key), inCsv.OrderBy(p => p.Key));
        Assert.Equal(
            [("CallbackReached", 2), ("CallerGotThrough", 2), ("StillOpen", 3)],
            inCsv.Values.GroupBy(v => v).Select(g => (g.Key, g.Count())).OrderBy(g => g.Item1, StringComparer.Ordinal));

        // The overview.
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1600, Height = 1000 } });
        var page = await context.NewPageAsync();
        await TestAccounts.SignInAsync(page, account.Email, account.Password, returnUrl: $"/manager?store={store.Id}");
        await Expect(page.Locator("#row-offered td").Nth(1)).ToHaveTextAsync("11");
        await Expect(page.Locator("#row-missed td").Nth(1)).ToHaveTextAsync("7");
        await Expect(page.Locator("#row-recovered td").Nth(1)).ToHaveTextAsync("4");
        await Expect(page.Locator("#row-answer-rate td").Nth(1)).ToHaveTextAsync("30 %");
        await page.ScreenshotAsync(new() { Path = Shot("manager-overview-recovery.png"), FullPage = true });
    }

    [Fact]
    public async Task The_answer_rate_by_hour_leaves_hours_without_calls_out_of_the_line()
    {
        var store = _ingest.Credentials.Stores[1];
        var calendar = new StoreCalendar(store.TimeZoneId);
        var now = DateTimeOffset.UtcNow;
        var hour = calendar.LocalDateTime(now).Hour;
        // Calls this hour and (if the day is old enough) two hours ago, none in the hour between.
        await PostAsync(new CallBuilder($"hour-now-{Guid.NewGuid():N}", now.AddMinutes(-1)).Started(from: "+13125550721", to: BayviewCarsLine).Answered("201", 5).Ended(30, CallEndedBy.Agent));
        var earlier = hour >= 2 ? now.AddHours(-2) : (DateTimeOffset?)null;
        if (earlier is { } at)
        {
            await PostAsync(new CallBuilder($"hour-before-{Guid.NewGuid():N}", at).Started(from: "+13125550722", to: BayviewCarsLine).Ended(40));
        }

        var report = (await app.Services.GetRequiredService<MetricsReports>().ComputeAsync([MetricsWindow.Today], store.Id, CancellationToken.None)).Single();
        Assert.All(report.Series.Where(p => p.Offered == 0), p => Assert.Null(p.AnswerRate));

        var account = TestAccounts.DemoOf(app, "Manager", store.Id);
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1600, Height = 1000 } });
        var page = await context.NewPageAsync();
        await TestAccounts.SignInAsync(page, account.Email, account.Password, returnUrl: $"/manager?store={store.Id}");
        await Expect(page.Locator("#row-offered td").Nth(1)).ToHaveTextAsync(report.Store.Offered.ToString(CultureInfo.InvariantCulture));

        // The line is drawn only through hours that have a rate: no point sits at 0 % for an empty hour.
        await page.ScreenshotAsync(new() { Path = Shot("manager-answer-rate-by-hour.png"), FullPage = true });
        var pointsAt = await page.Locator("#chart-answer-rate svg circle").EvaluateAllAsync<string[]>("cs => [...new Set(cs.map(c => c.getAttribute('cx')))]");
        Assert.Equal(report.Series.Count(p => p.AnswerRate is not null), pointsAt.Length);
        return;

        async Task PostAsync(CallBuilder call) => (await _ingest.PostEventsAsync(call.Events)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task The_tv_counts_a_call_as_answered_from_the_moment_it_is_answered()
    {
        var store = _ingest.Credentials.Stores[1];
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1920, Height = 1080 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(_ingest.Credentials.DisplayLinks!.First(l => l.StoreId == store.Id).Url).PathAndQuery.TrimStart('/'));
        await TvBrowserTests.WaitUntilLiveAsync(page);
        var before = (await app.Services.GetRequiredService<LiveBoard>().RefreshAsync(new BoardKey(store.Id, Department.Sales), BoardAudience.PublicScreen, CancellationToken.None))!.AnswerRate;

        var now = DateTimeOffset.UtcNow;
        (await _ingest.PostEventsAsync(new CallBuilder($"tv-talking-{Guid.NewGuid():N}", now.AddSeconds(-40)).Started(from: "+13125550731", to: BayviewCarsLine).Ringing("202", 1).Answered("202", 8).Events))
            .EnsureSuccessStatusCode();

        await Expect(page.Locator("#tv-ticker")).ToContainTextAsync("Answered by Ryan O'Neill");
        await Expect(page.Locator("#answer-rate-counts")).ToHaveTextAsync($"{before.Answered + 1} of {before.Counted + 1} calls answered");
        await page.ScreenshotAsync(new() { Path = Shot("tv-answered-now.png") });
    }

    private async Task LogAttemptAsync(HttpClient manager, int store, string caller, object attempt)
    {
        var id = await CallbackOfAsync(manager, store, caller);
        var response = await manager.PostAsync($"api/v1/callbacks/{id}/attempts", JsonContent.Create(attempt));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    // Waits, without sleeping, for the call-back of the caller: it looks again on each call-back change.
    private async Task<long> CallbackOfAsync(HttpClient manager, int store, string caller)
    {
        var signal = new SemaphoreSlim(0);
        using var subscription = app.Services.GetRequiredService<ICallbackChangeNotifier>().Subscribe(_ =>
        {
            signal.Release();
            return ValueTask.CompletedTask;
        });
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = await manager.GetFromJsonAsync<JsonElement>($"api/v1/callbacks?store={store}&status=all");
            foreach (var item in list.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("caller").GetString() == caller))
            {
                return item.GetProperty("id").GetInt64();
            }

            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero || !await signal.WaitAsync(left))
            {
                throw new TimeoutException($"No call-back for {caller}: {list}");
            }
        }
    }

    private static string Shot(string name)
    {
        Directory.CreateDirectory(ChromiumFixture.ScreenshotDirectory);
        return Path.Combine(ChromiumFixture.ScreenshotDirectory, name);
    }
}
