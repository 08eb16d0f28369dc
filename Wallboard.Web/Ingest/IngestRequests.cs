using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Web.Auth;

namespace Wallboard.Web.Ingest;

/// <summary>What the ingest endpoints share: bounded body reading, signature checks, problem answers.</summary>
internal static partial class IngestRequests
{
    public static ProblemHttpResult Problem(int status, string title, string? detail = null, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(
            title: title,
            detail: detail,
            statusCode: status,
            type: $"https://wallboard.local/problems/{status}",
            extensions: extensions);

    /// <summary>Reads the whole body, refusing more than <paramref name="maxBytes"/> without reading it all.</summary>
    public static async Task<(byte[]? Body, IResult? Error)> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        var tooLarge = Problem(StatusCodes.Status413PayloadTooLarge, "The body is too large.", $"At most {maxBytes:N0} bytes are accepted in one request.");
        if (request.ContentLength > maxBytes)
        {
            return (null, tooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    /// <summary>
    /// Finds the integration named in <c>X-Wallboard-Integration</c> and checks the body's
    /// signature against its secrets. Every failure is the same 401 to the caller (an unknown
    /// integration is not told apart from a wrong secret); the log says which it was. Either way
    /// the request is counted against its rate limit (<see cref="IngestRateLimits"/>): a 429 instead
    /// when that is spent.
    /// </summary>
    public static async Task<(Integration? Integration, IResult? Error)> AuthenticateAsync(
        HttpContext context, IntegrationAuthenticator authenticator, byte[] body, TimeProvider time, ILogger logger)
    {
        var request = context.Request;
        var limits = context.RequestServices.GetRequiredService<IngestRateLimits>();
        var header = request.Headers[RequestSignature.IntegrationHeader].ToString();
        var found = await authenticator.FindAsync(header, context.RequestAborted);
        string? failure;
        if (found is not { } integration)
        {
            failure = $"The integration '{Trim(header)}' is unknown or disabled.";
        }
        else
        {
            var signature = request.Headers[RequestSignature.SignatureHeader].ToString();
            failure = null;
            foreach (var secret in integration.Secrets)
            {
                failure = RequestSignature.Verify(signature, secret, body, time.GetUtcNow());
                if (failure is null)
                {
                    return limits.Spend(context, integration.Integration.Id) is { } tooMany ? (null, tooMany) : (integration.Integration, null);
                }
            }
        }

        if (limits.SpendRefused(context) is { } slowDown)
        {
            return (null, slowDown);
        }

        LogRefused(logger, Trim(header), context.Connection.RemoteIpAddress?.ToString() ?? "?", failure!);
        var detail = found is null ? "Sign requests with an enabled integration's id and secret." : failure;
        return (null, Problem(StatusCodes.Status401Unauthorized, "The request is not signed by a known integration.", detail));
    }

    /// <summary>
    /// What every adapter asks of an event it made before submitting it: the JSON API's reader
    /// accepts it (<see cref="CallEventJson.Check"/>) and its time is in range. Null when admitted.
    /// </summary>
    public static string? Admit(CallEvent e, DateTimeOffset now, IngestOptions options) =>
        CallEventJson.Check(e) ?? CheckTime(e, now, options);

    /// <summary>Refuses events dated in the future (a wrong clock) or too far in the past; null when fine.</summary>
    public static string? CheckTime(CallEvent e, DateTimeOffset now, IngestOptions options)
    {
        if (e.At > now.AddSeconds(options.MaxFutureSkewSeconds))
        {
            return $"'at' is in the future ({e.At:O}); check the phone system's clock.";
        }

        if (e.At < now.AddDays(-options.MaxEventAgeDays))
        {
            return $"'at' is more than {options.MaxEventAgeDays} days old ({e.At:O}).";
        }

        return null;
    }

    public static IngestOptions Options(this HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<IngestOptions>>().Value;

    private static string Trim(string value) => value.Length <= 40 ? value : value[..40] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an ingest request for integration '{Integration}' from {Remote}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string integration, string remote, string reason);
}
