using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Wallboard.Web.Ingest;

namespace Wallboard.Tests.Ingest.Replay;

/// <summary>One request the fake server received.</summary>
internal sealed record RecordedPost(
    int Number, string Path, string? ContentType, string? Integration, long? SignedAt, bool SignatureValid, string Body);

/// <summary>
/// A tiny stand-in for the real ingest API on a real loopback port: it checks signatures with
/// <see cref="RequestSignature.Verify"/> and answers as §11 says (accepted, duplicates, rejected
/// with reasons; ignored for queue-log lines it has no use for; 400 with the counts when nothing
/// was accepted), refusing events older than 30 days or more than 5 minutes ahead, like the real one.
/// </summary>
internal sealed class FakeWallboardApi : IAsyncDisposable
{
    public const int IntegrationId = 7;
    public const string Secret = "a-test-secret";

    private static readonly HashSet<string> QueueEvents = new(StringComparer.Ordinal)
    {
        "ENTERQUEUE", "RINGNOANSWER", "CONNECT", "COMPLETECALLER", "COMPLETEAGENT", "ABANDON",
        "EXITWITHTIMEOUT", "EXITWITHKEY", "EXITEMPTY", "BLINDTRANSFER", "ATTENDEDTRANSFER", "TRANSFER",
    };

    private readonly object _gate = new();
    private readonly List<RecordedPost> _posts = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly WebApplication _app;

    private FakeWallboardApi(TimeProvider clock)
    {
        _clock = clock;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        // Typed as Func<…, Task<IResult>>, so the answer is written (a RequestDelegate would drop it).
        _app.MapPost("/api/v1/call-events", (Func<HttpContext, Task<IResult>>)(context => HandleAsync(context, CallEvents)));
        _app.MapPost("/api/v1/integrations/{id:int}/asterisk/queue-log", (Func<HttpContext, Task<IResult>>)(context => HandleAsync(context, QueueLog)));
    }

    /// <summary>Answers instead of the normal one for request number n (from 1), when it returns one.</summary>
    public Func<int, HttpContext, IResult?>? Interrupt { get; init; }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<RecordedPost> Posts
    {
        get
        {
            lock (_gate)
            {
                return _posts.ToList();
            }
        }
    }

    public static async Task<FakeWallboardApi> StartAsync(TimeProvider clock, Func<int, HttpContext, IResult?>? interrupt = null)
    {
        var api = new FakeWallboardApi(clock) { Interrupt = interrupt };
        await api._app.StartAsync();
        api.BaseUrl = new Uri(api._app.Urls.Single());
        return api;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IResult> HandleAsync(HttpContext context, Func<byte[], IResult> answer)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var signature = context.Request.Headers[RequestSignature.SignatureHeader].ToString();
        var integration = context.Request.Headers[RequestSignature.IntegrationHeader].ToString();
        var valid = integration == IntegrationId.ToString(CultureInfo.InvariantCulture)
            && RequestSignature.Verify(signature, Secret, body, _clock.GetUtcNow()) is null;
        var signedAt = signature.Split(',').FirstOrDefault(p => p.StartsWith("t=", StringComparison.Ordinal)) is { } t
            && long.TryParse(t[2..], CultureInfo.InvariantCulture, out var seconds) ? seconds : (long?)null;

        int number;
        lock (_gate)
        {
            number = _posts.Count + 1;
            _posts.Add(new RecordedPost(number, context.Request.Path, context.Request.ContentType, integration, signedAt, valid, Encoding.UTF8.GetString(body)));
        }

        if (Interrupt?.Invoke(number, context) is { } interrupted)
        {
            return interrupted;
        }

        if (!valid)
        {
            return Results.Problem(statusCode: 401, title: "The request is not signed by a known integration.", detail: "The signature does not match the body.");
        }

        lock (_gate)
        {
            return answer(body);
        }
    }

    private IResult CallEvents(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var items = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.EnumerateArray().ToList() : [json.RootElement];
        var (accepted, duplicates) = (0, 0);
        var rejected = new List<object>();
        for (var i = 0; i < items.Count; i++)
        {
            var id = items[i].GetProperty("eventId").GetString()!;
            var at = DateTimeOffset.Parse(items[i].GetProperty("at").GetString()!, CultureInfo.InvariantCulture);
            if (TooOldOrAhead(at) is { } error)
            {
                rejected.Add(new { index = i, eventId = id, error });
            }
            else if (_seen.Add(id))
            {
                accepted++;
            }
            else
            {
                duplicates++;
            }
        }

        return Answer(accepted, duplicates, rejected, ignored: null);
    }

    private IResult QueueLog(byte[] body)
    {
        var lines = Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var (accepted, duplicates, ignored) = (0, 0, 0);
        var rejected = new List<object>();
        for (var i = 0; i < lines.Length; i++)
        {
            var fields = lines[i].Split('|');
            if (fields.Length < 5 || !long.TryParse(fields[0], CultureInfo.InvariantCulture, out var epoch))
            {
                rejected.Add(new { line = i + 1, eventId = (string?)null, error = "not a queue_log line" });
            }
            else if (!QueueEvents.Contains(fields[4]))
            {
                ignored++;
            }
            else if (TooOldOrAhead(DateTimeOffset.FromUnixTimeSeconds(epoch)) is { } error)
            {
                // As the real endpoint answers: the line of the posted text, counted from 1.
                rejected.Add(new { line = i + 1, eventId = (string?)null, error });
            }
            else if (_seen.Add(lines[i]))
            {
                accepted++;
            }
            else
            {
                duplicates++;
            }
        }

        return Answer(accepted, duplicates, rejected, ignored);
    }

    private string? TooOldOrAhead(DateTimeOffset at)
    {
        var now = _clock.GetUtcNow();
        return at < now.AddDays(-30) ? "'at' is more than 30 days old."
            : at > now.AddMinutes(5) ? "'at' is in the future."
            : null;
    }

    private static IResult Answer(int accepted, int duplicates, List<object> rejected, int? ignored)
    {
        if (accepted + duplicates == 0 && rejected.Count > 0)
        {
            return Results.Problem(statusCode: 400, title: "No event was accepted.",
                extensions: new Dictionary<string, object?> { ["accepted"] = 0, ["duplicates"] = 0, ["rejected"] = rejected, ["ignored"] = ignored });
        }

        return ignored is { } count
            ? Results.Json(new { accepted, duplicates, rejected, ignored = count })
            : Results.Json(new { accepted, duplicates, rejected });
    }
}
