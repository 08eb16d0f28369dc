using System.Security.Claims;
using System.Text.Json;
using Wallboard.Web.Auth;
using Wallboard.Web.Ingest;

namespace Wallboard.Web.Privacy;

/// <summary>
/// An admin's tools for one caller number: <c>GET /api/v1/privacy/callers/{number}</c> downloads
/// everything held about it as JSON, <c>DELETE</c> erases it. The number may be written in any
/// common format (<c>?region=GB</c> reads national numbers of another country); both are audited.
/// </summary>
public static class PrivacyEndpoints
{
    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IEndpointRouteBuilder MapPrivacyEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/privacy").RequireAuthorization(PrivacyExtensions.AdminPolicy);
        api.MapGet("/callers/{number}", ExportAsync);
        api.MapDelete("/callers/{number}", EraseAsync);
        return app;
    }

    /// <summary>The export as a file a person downloads, named without the number.</summary>
    public static byte[] ToJsonFile(CallerExport export) => JsonSerializer.SerializeToUtf8Bytes(export, ExportJson);

    public static string FileName(CallerExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        return $"caller-export-{export.ExportedAt.UtcDateTime:yyyyMMdd-HHmmss}.json";
    }

    private static async Task<IResult> ExportAsync(string number, string? region, ClaimsPrincipal user, CallerPrivacy privacy, CancellationToken ct)
    {
        if (await privacy.NormalizeAsync(number, region, ct) is not { } e164)
        {
            return BadNumber(number);
        }

        var export = await privacy.ExportAsync(e164, Actor(user), ct);
        return TypedResults.File(ToJsonFile(export), "application/json", FileName(export));
    }

    private static async Task<IResult> EraseAsync(string number, string? region, ClaimsPrincipal user, CallerPrivacy privacy, CancellationToken ct)
    {
        if (await privacy.NormalizeAsync(number, region, ct) is not { } e164)
        {
            return BadNumber(number);
        }

        return TypedResults.Ok(await privacy.EraseAsync(e164, Actor(user), ct));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult BadNumber(string number) =>
        IngestRequests.Problem(StatusCodes.Status400BadRequest, "Not a phone number.",
            $"'{Shorten(number)}' cannot be read as a caller's phone number. Write it with its country code (+1 312 555 0142) or as the store's country dials it; ?region=GB reads it as another country's.");

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name is { Length: > 0 } name ? name : "admin";
}
