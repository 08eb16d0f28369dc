using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Wallboard.Domain.Calls;
using Wallboard.Web.Ingest;

namespace Wallboard.Bench.Load;

/// <summary>What one post came back with.</summary>
internal readonly record struct PostOutcome(HttpStatusCode? Status, int Accepted, int Duplicates, int Rejected, string? Error)
{
    public bool IsSuccess => Status == HttpStatusCode.OK;
}

/// <summary>
/// Posts events to <c>POST /api/v1/call-events</c> as an integration does (DESIGN.md §11): the
/// body is the §4 JSON the app itself writes, signed with the app's own <see cref="RequestSignature"/>.
/// </summary>
internal sealed class SignedPoster(HttpClient http, int integrationId, string secret)
{
    private static readonly Uri Endpoint = new("api/v1/call-events", UriKind.Relative);
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>An HTTP client for <paramref name="connections"/> concurrent requests to one server.</summary>
    public static HttpClient CreateClient(Uri baseAddress, int connections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>One event as an object, or several as an array (a batch).</summary>
    public static byte[] Body(IReadOnlyList<CallEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        using var stream = new MemoryStream(events.Count * 256);
        using (var writer = new Utf8JsonWriter(stream))
        {
            if (events.Count == 1)
            {
                CallEventJson.Write(writer, events[0]);
            }
            else
            {
                writer.WriteStartArray();
                foreach (var e in events)
                {
                    CallEventJson.Write(writer, e);
                }

                writer.WriteEndArray();
            }
        }

        return stream.ToArray();
    }

    public async Task<PostOutcome> PostAsync(IReadOnlyList<CallEvent> events, CancellationToken ct)
    {
        var body = Body(events);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Add(RequestSignature.IntegrationHeader, integrationId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(RequestSignature.SignatureHeader, RequestSignature.Sign(secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new PostOutcome(response.StatusCode, 0, 0, 0, text.Length > 300 ? text[..300] : text);
            }

            using var answer = JsonDocument.Parse(text);
            var root = answer.RootElement;
            return new PostOutcome(
                response.StatusCode,
                root.GetProperty("accepted").GetInt32(),
                root.GetProperty("duplicates").GetInt32(),
                root.GetProperty("rejected").GetArrayLength(),
                null);
        }
        catch (HttpRequestException ex)
        {
            return new PostOutcome(null, 0, 0, 0, ex.Message);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            return new PostOutcome(null, 0, 0, 0, "timed out: " + ex.Message);
        }
    }
}
