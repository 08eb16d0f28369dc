using System.Text.Json;
using Wallboard.Domain.Calls;
using Wallboard.Web.Auth;

namespace Wallboard.Web.Ingest;

/// <summary><c>POST /api/v1/call-events</c>: one §4 event or a batch, signed per integration (§11).</summary>
public static partial class CallEventsEndpoints
{
    public static IEndpointRouteBuilder MapCallEventsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/call-events", PostAsync)
            .WithName("PostCallEvents")
            .DisableAntiforgery();
        return app;
    }

    /// <summary>The answer of §11: how many were stored, how many were repeats, and which were refused and why.</summary>
    public sealed record IngestAnswer(int Accepted, int Duplicates, IReadOnlyList<Rejection> Rejected);

    public sealed record Rejection(int Index, string? EventId, string Error);

    private static async Task<IResult> PostAsync(
        HttpContext context,
        IntegrationAuthenticator authenticator,
        IIngestPipeline pipeline,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(CallEventsEndpoints));
        var options = context.Options();
        var ct = context.RequestAborted;

        var (body, tooLarge) = await IngestRequests.ReadBodyAsync(context.Request, options.MaxBodyBytes, ct);
        if (body is null)
        {
            return tooLarge!;
        }

        var (integration, refused) = await IngestRequests.AuthenticateAsync(context, authenticator, body, time, logger);
        if (integration is null)
        {
            return refused!;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            LogNotJson(logger, integration.Id, ex.Message);
            return IngestRequests.Problem(StatusCodes.Status400BadRequest, "The body is not JSON.", ex.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            var items = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            if (items.Count == 0)
            {
                return IngestRequests.Problem(StatusCodes.Status400BadRequest, "The batch is empty.", "Send one event object or an array of events.");
            }

            if (items.Count > options.MaxBatchEvents)
            {
                return IngestRequests.Problem(StatusCodes.Status413PayloadTooLarge, "The batch has too many events.",
                    $"At most {options.MaxBatchEvents:N0} events are accepted in one request; this one has {items.Count:N0}.");
            }

            var now = time.GetUtcNow();
            var events = new List<CallEvent>(items.Count);
            var rejected = new List<Rejection>();
            for (var i = 0; i < items.Count; i++)
            {
                var error = Judge(items[i], now, options, out var e);
                if (error is null)
                {
                    events.Add(e!);
                }
                else
                {
                    rejected.Add(new Rejection(i, EventIdOf(items[i]), error));
                }
            }

            if (rejected.Count > 0)
            {
                LogRejected(logger, integration.Id, rejected.Count, items.Count, rejected[0].Index, rejected[0].Error);
            }

            IngestResult result;
            try
            {
                result = await pipeline.SubmitAsync(integration.Id, events, ct);
            }
            catch (IngestUnavailableException ex)
            {
                return IngestRequests.Problem(StatusCodes.Status503ServiceUnavailable, "Try again shortly.", ex.Message);
            }

            var answer = new IngestAnswer(result.Accepted, result.Duplicates, rejected);
            if (result.Accepted + result.Duplicates == 0)
            {
                return IngestRequests.Problem(StatusCodes.Status400BadRequest, "No event was accepted.",
                    rejected.Count == 1 ? rejected[0].Error : $"All {rejected.Count} events were refused; see 'rejected'.",
                    new Dictionary<string, object?> { ["accepted"] = 0, ["duplicates"] = 0, ["rejected"] = rejected });
            }

            return TypedResults.Ok(answer);
        }
    }

    private static string? Judge(JsonElement item, DateTimeOffset now, IngestOptions options, out CallEvent? e)
    {
        return CallEventJson.TryRead(item, out e, out var error) ? IngestRequests.CheckTime(e!, now, options) : error;
    }

    private static string? EventIdOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("eventId", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString() is { Length: <= CallEventJson.MaxIdLength } text ? text : null
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Integration {IntegrationId} posted a body that is not JSON: {Reason}")]
    private static partial void LogNotJson(ILogger logger, int integrationId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Integration {IntegrationId}: refused {Rejected} of {Total} events; the first, #{Index}: {Reason}")]
    private static partial void LogRejected(ILogger logger, int integrationId, int rejected, int total, int index, string reason);
}
