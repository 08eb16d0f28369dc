using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace Wallboard.Web.Ingest.Replay;

/// <summary>One refusal the server explained: which record of the chunk, and why.</summary>
public sealed record ReplayRejection(int? Index, string Error);

/// <summary>What the server made of one chunk (§11): the answer's counts.</summary>
public sealed record ReplayAnswer(int Accepted, int Duplicates, int Rejected, int Ignored, IReadOnlyList<ReplayRejection> Rejections)
{
    /// <summary>
    /// Reads an ingest answer: <c>accepted</c> and <c>duplicates</c> numbers, <c>rejected</c> as
    /// a list of <c>{index, error}</c> (or a count), and, from the queue-log endpoint, <c>ignored</c>
    /// (a count or a list). The same fields in a 400 problem (every event refused) count too.
    /// Null when the body is not such an answer.
    /// </summary>
    public static ReplayAnswer? TryRead(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !TryCount(root, "accepted", out var accepted))
            {
                return null;
            }

            TryCount(root, "duplicates", out var duplicates);
            TryCount(root, "rejected", out var rejected);
            TryCount(root, "ignored", out var ignored);
            var rejections = new List<ReplayRejection>();
            if (root.TryGetProperty("rejected", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    rejections.Add(ReadRejection(item));
                }
            }

            return new ReplayAnswer(accepted, duplicates, rejected, ignored, rejections);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryCount(JsonElement root, string name, out int count)
    {
        count = 0;
        if (!root.TryGetProperty(name, out var value))
        {
            return false;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetInt32(out count):
                return true;
            case JsonValueKind.Array:
                count = value.GetArrayLength();
                return true;
            default:
                return false;
        }
    }

    private static ReplayRejection ReadRejection(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new ReplayRejection(null, item.ToString());
        }

        int? index = null;
        if (item.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var zeroBased))
        {
            index = zeroBased;
        }
        else if (item.TryGetProperty("line", out var l) && l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out var oneBased))
        {
            // The queue-log endpoint counts lines of the posted text from 1.
            index = oneBased - 1;
        }

        var error = item.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : item.ToString();
        return new ReplayRejection(index, error);
    }
}

/// <summary>Why a replay stops: an exit code and a message a person can act on.</summary>
public sealed class ReplayFailedException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// Posts chunks to the ingest API, signed as the integration (§11), and reads the answers. A
/// 429 is waited out as its Retry-After says and the same chunk sent again, a bounded number of
/// times; everything else that is not an answer stops the replay with a clear reason.
/// </summary>
public sealed class ReplayClient(HttpClient http, ReplayOptions options, TimeProvider time)
{
    private static readonly string[] ProblemFields = ["title", "detail"];

    /// <summary>Tries per chunk while the server says 429.</summary>
    public const int MaxAttempts = 10;

    /// <summary>The longest wait for a Retry-After, whatever the server asks.</summary>
    public static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(60);

    /// <summary>429 answers waited out so far.</summary>
    public int RateLimited { get; private set; }

    public async Task<ReplayAnswer> PostAsync(byte[] body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        for (var attempt = 1; ; attempt++)
        {
            using var response = await SendAsync(body, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                if (attempt >= MaxAttempts)
                {
                    throw new ReplayFailedException(ReplayExitCodes.Refused,
                        $"The server still limits the rate (429) after {MaxAttempts} tries of the same chunk; try a larger --batch or a lower --speed.");
                }

                RateLimited++;
                var wait = RetryWait(response.Headers.RetryAfter, attempt, time.GetUtcNow());
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, ct);
                }

                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return ReplayAnswer.TryRead(text)
                    ?? throw new ReplayFailedException(ReplayExitCodes.Refused,
                        $"{options.Endpoint} answered {status} but not with the ingest API's counts; is --url a Wallboard server? {Excerpt(text)}");
            }

            // Every event of the chunk refused: a 400 whose problem still carries the counts.
            if (status == 400 && ReplayAnswer.TryRead(text) is { } refused)
            {
                return refused;
            }

            throw status switch
            {
                401 or 403 => new ReplayFailedException(ReplayExitCodes.Unauthorized,
                    $"The server refused the signature ({status}): check --integration {options.IntegrationId} and --secret. {Detail(text)}"),
                413 => new ReplayFailedException(ReplayExitCodes.Refused,
                    $"The server found a request too large (413); try a smaller --batch. {Detail(text)}"),
                404 => new ReplayFailedException(ReplayExitCodes.Refused,
                    $"{options.Endpoint} is not there (404): check --url and --integration. {Detail(text)}"),
                >= 500 => new ReplayFailedException(ReplayExitCodes.ServerError,
                    $"The server failed ({status} {response.ReasonPhrase}). {Detail(text)}"),
                _ => new ReplayFailedException(ReplayExitCodes.Refused,
                    $"The server refused the request ({status} {response.ReasonPhrase}). {Detail(text)}"),
            };
        }
    }

    /// <summary>How long to wait after a 429: the server's Retry-After (seconds or a date), else 1, 2, 4… seconds.</summary>
    public static TimeSpan RetryWait(RetryConditionHeaderValue? retryAfter, int attempt, DateTimeOffset now)
    {
        var wait = retryAfter?.Delta
            ?? (retryAfter?.Date is { } date ? date - now : (TimeSpan?)null)
            ?? TimeSpan.FromSeconds(Math.Pow(2, Math.Min(attempt - 1, 6)));
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxRetryWait ? MaxRetryWait : wait;
    }

    private async Task<HttpResponseMessage> SendAsync(byte[] body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Endpoint);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(
            options.Format == ReplayFormat.Jsonl ? "application/json" : "text/plain") { CharSet = "utf-8" };
        request.Headers.Add(RequestSignature.IntegrationHeader, options.IntegrationId.ToString(CultureInfo.InvariantCulture));
        // Signed at the moment of sending, each try afresh: the server refuses old signatures.
        request.Headers.Add(RequestSignature.SignatureHeader, RequestSignature.Sign(options.Secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket ? socket.Message : ex.Message;
            throw new ReplayFailedException(ReplayExitCodes.Unreachable, $"Cannot reach {options.BaseUrl}: {reason}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ReplayFailedException(ReplayExitCodes.Unreachable,
                $"{options.BaseUrl} did not answer within {http.Timeout.TotalSeconds:0} seconds.");
        }
    }

    // A problem's title and detail (RFC 9457), or the start of whatever else came back.
    private static string Detail(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                var parts = ProblemFields
                    .Select(n => json.RootElement.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null)
                    .OfType<string>();
                return string.Join(" ", parts);
            }
        }
        catch (JsonException)
        {
            // Not a problem document.
        }

        return Excerpt(body);
    }

    private static string Excerpt(string body)
    {
        var text = body.ReplaceLineEndings(" ").Trim();
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}
