using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Web.Auth;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Callbacks;

/// <summary>
/// The call-back API on the real app and a real port, fed through the signed ingest API as a phone
/// system would feed it. Each test uses its own caller numbers, so tests share one app.
/// </summary>
public abstract class CallbacksApiTests(WallboardAppFactory app)
{
    public sealed class OnSqlite(WallboardAppFactory app) : CallbacksApiTests(app), IClassFixture<WallboardAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory app) : CallbacksApiTests(app), IClassFixture<PostgresAppFactory>;

    private const string CarsComLine = "+16305550104";

    private readonly SignedIngestClient _ingest = new(app);

    private int Lakeside => _ingest.Credentials.Stores[0].Id;

    private int Bayview => _ingest.Credentials.Stores[1].Id;

    private string TokenOf(string name) => _ingest.Credentials.ApiTokens.Single(t => t.Name == name).Token;

    private string ManagerOf(int store) => _ingest.Credentials.ApiTokens.Single(t => t.Role == "Manager" && t.StoreId == store).Token;

    private HttpClient As(string? token)
    {
        var http = app.CreateHttpClient();
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task PostMissedAsync(string callId, string? from, DateTimeOffset start, string to = CarsComLine)
    {
        var response = await _ingest.PostEventsAsync(new CallBuilder(callId, start).Started(from: from, to: to).Queued().Ended(45).Events);
        response.EnsureSuccessStatusCode();
    }

    private async Task PostConnectedAsync(string callId, string from, DateTimeOffset start)
    {
        var response = await _ingest.PostEventsAsync(new CallBuilder(callId, start).Started(from: from, to: CarsComLine).Answered("101", 10).Ended(120).Events);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Waits, without sleeping, until the store's call-back list has an item that matches: it
    /// looks again each time the app publishes a call-back change.
    /// </summary>
    private async Task<JsonElement> EventuallyAsync(int store, Func<JsonElement, bool> match, string status = "all")
    {
        var signal = new SemaphoreSlim(0);
        using var subscription = app.Services.GetRequiredService<ICallbackChangeNotifier>()
            .Subscribe(_ => { signal.Release(); return ValueTask.CompletedTask; });
        var manager = As(ManagerOf(store));
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = await manager.GetFromJsonAsync<JsonElement>($"api/v1/callbacks?store={store}&status={status}");
            foreach (var item in list.GetProperty("items").EnumerateArray())
            {
                if (match(item))
                {
                    return item;
                }
            }

            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero || !await signal.WaitAsync(left))
            {
                throw new TimeoutException($"No call-back matched in store {store}: {list}");
            }
        }
    }

    private static Func<JsonElement, bool> Caller(string number) => item => item.GetProperty("caller").GetString() == number;

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Missed_call_through_ingest_becomes_a_call_back_that_a_salesperson_claims_and_completes_with_an_appointment()
    {
        await PostMissedAsync("api-flow-1", "(312) 555-0601", DateTimeOffset.UtcNow.AddMinutes(-3));

        var item = await EventuallyAsync(Lakeside, Caller("+13125550601"));
        Assert.Equal("Open", item.GetProperty("status").GetString());
        Assert.Equal("Cars.com", item.GetProperty("source").GetString());
        Assert.Equal("Cars.com listing", item.GetProperty("calledAbout").GetString());
        Assert.Equal(1, item.GetProperty("missedCalls").GetInt32());
        Assert.Equal("Sales", item.GetProperty("department").GetString());
        var id = item.GetProperty("id").GetInt64();

        var dana = As(TokenOf("Dana Whitfield"));
        var claimed = await (await dana.PostAsync($"api/v1/callbacks/{id}/claim", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Claimed", claimed.GetProperty("status").GetString());
        Assert.Equal("Dana Whitfield", claimed.GetProperty("claimedBy").GetString());

        var appointment = DateTimeOffset.UtcNow.AddDays(1);
        var response = await dana.PostAsync($"api/v1/callbacks/{id}/attempts", JsonContent.Create(new
        {
            outcome = "AppointmentSet",
            note = "Wants a test drive",
            appointmentAt = appointment,
            leadName = "Jordan Miles",
            vehicleOfInterest = "RAV4 Hybrid",
            heardAbout = "Cars.com",
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var done = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Completed", done.GetProperty("status").GetString());
        Assert.Equal("AppointmentSet", done.GetProperty("resolution").GetString());
        Assert.Equal("RAV4 Hybrid", done.GetProperty("vehicleOfInterest").GetString());

        var detail = await As(ManagerOf(Lakeside)).GetFromJsonAsync<JsonElement>($"api/v1/callbacks/{id}");
        Assert.Equal(["Created", "Claimed", "AttemptLogged"], detail.GetProperty("trail").EnumerateArray().Select(t => t.GetProperty("action").GetString()));
        Assert.Equal(["Wallboard", "Dana Whitfield", "Dana Whitfield"], detail.GetProperty("trail").EnumerateArray().Select(t => t.GetProperty("actor").GetString()));
        Assert.Equal("Wants a test drive", detail.GetProperty("attemptLog")[0].GetProperty("note").GetString());
        Assert.Equal("Abandoned", detail.GetProperty("missedCalls")[0].GetProperty("outcome").GetString());

        var active = await As(TokenOf("Dana Whitfield")).GetFromJsonAsync<JsonElement>("api/v1/callbacks");
        Assert.DoesNotContain(active.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task Twenty_simultaneous_claims_give_one_200_and_nineteen_409s_that_name_the_winner()
    {
        await PostMissedAsync("api-race-1", "+13125550602", DateTimeOffset.UtcNow.AddMinutes(-2));
        var id = (await EventuallyAsync(Lakeside, Caller("+13125550602"))).GetProperty("id").GetInt64();

        // Twenty salespeople of the store, each with a token of their own.
        var racers = new List<(string Name, string Token)>();
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            for (var i = 1; i <= 20; i++)
            {
                var person = new Salesperson { StoreId = Lakeside, Name = $"Racer {i:00}" };
                db.Salespeople.Add(person);
                await db.SaveChangesAsync();
                var (token, hash) = ApiToken.NewToken();
                db.ApiTokens.Add(new ApiToken { Name = person.Name, TokenHash = hash, Role = WallboardRole.Salesperson, StoreId = Lakeside, SalespersonId = person.Id, CreatedAt = DateTimeOffset.UtcNow });
                racers.Add((person.Name, token));
            }

            await db.SaveChangesAsync();
        }

        var clients = racers.Select(r => As(r.Token)).ToList();
        // Connections first, so the claims leave together rather than in connection order.
        await Task.WhenAll(clients.Select(c => c.GetAsync("health")));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var claims = clients.Select(async c =>
        {
            await start.Task;
            return await c.PostAsync($"api/v1/callbacks/{id}/claim", null);
        }).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(claims);

        var won = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var winner = (await won.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("claimedBy").GetString();
        Assert.StartsWith("Racer ", winner, StringComparison.Ordinal);
        var lost = responses.Where(r => r != won).ToList();
        Assert.Equal(19, lost.Count);
        foreach (var response in lost)
        {
            var problem = await ProblemAsync(response, HttpStatusCode.Conflict);
            Assert.Equal("Already claimed.", problem.GetProperty("title").GetString());
            Assert.Equal(winner, problem.GetProperty("claimedBy").GetProperty("name").GetString());
            Assert.Contains(winner!, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Caller_who_calls_again_and_is_connected_completes_the_call_back()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        await PostMissedAsync("api-again-1", "+13125550603", start);
        var id = (await EventuallyAsync(Lakeside, Caller("+13125550603"))).GetProperty("id").GetInt64();

        await PostConnectedAsync("api-again-2", "+13125550603", start.AddMinutes(5));

        var done = await EventuallyAsync(Lakeside, i => i.GetProperty("id").GetInt64() == id && i.GetProperty("status").GetString() == "Completed");
        Assert.Equal("CallerCalledBack", done.GetProperty("resolution").GetString());
        var detail = await As(ManagerOf(Lakeside)).GetFromJsonAsync<JsonElement>($"api/v1/callbacks/{id}");
        Assert.Equal("ResolvedByCaller", detail.GetProperty("trail").EnumerateArray().Last().GetProperty("action").GetString());
    }

    [Fact]
    public async Task Two_missed_calls_from_one_number_posted_at_once_make_one_call_back_counting_both()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-8);
        await Task.WhenAll(
            PostMissedAsync("api-twice-1", "+13125550604", start),
            PostMissedAsync("api-twice-2", "+13125550604", start.AddMinutes(2)));

        var item = await EventuallyAsync(Lakeside, i => i.GetProperty("caller").GetString() == "+13125550604" && i.GetProperty("missedCalls").GetInt32() == 2);

        var all = await As(ManagerOf(Lakeside)).GetFromJsonAsync<JsonElement>($"api/v1/callbacks?store={Lakeside}&status=all");
        Assert.Single(all.GetProperty("items").EnumerateArray(), i => i.GetProperty("caller").GetString() == "+13125550604");
        Assert.Equal(2, item.GetProperty("missedCalls").GetInt32());
    }

    [Fact]
    public async Task Withheld_caller_makes_a_no_number_call_back_that_only_a_manager_closes()
    {
        await PostMissedAsync("api-private-1", "anonymous", DateTimeOffset.UtcNow.AddMinutes(-4), to: "+18135550114");
        var item = await EventuallyAsync(Bayview, i => i.GetProperty("noNumber").GetBoolean() && i.GetProperty("status").GetString() == "Open");
        var id = item.GetProperty("id").GetInt64();
        Assert.Equal(JsonValueKind.Null, item.GetProperty("caller").ValueKind);

        var claim = await ProblemAsync(await As(TokenOf("Jasmine Carter")).PostAsync($"api/v1/callbacks/{id}/claim", null), HttpStatusCode.BadRequest);
        Assert.Contains("only a manager can close", claim.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await As(TokenOf("Jasmine Carter")).PostAsync($"api/v1/callbacks/{id}/close", Json("""{"reason":"Private"}""")), HttpStatusCode.Forbidden);

        var closed = await As(ManagerOf(Bayview)).PostAsync($"api/v1/callbacks/{id}/close", Json("""{"reason":"Private number, nothing to call"}"""));

        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        var body = await closed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Closed", body.GetProperty("status").GetString());
        Assert.Equal("Private number, nothing to call", body.GetProperty("closedReason").GetString());
    }

    [Fact]
    public async Task Salespeople_cannot_act_on_another_store_or_on_someone_elses_claim()
    {
        await PostMissedAsync("api-rights-1", "+13125550605", DateTimeOffset.UtcNow.AddMinutes(-5));
        var id = (await EventuallyAsync(Lakeside, Caller("+13125550605"))).GetProperty("id").GetInt64();
        var dana = As(TokenOf("Dana Whitfield"));
        var mike = As(TokenOf("Mike Reynolds"));
        Assert.Equal(HttpStatusCode.OK, (await dana.PostAsync($"api/v1/callbacks/{id}/claim", null)).StatusCode);

        var otherStore = await ProblemAsync(await As(TokenOf("Jasmine Carter")).PostAsync($"api/v1/callbacks/{id}/claim", null), HttpStatusCode.Forbidden);
        Assert.Equal("Not your store.", otherStore.GetProperty("title").GetString());
        await ProblemAsync(await As(TokenOf("Jasmine Carter")).GetAsync($"api/v1/callbacks?store={Lakeside}"), HttpStatusCode.Forbidden);
        await ProblemAsync(await As(ManagerOf(Bayview)).GetAsync($"api/v1/callbacks/{id}"), HttpStatusCode.Forbidden);

        var release = await ProblemAsync(await mike.PostAsync($"api/v1/callbacks/{id}/release", null), HttpStatusCode.Forbidden);
        Assert.Contains("Dana Whitfield", release.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await mike.PostAsync($"api/v1/callbacks/{id}/attempts", Json("""{"outcome":"Reached"}""")), HttpStatusCode.Forbidden);
        await ProblemAsync(await mike.PostAsync($"api/v1/callbacks/{id}/reassign", Json("""{"salespersonId":1}""")), HttpStatusCode.Forbidden);
        await ProblemAsync(await mike.PostAsync($"api/v1/callbacks/{id}/close", Json("""{"reason":"mine now"}""")), HttpStatusCode.Forbidden);

        // A showroom TV's display token reads the board, never call-backs (full numbers).
        var display = _ingest.Credentials.DisplayLinks!.Single(l => l.StoreId == Lakeside).Token;
        await ProblemAsync(await As(display).GetAsync($"api/v1/callbacks?store={Lakeside}"), HttpStatusCode.Forbidden);
        await ProblemAsync(await As(display).PostAsync($"api/v1/callbacks/{id}/claim", null), HttpStatusCode.Forbidden);
        await ProblemAsync(await As(null).GetAsync($"api/v1/callbacks?store={Lakeside}"), HttpStatusCode.Unauthorized);
        await ProblemAsync(await As(null).PostAsync($"api/v1/callbacks/{id}/claim", null), HttpStatusCode.Unauthorized);
        await ProblemAsync(await dana.PostAsync("api/v1/callbacks/999999/claim", null), HttpStatusCode.NotFound);

        // The owner releases; then anyone may claim.
        Assert.Equal(HttpStatusCode.OK, (await dana.PostAsync($"api/v1/callbacks/{id}/release", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await mike.PostAsync($"api/v1/callbacks/{id}/claim", null)).StatusCode);
    }

    [Fact]
    public async Task Manager_reassigns_a_claim_and_the_new_owner_may_act()
    {
        await PostMissedAsync("api-reassign-1", "+13125550606", DateTimeOffset.UtcNow.AddMinutes(-5));
        var id = (await EventuallyAsync(Lakeside, Caller("+13125550606"))).GetProperty("id").GetInt64();
        await As(TokenOf("Dana Whitfield")).PostAsync($"api/v1/callbacks/{id}/claim", null);
        var carlos = _ingest.Credentials.ApiTokens.Single(t => t.Name == "Carlos Mendez").SalespersonId;

        var response = await As(ManagerOf(Lakeside)).PostAsync($"api/v1/callbacks/{id}/reassign", JsonContent.Create(new { salespersonId = carlos, reason = "Carlos sold them their last car" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Carlos Mendez", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("claimedBy").GetString());
        await ProblemAsync(await As(TokenOf("Dana Whitfield")).PostAsync($"api/v1/callbacks/{id}/attempts", Json("""{"outcome":"Reached"}""")), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await As(TokenOf("Carlos Mendez")).PostAsync($"api/v1/callbacks/{id}/attempts", Json("""{"outcome":"Reached"}"""))).StatusCode);

        var unknown = await ProblemAsync(await As(ManagerOf(Lakeside)).PostAsync($"api/v1/callbacks/{id}/reassign", Json("""{"salespersonId":424242}""")), HttpStatusCode.Conflict);
        Assert.Contains("already completed", unknown.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_attempts_get_400_problems_with_reasons()
    {
        await PostMissedAsync("api-bad-1", "+13125550607", DateTimeOffset.UtcNow.AddMinutes(-5));
        var id = (await EventuallyAsync(Lakeside, Caller("+13125550607"))).GetProperty("id").GetInt64();
        var dana = As(TokenOf("Dana Whitfield"));
        var url = $"api/v1/callbacks/{id}/attempts";

        var noOutcome = await ProblemAsync(await dana.PostAsync(url, Json("""{"note":"hi"}""")), HttpStatusCode.BadRequest);
        Assert.True(noOutcome.GetProperty("errors").TryGetProperty("outcome", out _));
        var unknown = await ProblemAsync(await dana.PostAsync(url, Json("""{"outcome":"Teleported"}""")), HttpStatusCode.BadRequest);
        Assert.Contains("Teleported", unknown.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var noTime = await ProblemAsync(await dana.PostAsync(url, Json("""{"outcome":"AppointmentSet"}""")), HttpStatusCode.BadRequest);
        Assert.Equal("An appointment needs its date and time.", noTime.GetProperty("errors").GetProperty("appointmentAt")[0].GetString());
        var badTime = await ProblemAsync(await dana.PostAsync(url, Json("""{"outcome":"AppointmentSet","appointmentAt":"tomorrow"}""")), HttpStatusCode.BadRequest);
        Assert.Contains("appointmentAt", badTime.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await dana.PostAsync(url, Json("{not json")), HttpStatusCode.BadRequest);
        await ProblemAsync(await dana.PostAsync(url, Json("")), HttpStatusCode.BadRequest);
        await ProblemAsync(await dana.PostAsync(url, Json(new string('x', CallbacksEndpoints.MaxBodyBytes + 1))), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(HttpStatusCode.OK, (await dana.PostAsync(url, Json("""{"outcome":"LeftVoicemail","note":"Left my cell"}"""))).StatusCode);
        var second = await ProblemAsync(await dana.PostAsync(url, Json("""{"outcome":"leftvoicemail"}""")), HttpStatusCode.BadRequest);
        Assert.Contains("at most one voicemail a day", second.GetProperty("errors").GetProperty("outcome")[0].GetString(), StringComparison.Ordinal);

        var noAnswer = await dana.PostAsync(url, Json("""{"outcome":"NoAnswer"}"""));
        Assert.Equal(HttpStatusCode.OK, noAnswer.StatusCode);
        Assert.Equal(2, (await noAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task List_filters_by_status_and_refuses_unknown_ones()
    {
        await PostMissedAsync("api-list-1", "+13125550608", DateTimeOffset.UtcNow.AddMinutes(-5));
        var id = (await EventuallyAsync(Lakeside, Caller("+13125550608"))).GetProperty("id").GetInt64();
        var manager = As(ManagerOf(Lakeside));

        var open = await manager.GetFromJsonAsync<JsonElement>($"api/v1/callbacks?store={Lakeside}&status=open");
        Assert.Contains(open.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == id);
        Assert.All(open.GetProperty("items").EnumerateArray(), i => Assert.Equal("Open", i.GetProperty("status").GetString()));
        var completed = await manager.GetFromJsonAsync<JsonElement>($"api/v1/callbacks?store={Lakeside}&status=Completed,Closed");
        Assert.DoesNotContain(completed.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == id);

        var bad = await ProblemAsync(await manager.GetAsync($"api/v1/callbacks?store={Lakeside}&status=lost"), HttpStatusCode.BadRequest);
        Assert.Contains("'lost'", bad.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
