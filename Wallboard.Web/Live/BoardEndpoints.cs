using System.Security.Claims;
using Wallboard.Web.Ingest;

namespace Wallboard.Web.Live;

/// <summary><c>GET /api/v1/stores/{storeId}/board?department=Sales</c>: the live board as JSON (§11), the hub's <c>board</c> message.</summary>
public static class BoardEndpoints
{
    public static IEndpointRouteBuilder MapBoardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/stores/{storeId:int}/board", GetBoardAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> GetBoardAsync(int storeId, string? department, ClaimsPrincipal user, LiveBoard board, CancellationToken ct)
    {
        if (!BoardAccess.TryParseDepartment(department, out var parsed))
        {
            return IngestRequests.Problem(StatusCodes.Status400BadRequest, "Unknown department.", "department must be one of Sales, Service, Parts, Other.");
        }

        var key = new BoardKey(storeId, parsed);
        if (BoardAccess.AudienceFor(user, key) is not { } audience)
        {
            return IngestRequests.Problem(StatusCodes.Status403Forbidden, "Not your board.", $"This token may not see the {parsed} board of store {storeId}.");
        }

        return await board.GetSnapshotAsync(key, audience, ct) is { } snapshot
            ? TypedResults.Ok(snapshot)
            : IngestRequests.Problem(StatusCodes.Status404NotFound, "No such store.", $"There is no store {storeId}.");
    }
}
