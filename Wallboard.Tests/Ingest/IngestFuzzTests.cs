using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;

namespace Wallboard.Tests.Ingest;

/// <summary>
/// Thousands of generated bad bodies, correctly signed so they reach the parser: none may be a
/// 5xx, each gets a problem or a per-event refusal, and what was accepted before is still there.
/// </summary>
public abstract class IngestFuzzTests(WallboardAppFactory app)
{
    public sealed class OnSqlite(WallboardAppFactory app) : IngestFuzzTests(app), IClassFixture<WallboardAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory app) : IngestFuzzTests(app), IClassFixture<PostgresAppFactory>;

    private const int Bodies = 2_000;

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "false", "0", "-1", "1e309", "\"eventId\"", "\"callId\"",
        "\"type\"", "\"at\"", "\"call.started\"", "\"call.ended\"", "\"2026-11-27T10:00:00Z\"", "\"\\u0000\"", "\"é\"",
        "\"from\"", "\"ringSeconds\"", "\"messageLeft\"", "\"endedBy\"", "\"agent\"", "{}", "[]", " ", "\n", "9999999999999999999999",
    ];

    private static readonly string[] Fields = ["eventId", "callId", "type", "at", "from", "to", "agent", "ringSeconds", "messageLeft", "endedBy", "group", "x"];

    private static readonly string[] Values =
    [
        "null", "1", "-5", "1.5e3", "true", "\"\"", "\"call.started\"", "\"call.answered\"", "\"call.nope\"", "\"2026-11-27T10:00:00\"",
        "\"yesterday\"", "[]", "{}", "\"caller\"", "\"robot\"", "\"" + new string('x', 300) + "\"", "\"+1 (312) 555-0142\"",
    ];

    private static string RandomBody(Random random)
    {
        switch (random.Next(3))
        {
            case 0:
                // Token soup: mostly not JSON at all.
                var soup = new StringBuilder();
                for (var i = random.Next(1, 30); i > 0; i--)
                {
                    soup.Append(Fragments[random.Next(Fragments.Length)]);
                }

                return soup.ToString();
            case 1:
                // JSON objects with plausible fields of the wrong types.
                var items = Enumerable.Range(0, random.Next(1, 6)).Select(_ =>
                    "{" + string.Join(",", Enumerable.Range(0, random.Next(0, 7))
                        .Select(_ => $"\"{Fields[random.Next(Fields.Length)]}\":{Values[random.Next(Values.Length)]}")
                        .DistinctBy(p => p[..p.IndexOf(':', StringComparison.Ordinal)])) + "}");
                return random.Next(2) == 0 ? "[" + string.Join(",", items) + "]" : items.First();
            default:
                // Deeply nested or truncated.
                var depth = random.Next(1, 100);
                var nested = new string('[', depth) + "{}" + new string(']', random.Next(0, depth + 1));
                return random.Next(2) == 0 ? nested : nested[..random.Next(nested.Length)];
        }
    }

    [Fact]
    public async Task Thousands_of_bad_bodies_never_cause_a_server_error_nor_lose_accepted_events()
    {
        var client = new SignedIngestClient(app);
        var accepted = new CallBuilder("fuzz-keeper", DateTimeOffset.UtcNow.AddMinutes(-5)).Started().Ended(30).Events;
        await client.PostEventsAsync(accepted);
        var random = new Random(27_11_2026);
        var statuses = new Dictionary<HttpStatusCode, int>();

        for (var i = 0; i < Bodies; i++)
        {
            var body = RandomBody(random);
            var response = await client.PostAsync(body);
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;

            Assert.True((int)response.StatusCode < 500, $"{response.StatusCode} for body: {body}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.BadRequest) > Bodies / 2);
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        Assert.Equal(accepted.Count, await db.CallEvents.CountAsync(e => e.CallId == "fuzz-keeper"));
    }

    [Fact]
    public async Task Requests_over_the_integrations_rate_are_told_to_slow_down()
    {
        await using var limited = new RateLimitedAppFactory { Provider = app.Provider };
        await limited.InitializeAsync();
        var client = new SignedIngestClient(limited);
        var body = "[" + CallEventJson.Serialize(new CallBuilder("rate-1", DateTimeOffset.UtcNow.AddMinutes(-1)).Started().Events[0]) + "]";

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            responses.Add(await client.PostAsync(body));
        }

        Assert.Equal(HttpStatusCode.OK, responses[0].StatusCode);
        var throttled = responses.FirstOrDefault(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.NotNull(throttled);
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(throttled.Headers.RetryAfter);
    }

    private sealed class RateLimitedAppFactory : WallboardAppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Wallboard:Ingest:RequestsPerSecond"] = "1",
            ["Wallboard:Ingest:BurstRequests"] = "2",
        };
    }
}
