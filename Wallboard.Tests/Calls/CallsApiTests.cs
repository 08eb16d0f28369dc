using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;

namespace Wallboard.Tests.Calls;

public class CallsApiTests(WallboardAppFactory app) : IClassFixture<WallboardAppFactory>
{
    private readonly SignedIngestClient _ingest = new(app);

    private HttpClient As(string? token)
    {
        var http = app.CreateHttpClient();
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    private string ManagerOf(int store) => _ingest.Credentials.ApiTokens.Single(t => t.Role == "Manager" && t.StoreId == store).Token;

    private int Lakeside => _ingest.Credentials.Stores[0].Id;

    private int Bayview => _ingest.Credentials.Stores[1].Id;

    [Fact]
    public async Task A_caller_who_may_see_one_store_need_not_name_it_and_one_with_a_choice_is_asked()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        await _ingest.PostEventsAsync(new CallBuilder("one-store-missed", start).Started(from: "3125550131", to: "+16305550104").Ended(45).Events);
        var manager = As(ManagerOf(Lakeside));

        var named = await manager.GetStringAsync($"api/v1/calls?store={Lakeside}");
        var unnamed = await manager.GetAsync("api/v1/calls");
        Assert.Equal(HttpStatusCode.OK, unnamed.StatusCode);
        Assert.Equal(named, await unnamed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("api/v1/calls.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("api/v1/callbacks")).StatusCode);

        // A regional manager sees both stores: asked which.
        var regional = Wallboard.Tests.Auth.TestAccounts.Demo(app).First(a => a.Role == "Manager" && a.Stores.Count > 1);
        using var signedIn = await Wallboard.Tests.Auth.TestAccounts.SignedInAsync(app, regional.Email, regional.Password);
        foreach (var path in (string[])["api/v1/calls", "api/v1/calls.csv", "api/v1/callbacks"])
        {
            var asked = await signedIn.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, asked.StatusCode);
            Assert.Contains("Say which store.", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Manager_lists_the_stores_calls_with_outcomes_waits_and_talk_times_newest_first()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        await _ingest.PostEventsAsync(new CallBuilder("list-answered", start).Started(from: "3125550101", to: "+16305550104").Answered("101", 14).Ended(120).Events);
        await _ingest.PostEventsAsync(new CallBuilder("list-missed", start.AddMinutes(5)).Started(from: "3125550102", to: "+16305550104").Ended(45).Events);

        var page = await As(ManagerOf(Lakeside)).GetFromJsonAsync<JsonElement>($"api/v1/calls?store={Lakeside}&from={Uri.EscapeDataString(start.AddSeconds(-1).ToString("O"))}");

        var items = page.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("caller").GetString()!.StartsWith("+1312555010", StringComparison.Ordinal)).ToList();
        Assert.Equal(["+13125550102", "+13125550101"], items.Select(i => i.GetProperty("caller").GetString()));
        Assert.Equal("Abandoned", items[0].GetProperty("outcome").GetString());
        Assert.Equal("Connected", items[1].GetProperty("outcome").GetString());
        Assert.Equal(14, items[1].GetProperty("waitSeconds").GetInt32());
        Assert.Equal(106, items[1].GetProperty("talkSeconds").GetInt32());
        Assert.Equal("Cars.com", items[1].GetProperty("source").GetString());
        Assert.Equal("Mike Reynolds", items[1].GetProperty("answeredBy").GetString());

        var connectedOnly = await As(ManagerOf(Lakeside)).GetFromJsonAsync<JsonElement>($"api/v1/calls?store={Lakeside}&outcome=connected&pageSize=500");
        Assert.All(connectedOnly.GetProperty("items").EnumerateArray(), i => Assert.Equal("Connected", i.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Call_detail_has_its_path_and_every_event_in_time_order()
    {
        await _ingest.PostEventsAsync(new CallBuilder("detail-1", DateTimeOffset.UtcNow.AddMinutes(-20))
            .Started(to: "+16305550104").Ringing("101", 1).RingNoAnswer("101", 16).Ringing("102", 16).Answered("102", 25).HoldStarted(40).HoldEnded(70).Ended(200).Events);
        var page = await As(ManagerOf(Lakeside)).GetFromJsonAsync<JsonElement>($"api/v1/calls?store={Lakeside}&pageSize=500");
        var id = page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("talkSeconds").ValueKind == JsonValueKind.Number && i.GetProperty("holdSeconds").GetInt32() == 30).GetProperty("id").GetInt64();

        var detail = await As(ManagerOf(Lakeside)).GetFromJsonAsync<JsonElement>($"api/v1/calls/{id}");

        Assert.Equal(["Mike Reynolds", "Dana Whitfield"], detail.GetProperty("rings").EnumerateArray().Select(r => r.GetProperty("salesperson").GetString()));
        Assert.Equal(["NoAnswer", "Answered"], detail.GetProperty("rings").EnumerateArray().Select(r => r.GetProperty("result").GetString()));
        Assert.Single(detail.GetProperty("holds").EnumerateArray());
        Assert.Equal(8, detail.GetProperty("events").GetArrayLength());
        Assert.Equal("call.started", detail.GetProperty("events")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Reading_calls_needs_a_managers_token_for_that_store()
    {
        var salesperson = _ingest.Credentials.ApiTokens.First(t => t.Role == "Salesperson").Token;

        var anonymous = await As(null).GetAsync($"api/v1/calls?store={Lakeside}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await As("wbt_not-a-token").GetAsync($"api/v1/calls?store={Lakeside}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await As(salesperson).GetAsync($"api/v1/calls?store={Lakeside}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await As(ManagerOf(Lakeside)).GetAsync($"api/v1/calls?store={Bayview}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await As(ManagerOf(Lakeside)).GetAsync($"api/v1/calls?store={Lakeside}&outcome=Teleported")).StatusCode);

        var stores = await As(ManagerOf(Lakeside)).GetFromJsonAsync<JsonElement>("api/v1/stores");
        Assert.Equal([Lakeside], stores.EnumerateArray().Select(s => s.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task Pages_split_the_list_without_overlap()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        await _ingest.PostEventsAsync(Enumerable.Range(0, 7).SelectMany(i =>
            new CallBuilder($"page-{i}", start.AddMinutes(i)).Started(to: "+18135550110").Ended(30).Events));
        var manager = As(ManagerOf(Bayview));
        var range = $"store={Bayview}&from={Uri.EscapeDataString(start.AddSeconds(-1).ToString("O"))}&to={Uri.EscapeDataString(start.AddMinutes(7).ToString("O"))}";

        var first = await manager.GetFromJsonAsync<JsonElement>($"api/v1/calls?{range}&pageSize=3&page=1");
        var third = await manager.GetFromJsonAsync<JsonElement>($"api/v1/calls?{range}&pageSize=3&page=3");

        Assert.Equal(7, first.GetProperty("total").GetInt32());
        Assert.Equal(3, first.GetProperty("items").GetArrayLength());
        Assert.Equal(1, third.GetProperty("items").GetArrayLength());
    }
}
