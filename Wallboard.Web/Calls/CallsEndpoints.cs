using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Calls;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;

namespace Wallboard.Web.Calls;

/// <summary>
/// Reading calls (§11): <c>GET /api/v1/stores</c>, <c>GET /api/v1/calls</c> with filters and
/// paging, and <c>GET /api/v1/calls/{id}</c> with the call's path and event timeline. For managers
/// and admins, within their stores; full numbers (these are not public screens).
/// </summary>
public static class CallsEndpoints
{
    public const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapCallsEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(AuthExtensions.ManagerPolicy);
        api.MapGet("/stores", ListStoresAsync);
        api.MapGet("/calls", ListCallsAsync);
        api.MapGet("/calls/{id:long}", GetCallAsync);
        app.MapCallsCsvEndpoint();
        return app;
    }

    public sealed record StoreItem(int Id, string Name, string Slug, string City, string TimeZoneId);

    public sealed record CallItem(
        long Id,
        int StoreId,
        string Department,
        string? Source,
        string? Caller,
        bool CallerWithheld,
        string? CallerName,
        string? DialedNumber,
        DateTimeOffset StartedAt,
        DateTimeOffset? AnsweredAt,
        DateTimeOffset? EndedAt,
        string Phase,
        string? Outcome,
        int? WaitSeconds,
        int HoldSeconds,
        int? TalkSeconds,
        string? AnsweredBy,
        string? RecordingUrl);

    public sealed record CallPage(IReadOnlyList<CallItem> Items, int Page, int PageSize, int Total);

    public sealed record RingItem(string Agent, string? Salesperson, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Result);

    public sealed record HoldItem(DateTimeOffset StartedAt, DateTimeOffset? EndedAt);

    public sealed record CallDetail(CallItem Call, IReadOnlyList<RingItem> Rings, IReadOnlyList<HoldItem> Holds, IReadOnlyList<JsonElement> Events);

    private static async Task<IResult> ListStoresAsync(ClaimsPrincipal user, IDbContextFactory<WallboardDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stores = await db.Stores.AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new StoreItem(s.Id, s.Name, s.Slug, s.City, s.TimeZoneId))
            .ToListAsync(ct);
        return TypedResults.Ok(stores.Where(s => user.MaySee(s.Id)).ToList());
    }

    private static async Task<IResult> ListCallsAsync(
        ClaimsPrincipal user,
        IDbContextFactory<WallboardDbContext> dbFactory,
        int? store,
        DateTimeOffset? from,
        DateTimeOffset? to,
        string? outcome,
        int? source,
        int? salesperson,
        int? page,
        int? pageSize,
        CancellationToken ct)
    {
        store = user.StoreOrOnly(store);
        if (store is null)
        {
            return IngestRequests.Problem(StatusCodes.Status400BadRequest, "Say which store.", "You may see several stores: add ?store=<id>; GET /api/v1/stores lists yours.");
        }

        if (!user.MaySee(store.Value))
        {
            return IngestRequests.Problem(StatusCodes.Status403Forbidden, "Not your store.", $"This token may not read store {store}.");
        }

        CallOutcome? wanted = null;
        if (outcome is not null)
        {
            if (!Enum.TryParse<CallOutcome>(outcome, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return IngestRequests.Problem(StatusCodes.Status400BadRequest, "Unknown outcome.",
                    $"outcome must be one of {string.Join(", ", Enum.GetNames<CallOutcome>())}.");
            }

            wanted = parsed;
        }

        var size = Math.Clamp(pageSize ?? 50, 1, MaxPageSize);
        var number = Math.Max(page ?? 1, 1);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Calls.AsNoTracking().Where(c => c.StoreId == store);
        if (from is { } f)
        {
            query = query.Where(c => c.StartedAt >= f);
        }

        if (to is { } t)
        {
            query = query.Where(c => c.StartedAt < t);
        }

        if (wanted is { } w)
        {
            query = query.Where(c => c.Outcome == w);
        }

        if (source is { } s)
        {
            query = query.Where(c => c.LeadSourceId == s);
        }

        if (salesperson is { } p)
        {
            query = query.Where(c => c.AnsweredBySalespersonId == p || db.CallRings.Any(r => r.CallId == c.Id && r.SalespersonId == p));
        }

        var total = await query.CountAsync(ct);
        var calls = await query.OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id)
            .Skip((number - 1) * size).Take(size)
            .ToListAsync(ct);
        var items = await ToItemsAsync(db, calls, ct);
        return TypedResults.Ok(new CallPage(items, number, size, total));
    }

    private static async Task<IResult> GetCallAsync(long id, ClaimsPrincipal user, IDbContextFactory<WallboardDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var call = await db.Calls.AsNoTracking().Include(c => c.Rings).Include(c => c.Holds).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (call is null || !user.MaySee(call.StoreId))
        {
            return IngestRequests.Problem(StatusCodes.Status404NotFound, "No such call.", $"There is no call {id} in your stores.");
        }

        var people = await db.Salespeople.AsNoTracking().Where(p => p.StoreId == call.StoreId).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var events = await db.CallEvents.AsNoTracking()
            .Where(e => e.IntegrationId == call.IntegrationId && e.CallId == call.ExternalId)
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => e.Payload)
            .ToListAsync(ct);

        return TypedResults.Ok(new CallDetail(
            (await ToItemsAsync(db, [call], ct))[0],
            call.Rings.OrderBy(r => r.Ordinal)
                .Select(r => new RingItem(r.Agent, r.SalespersonId is { } sp ? people.GetValueOrDefault(sp) : null, r.StartedAt, r.EndedAt, r.Result.ToString()))
                .ToList(),
            call.Holds.OrderBy(h => h.Ordinal).Select(h => new HoldItem(h.StartedAt, h.EndedAt)).ToList(),
            events.Select(ParseStored).ToList()));
    }

    private static JsonElement ParseStored(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.Clone();
    }

    private static async Task<List<CallItem>> ToItemsAsync(WallboardDbContext db, List<Call> calls, CancellationToken ct)
    {
        var storeIds = calls.Select(c => c.StoreId).Distinct().ToList();
        var sources = await db.LeadSources.AsNoTracking().Where(s => storeIds.Contains(s.StoreId)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var people = await db.Salespeople.AsNoTracking().Where(p => storeIds.Contains(p.StoreId)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return calls.Select(c => new CallItem(
            c.Id,
            c.StoreId,
            c.Department.ToString(),
            c.LeadSourceId is { } s ? sources.GetValueOrDefault(s) : null,
            c.CallerE164 ?? c.CallerRaw,
            c.CallerWithheld,
            c.CallerName,
            c.DialedNumber,
            c.StartedAt,
            c.AnsweredAt,
            c.EndedAt,
            c.Phase.ToString(),
            c.Outcome?.ToString(),
            c.WaitSeconds,
            c.HoldSeconds,
            c.TalkSeconds,
            c.AnsweredBySalespersonId is { } p ? people.GetValueOrDefault(p) : c.AnsweredByAgent,
            c.RecordingUrl)).ToList();
    }
}
