using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Metrics;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;

namespace Wallboard.Web.Metrics;

/// <summary>
/// <c>GET /api/v1/stores/{storeId}/metrics?window=Today&amp;by=store|salesperson|source</c> (§11): the
/// snapshot the screens read, for managers and admins of the store.
/// </summary>
public static class MetricsEndpoints
{
    public static IEndpointRouteBuilder MapMetricsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/stores/{storeId:int}/metrics", GetMetricsAsync).RequireAuthorization(AuthExtensions.ManagerPolicy);
        return app;
    }

    /// <summary>The answer: the window's bounds and, by what was asked, the store's figures, each salesperson's or each source's.</summary>
    public sealed record MetricsAnswer(
        int StoreId,
        string StoreName,
        string Window,
        DateTimeOffset From,
        DateTimeOffset To,
        DateTimeOffset ComputedAt,
        string By,
        CallMetrics? Store,
        IReadOnlyList<SalespersonMetrics>? Salespeople,
        IReadOnlyList<SourceMetrics>? Sources);

    private static readonly string[] Bys = ["store", "salesperson", "source"];

    private static async Task<IResult> GetMetricsAsync(
        int storeId, string? window, string? by, ClaimsPrincipal user, MetricsReports reports, IDbContextFactory<WallboardDbContext> dbFactory, CancellationToken ct)
    {
        var names = string.Join(", ", MetricsWindows.All);
        if (!MetricsWindows.TryParse(window ?? nameof(MetricsWindow.Today), out var parsed))
        {
            return IngestRequests.Problem(StatusCodes.Status400BadRequest, "Unknown window.", $"window must be one of {names}.");
        }

        var grouping = (by ?? "store").Trim().ToLowerInvariant();
        if (!Bys.Contains(grouping))
        {
            return IngestRequests.Problem(StatusCodes.Status400BadRequest, "Unknown grouping.", "by must be one of store, salesperson, source.");
        }

        if (!user.MaySee(storeId))
        {
            return IngestRequests.Problem(StatusCodes.Status403Forbidden, "Not your store.", $"This token may not read store {storeId}.");
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.Stores.AnyAsync(s => s.Id == storeId, ct))
            {
                return IngestRequests.Problem(StatusCodes.Status404NotFound, "No such store.", $"There is no store {storeId}.");
            }
        }

        var report = await reports.GetAsync(storeId, parsed, ct);
        if (report is null)
        {
            return IngestRequests.Problem(StatusCodes.Status404NotFound, "No such store.", $"There is no store {storeId}.");
        }

        return TypedResults.Ok(new MetricsAnswer(
            report.StoreId, report.StoreName, report.Window.ToString(), report.From, report.To, report.ComputedAt, grouping,
            grouping == "store" ? report.Store : null,
            grouping == "salesperson" ? report.Salespeople : null,
            grouping == "source" ? report.Sources : null));
    }
}
