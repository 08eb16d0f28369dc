using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Phones;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest.Twilio;
using Wallboard.Web.Admin;
using Wallboard.Web.Ingest;

namespace Wallboard.Tests.Ingest;

/// <summary>
/// The ingest rate limits on a real port with tight numbers (a burst of 3, 1 a second): the budget
/// spent is that of the integration whose secret signed the request, and refused requests have a
/// budget of their own.
/// </summary>
public sealed class IngestRateLimitTests(IngestRateLimitTests.TightLimitsApp app) : IClassFixture<IngestRateLimitTests.TightLimitsApp>
{
    private const int Burst = 3;

    // Enough posts to spend a burst of 3 at 1 a second even on a slow machine.
    private const int Flood = 20;

    private readonly SignedIngestClient _client = new(app);

    [Fact]
    public async Task Junk_naming_an_integration_cannot_spend_its_budget_and_is_slowed_down_on_its_own()
    {
        var body = "[" + CallEventJson.Serialize(new CallBuilder("limit-1", DateTimeOffset.UtcNow.AddMinutes(-1)).Started().Events[0]) + "]";
        var junk = new List<HttpStatusCode>();
        for (var i = 0; i < Flood; i++)
        {
            using var response = await _client.PostAsync(body, secret: "not-the-secret");
            junk.Add(response.StatusCode);
        }

        using var signed = await _client.PostAsync(body);

        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, junk[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, junk);
        Assert.All(junk, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, s.ToString()));
    }

    [Fact]
    public async Task Each_Twilio_integration_has_its_own_budget()
    {
        const string secondToken = "0123456789abcdef0123456789abcdef";
        var created = await app.Services.GetRequiredService<IntegrationsAdminService>().CreateAsync(
            "admin@lakeside.example", "Second Twilio account", IntegrationKind.Twilio, _client.Credentials.Stores[1].Id, secondToken, default);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Values));

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < Flood && !first.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            using var response = await PostTwilioAsync(_client.Credentials.Twilio.Id, _client.Credentials.Twilio.AuthToken, i);
            first.Add(response.StatusCode);
        }

        // A whole burst, at once: one shared bucket would have refilled by one request a second at most.
        var second = new List<HttpStatusCode>();
        for (var i = 0; i < Burst; i++)
        {
            using var response = await PostTwilioAsync(created.Value!.IntegrationId, secondToken, 100 + i);
            second.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, first[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, first[^1]);
        Assert.All(second, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    private Task<HttpResponseMessage> PostTwilioAsync(int integrationId, string token, int n) =>
        TwilioCallbacks.PostAsync(_client.Http, app.BaseAddress, integrationId, token,
            TwilioCallbacks.Completed(string.Create(CultureInfo.InvariantCulture, $"CA{integrationId:D4}{n:D28}")));

    public sealed class TightLimitsApp : WallboardAppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Wallboard:Ingest:RequestsPerSecond"] = "1",
            ["Wallboard:Ingest:BurstRequests"] = Burst.ToString(CultureInfo.InvariantCulture),
            ["Wallboard:Ingest:RefusedRequestsPerSecond"] = "1",
            ["Wallboard:Ingest:RefusedBurstRequests"] = Burst.ToString(CultureInfo.InvariantCulture),
        };
    }
}
