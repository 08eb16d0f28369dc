using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Wallboard.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;

namespace Wallboard.Tests.Ingest;

/// <summary>Posts to the ingest API as the demo integration would, signed with its secret from the credentials file.</summary>
internal sealed class SignedIngestClient
{
    private readonly HttpClient _http;

    public SignedIngestClient(WallboardAppFactory app)
        : this(app.BaseAddress, app.DataDirectory)
    {
    }

    /// <summary>A client of an app at an address (another process, a load balancer) whose data folder holds the demo's credentials.</summary>
    public SignedIngestClient(Uri baseAddress, string dataDirectory)
    {
        _http = CookielessClient(baseAddress);
        var json = File.ReadAllText(Path.Combine(dataDirectory, DemoSeeder.CredentialsFileName));
        Credentials = JsonSerializer.Deserialize<DemoCredentials>(json, JsonSerializerOptions.Web)!;
    }

    public DemoCredentials Credentials { get; }

    // No cookies: behind a balancer every request is routed afresh, none sticks to a node.
    private static HttpClient CookielessClient(Uri baseAddress) =>
        new(new HttpClientHandler { UseCookies = false }) { BaseAddress = baseAddress };

    public int IntegrationId => Credentials.Integration.Id;

    public Task<HttpResponseMessage> PostEventsAsync(IEnumerable<CallEvent> events) =>
        PostAsync("[" + string.Join(",", events.Select(CallEventJson.Serialize)) + "]");

    public Task<HttpResponseMessage> PostAsync(string body, string? secret = null, long? unixSeconds = null, string? integration = null) =>
        PostAsync(Encoding.UTF8.GetBytes(body), secret, unixSeconds, integration);

    public Task<HttpResponseMessage> PostAsync(byte[] body, string? secret = null, long? unixSeconds = null, string? integration = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/call-events") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(RequestSignature.IntegrationHeader, integration ?? IntegrationId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(RequestSignature.SignatureHeader, RequestSignature.Sign(
            secret ?? Credentials.Integration.Secret,
            unixSeconds ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            body));
        return _http.SendAsync(request);
    }

    public HttpClient Http => _http;
}
