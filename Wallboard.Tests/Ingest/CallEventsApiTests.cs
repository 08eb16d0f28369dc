using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Ingest;

/// <summary>POST /api/v1/call-events on a real port, into real SQLite (§8, §9, §11).</summary>
public abstract class CallEventsApiTests(WallboardAppFactory app)
{
    public sealed class OnSqlite(WallboardAppFactory app) : CallEventsApiTests(app), IClassFixture<WallboardAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory app) : CallEventsApiTests(app), IClassFixture<PostgresAppFactory>;

    private readonly SignedIngestClient _client = new(app);

    // Lakeside Toyota's Cars.com number in the demo seed.
    private const string CarsComNumber = "+16305550104";

    private static CallBuilder Call(string id) => new(id, DateTimeOffset.UtcNow.AddMinutes(-10));

    private async Task<Call?> StoredCallAsync(string externalId)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await db.Calls.Include(c => c.Rings).SingleOrDefaultAsync(c => c.ExternalId == externalId);
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>())!;

    [Fact]
    public async Task Signed_batch_is_stored_and_becomes_a_call_with_its_outcome()
    {
        var events = Call("api-connected").Started(from: "(312) 555-0142", to: CarsComNumber).Queued()
            .Ringing("101", 1).RingNoAnswer("101", 16).Ringing("102", 16).Answered("102", 30).Ended(200).Events;

        var response = await _client.PostEventsAsync(events);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await JsonOf(response);
        Assert.Equal(events.Count, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(0, answer.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, answer.GetProperty("rejected").GetArrayLength());

        var call = await StoredCallAsync("api-connected");
        Assert.NotNull(call);
        Assert.Equal(CallOutcome.Connected, call.Outcome);
        Assert.Equal(30, call.WaitSeconds);
        Assert.Equal("+13125550142", call.CallerE164);
        Assert.Equal(Department.Sales, call.Department);
        Assert.NotNull(call.LeadSourceId);
        Assert.NotNull(call.AnsweredBySalespersonId); // extension 102 is a demo salesperson
        Assert.Equal(2, call.Rings.Count);
    }

    [Fact]
    public async Task Repeated_events_are_acknowledged_as_duplicates_and_change_nothing()
    {
        var events = Call("api-dup").Started(to: CarsComNumber).Ended(40).Events;
        await _client.PostEventsAsync(events);

        var again = await _client.PostEventsAsync(events);

        var answer = await JsonOf(again);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(0, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(events.Count, answer.GetProperty("duplicates").GetInt32());
        Assert.Equal(events.Count, (await StoredCallAsync("api-dup"))!.EventCount);
    }

    [Fact]
    public async Task Events_arriving_out_of_order_in_separate_requests_give_the_right_call()
    {
        var events = Call("api-late").Started(to: CarsComNumber).Answered("101", 12).HoldStarted(40).Ended(90).Events;

        // The end first, then the start, then the rest.
        await _client.PostEventsAsync([events[3]]);
        // Seen alone, the end opens and closes the call at once (§4: first event seen = start).
        Assert.Equal(CallOutcome.ShortAbandon, (await StoredCallAsync("api-late"))!.Outcome);
        await _client.PostEventsAsync([events[0]]);
        await _client.PostEventsAsync([events[2], events[1]]);

        var call = await StoredCallAsync("api-late");
        Assert.Equal(CallOutcome.AbandonedOnHold, call!.Outcome);
        Assert.Equal(12, call.WaitSeconds);
        Assert.Equal(50, call.HoldSeconds);
    }

    [Fact]
    public async Task Bad_events_in_a_batch_are_refused_one_by_one_and_the_good_ones_kept()
    {
        var good = Call("api-mixed").Started(to: CarsComNumber).Ended(30).Events;
        var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        var body = $$"""
            [
              {{CallEventJson(good[0])}},
              {"eventId": "x1", "callId": "api-mixed", "type": "call.teleported", "at": "{{at}}"},
              {"eventId": "x2", "callId": "api-mixed", "type": "call.answered", "at": "{{at}}"},
              {"eventId": 7, "callId": "api-mixed", "type": "call.ended", "at": "{{at}}"},
              {"eventId": "x4", "callId": "api-mixed", "type": "call.ended", "at": "2026-11-27 10:00"},
              {"eventId": "x5", "callId": "api-mixed", "type": "call.ended", "at": "{{at}}", "colour": "red"},
              {"eventId": "x6", "callId": "api-mixed", "type": "call.ended", "at": "{{DateTimeOffset.UtcNow.AddHours(2):O}}"},
              {"eventId": "x7", "callId": "api-mixed", "type": "call.ended", "at": "2020-01-01T00:00:00Z"},
              "not an event",
              {{CallEventJson(good[1])}}
            ]
            """;

        var response = await _client.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await JsonOf(response);
        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        var rejected = answer.GetProperty("rejected").EnumerateArray()
            .ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty("error").GetString()!);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], rejected.Keys.Order());
        Assert.Contains("Unknown event type 'call.teleported'", rejected[1], StringComparison.Ordinal);
        Assert.Contains("needs 'agent'", rejected[2], StringComparison.Ordinal);
        Assert.Contains("'eventId' must be a string", rejected[3], StringComparison.Ordinal);
        Assert.Contains("with an offset", rejected[4], StringComparison.Ordinal);
        Assert.Contains("Unknown field 'colour'", rejected[5], StringComparison.Ordinal);
        Assert.Contains("in the future", rejected[6], StringComparison.Ordinal);
        Assert.Contains("days old", rejected[7], StringComparison.Ordinal);
        Assert.Contains("must be a JSON object", rejected[8], StringComparison.Ordinal);
        Assert.Equal(CallOutcome.Abandoned, (await StoredCallAsync("api-mixed"))!.Outcome);
    }

    [Fact]
    public async Task A_single_refused_event_is_a_problem_with_the_reason()
    {
        var response = await _client.PostAsync("""{"eventId": "solo", "callId": "c", "type": "call.started"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonOf(response);
        Assert.Equal("'at' is required.", problem.GetProperty("detail").GetString());
        Assert.Equal(0, problem.GetProperty("rejected")[0].GetProperty("index").GetInt32());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[1, 2")]
    [InlineData("\"just a string\"")]
    [InlineData("[]")]
    public async Task Body_that_is_not_an_event_or_a_batch_is_a_400_problem(string body)
    {
        var response = await _client.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Wrong_secret_unknown_integration_old_timestamp_and_missing_signature_are_401()
    {
        var body = "[" + CallEventJson(Call("api-auth").Started().Events[0]) + "]";

        var wrongSecret = await _client.PostAsync(body, secret: "not-the-secret");
        var unknown = await _client.PostAsync(body, integration: "999");
        var notANumber = await _client.PostAsync(body, integration: "pbx");
        var old = await _client.PostAsync(body, unixSeconds: DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeSeconds());
        var future = await _client.PostAsync(body, unixSeconds: DateTimeOffset.UtcNow.AddMinutes(6).ToUnixTimeSeconds());
        var unsigned = await _client.Http.PostAsync("api/v1/call-events", new StringContent(body));

        foreach (var response in (HttpResponseMessage[])[wrongSecret, unknown, notANumber, old, future, unsigned])
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Null(await StoredCallAsync("api-auth"));
    }

    [Fact]
    public async Task Body_signed_for_other_content_is_refused()
    {
        var body = System.Text.Encoding.UTF8.GetBytes("[" + CallEventJson(Call("api-tamper").Started().Events[0]) + "]");
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/call-events")
        {
            Content = new StringContent("[" + CallEventJson(Call("api-tamper-2").Started().Events[0]) + "]"),
        };
        request.Headers.Add("X-Wallboard-Integration", _client.IntegrationId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("X-Wallboard-Signature", Web.Ingest.RequestSignature.Sign(_client.Credentials.Integration.Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));

        var response = await _client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await StoredCallAsync("api-tamper-2"));
    }

    [Fact]
    public async Task Oversize_body_and_oversize_batch_are_413()
    {
        var huge = new byte[1024 * 1024 + 1];
        Array.Fill(huge, (byte)' ');
        var events = Enumerable.Range(0, 1001).Select(i => Call($"api-big-{i}").Started().Events[0]);

        var tooLarge = await _client.PostAsync(huge);
        var tooMany = await _client.PostEventsAsync(events);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.Contains("1,000", (await JsonOf(tooMany)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await StoredCallAsync("api-big-0"));
    }

    [Fact]
    public async Task Concurrent_requests_all_land_and_nothing_is_lost()
    {
        const int Requests = 40;
        const int CallsPerRequest = 5;
        var posts = Enumerable.Range(0, Requests).Select(r =>
        {
            var events = Enumerable.Range(0, CallsPerRequest)
                .SelectMany(c => Call($"api-burst-{r}-{c}").Started(to: CarsComNumber).Answered("101", 5).Ended(60).Events);
            return _client.PostEventsAsync(events);
        }).ToList();

        var responses = await Task.WhenAll(posts);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var accepted = 0;
        foreach (var response in responses)
        {
            accepted += (await JsonOf(response)).GetProperty("accepted").GetInt32();
        }

        Assert.Equal(Requests * CallsPerRequest * 3, accepted);
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(Requests * CallsPerRequest, await db.Calls.CountAsync(c => c.ExternalId.StartsWith("api-burst-") && c.Outcome == CallOutcome.Connected));
        Assert.Equal(Requests * CallsPerRequest * 3, await db.CallEvents.CountAsync(e => e.CallId.StartsWith("api-burst-")));
    }

    [Fact]
    public async Task Call_to_an_unknown_number_belongs_to_source_unknown_of_the_integrations_store()
    {
        await _client.PostEventsAsync(Call("api-unknown-number").Started(to: "+19995550100").Ended(20).Events);

        var call = await StoredCallAsync("api-unknown-number");
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var source = await db.LeadSources.SingleAsync(s => s.Id == call!.LeadSourceId);
        Assert.Equal(LeadSource.UnknownName, source.Name);
        Assert.Equal(_client.Credentials.Stores[0].Id, call!.StoreId);
        Assert.Null(call.TrackingNumberId);
    }

    private static string CallEventJson(CallEvent e) => Web.Ingest.CallEventJson.Serialize(e);
}
