using System.Globalization;
using System.Text;
using Microsoft.Extensions.Primitives;
using Wallboard.Domain.Calls;
using Wallboard.Web.Auth;
using Wallboard.Web.Ingest.Asterisk;
using Wallboard.Web.Ingest.Twilio;

namespace Wallboard.Web.Ingest;

/// <summary>
/// The phone-system adapters' endpoints (§8, §11): an Asterisk/FreePBX queue log posted as text,
/// and Twilio's voice status callbacks. Both translate into §4 events and go through the same
/// durable pipeline as the JSON API.
/// </summary>
public static partial class AdapterEndpoints
{
    public static IEndpointRouteBuilder MapAdapterEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/integrations/{id:int}/asterisk/queue-log", PostQueueLogAsync)
            .WithName("PostAsteriskQueueLog")
            .DisableAntiforgery();
        app.MapPost("/api/v1/integrations/{id:int}/twilio/voice-status", PostTwilioStatusAsync)
            .WithName("PostTwilioVoiceStatus")
            .DisableAntiforgery();
        return app;
    }

    /// <summary>The queue-log answer: lines turned into events, repeats, housekeeping lines ignored, and refusals.</summary>
    public sealed record QueueLogAnswer(int Accepted, int Duplicates, int Ignored, IReadOnlyList<LineRejection> Rejected);

    public sealed record LineRejection(int? Line, string? EventId, string Error);

    private static async Task<IResult> PostQueueLogAsync(
        int id,
        HttpContext context,
        IntegrationAuthenticator authenticator,
        AttributionCache attribution,
        IIngestPipeline pipeline,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AdapterEndpoints));
        var options = context.Options();
        var ct = context.RequestAborted;
        var (body, tooLarge) = await IngestRequests.ReadBodyAsync(context.Request, options.MaxBodyBytes, ct);
        if (body is null)
        {
            return tooLarge!;
        }

        // The route names the integration; a header, if sent, must agree with it.
        var header = context.Request.Headers[RequestSignature.IntegrationHeader];
        if (!StringValues.IsNullOrEmpty(header) && header.ToString() != id.ToString(CultureInfo.InvariantCulture))
        {
            return IngestRequests.Problem(StatusCodes.Status401Unauthorized, "The request is not signed by a known integration.",
                $"{RequestSignature.IntegrationHeader} says '{header}' but the address names integration {id}.");
        }

        context.Request.Headers[RequestSignature.IntegrationHeader] = id.ToString(CultureInfo.InvariantCulture);
        var (integration, refused) = await IngestRequests.AuthenticateAsync(context, authenticator, body, time, logger);
        if (integration is null)
        {
            return refused!;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return IngestRequests.Problem(StatusCodes.Status400BadRequest, "The body is not UTF-8 text.", "Post queue_log lines as text/plain in UTF-8.");
        }

        var directory = await attribution.GetAsync(integration.Id, ct);
        var mapper = new QueueLogMapper(directory!.AsteriskMapping);
        var mapping = mapper.Translate(text);

        var now = time.GetUtcNow();
        var rejected = mapping.Errors.Select(e => new LineRejection(e.LineNumber, null, e.Reason)).ToList();
        var events = new List<CallEvent>(mapping.Events.Count);
        foreach (var e in mapping.Events)
        {
            if (IngestRequests.Admit(e, now, options) is { } error)
            {
                rejected.Add(new LineRejection(null, e.EventId, error));
            }
            else
            {
                events.Add(e);
            }
        }

        if (rejected.Count > 0)
        {
            LogLinesRejected(logger, integration.Id, rejected.Count, rejected[0].Error);
        }

        var result = await SubmitAsync(pipeline, integration.Id, events, ct);
        if (result is null)
        {
            return IngestRequests.Problem(StatusCodes.Status503ServiceUnavailable, "Try again shortly.", "The app is shutting down.");
        }

        var answer = new QueueLogAnswer(result.Accepted, result.Duplicates, mapping.Ignored.Count, rejected);
        if (result.Accepted + result.Duplicates == 0 && rejected.Count > 0)
        {
            return IngestRequests.Problem(StatusCodes.Status400BadRequest, "No line was accepted.",
                rejected.Count == 1 ? rejected[0].Error : $"All {rejected.Count} lines or events were refused; see 'rejected'.",
                new Dictionary<string, object?> { ["accepted"] = 0, ["duplicates"] = 0, ["ignored"] = answer.Ignored, ["rejected"] = rejected });
        }

        return TypedResults.Ok(answer);
    }

    /// <summary>The Twilio answer: what the callback became, or why it was left out.</summary>
    public sealed record TwilioAnswer(int Accepted, int Duplicates, string? Ignored);

    private static async Task<IResult> PostTwilioStatusAsync(
        int id,
        HttpContext context,
        IntegrationAuthenticator authenticator,
        IIngestPipeline pipeline,
        IConfiguration configuration,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AdapterEndpoints));
        var ct = context.RequestAborted;
        var options = context.Options();
        if (context.Request.ContentLength > options.MaxBodyBytes)
        {
            return IngestRequests.Problem(StatusCodes.Status413PayloadTooLarge, "The body is too large.");
        }

        if (!context.Request.HasFormContentType)
        {
            return IngestRequests.Problem(StatusCodes.Status415UnsupportedMediaType, "Twilio posts form-encoded bodies.",
                "Content-Type must be application/x-www-form-urlencoded.");
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return IngestRequests.Problem(StatusCodes.Status400BadRequest, "The form cannot be read.", ex.Message);
        }

        var fields = form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value.ToString())).ToList();
        var url = PublicUrl(context, configuration);
        var found = await authenticator.FindAsync(id, ct);
        var check = found is { } known
            ? known.Secrets.Select(token => TwilioSignature.Check(token, url, fields, context.Request.Headers[TwilioSignature.HeaderName]))
                .OrderBy(c => c == TwilioSignatureCheck.Valid ? 0 : 1).First()
            : TwilioSignatureCheck.Mismatch;
        var limits = context.RequestServices.GetRequiredService<IngestRateLimits>();
        if (found is null || check != TwilioSignatureCheck.Valid)
        {
            if (limits.SpendRefused(context) is { } slowDown)
            {
                return slowDown;
            }

            LogTwilioRefused(logger, id, url, found is null ? "unknown or disabled integration" : check.ToString());
            return IngestRequests.Problem(StatusCodes.Status401Unauthorized, "The request is not signed by Twilio for this integration.",
                $"{TwilioSignature.HeaderName} must be Twilio's signature of {url} with the integration's auth token.");
        }

        if (limits.Spend(context, id) is { } tooMany)
        {
            return tooMany;
        }

        var mapping = TwilioVoiceStatusMapper.Map(fields);
        if (mapping.IsRejected)
        {
            var reasons = string.Join("; ", mapping.Errors.Select(e => $"{e.Field}: {e.Reason}"));
            LogTwilioRejected(logger, id, reasons);
            return IngestRequests.Problem(StatusCodes.Status400BadRequest, "The status callback cannot be read.", reasons);
        }

        var now = time.GetUtcNow();
        var events = new List<CallEvent>();
        foreach (var e in mapping.Events)
        {
            if (IngestRequests.Admit(e, now, options) is { } error)
            {
                LogTwilioRejected(logger, id, $"{e.EventId}: {error}");
                return IngestRequests.Problem(StatusCodes.Status400BadRequest, "The status callback's event is refused.", error);
            }

            events.Add(e);
        }

        var result = await SubmitAsync(pipeline, found.Value.Integration.Id, events, ct);
        return result is null
            ? IngestRequests.Problem(StatusCodes.Status503ServiceUnavailable, "Try again shortly.", "The app is shutting down.")
            : TypedResults.Ok(new TwilioAnswer(result.Accepted, result.Duplicates, mapping.IgnoredReason));
    }

    /// <summary>
    /// The URL Twilio signed: the one it posted to. Behind a proxy the app sees another address,
    /// so <c>Wallboard:PublicBaseUrl</c> (e.g. https://wallboard.example.com) says what the public one is.
    /// </summary>
    private static string PublicUrl(HttpContext context, IConfiguration configuration)
    {
        var request = context.Request;
        var publicBase = configuration["Wallboard:PublicBaseUrl"];
        var pathAndQuery = request.PathBase + request.Path + request.QueryString;
        return string.IsNullOrWhiteSpace(publicBase)
            ? $"{request.Scheme}://{request.Host}{pathAndQuery}"
            : publicBase.TrimEnd('/') + pathAndQuery;
    }

    private static async Task<IngestResult?> SubmitAsync(IIngestPipeline pipeline, int integrationId, List<CallEvent> events, CancellationToken ct)
    {
        try
        {
            return await pipeline.SubmitAsync(integrationId, events, ct);
        }
        catch (IngestUnavailableException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Integration {IntegrationId}: refused {Count} queue-log lines or events; the first: {Reason}")]
    private static partial void LogLinesRejected(ILogger logger, int integrationId, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Twilio callback for integration {IntegrationId} at {Url}: {Reason}")]
    private static partial void LogTwilioRefused(ILogger logger, int integrationId, string url, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Integration {IntegrationId}: unreadable Twilio callback: {Reason}")]
    private static partial void LogTwilioRejected(ILogger logger, int integrationId, string reason);
}
