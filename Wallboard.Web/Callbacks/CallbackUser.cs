using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;

namespace Wallboard.Web.Callbacks;

/// <summary>
/// Who is working call-backs, and where: the actor the rules and the audit trail see, and the
/// stores they may act in (none listed for an admin: every store).
/// </summary>
public sealed record CallbackUser(CallbackActor Actor, WallboardRole Role, IReadOnlyList<int> StoreIds)
{
    public bool IsManager => Role is WallboardRole.Manager or WallboardRole.Admin;

    public int? SalespersonId => Actor.SalespersonId;

    /// <summary>The store when the user works in exactly one (so it need not be named); null otherwise.</summary>
    public int? StoreId => StoreIds.Count == 1 ? StoreIds[0] : null;

    public bool MaySee(int storeId) => Role == WallboardRole.Admin || StoreIds.Contains(storeId);
}

/// <summary>
/// Turns a principal (a signed-in account or a bearer API token: both carry the same claims) into
/// a <see cref="CallbackUser"/>.
/// </summary>
public sealed class CallbackUsers(IDbContextFactory<WallboardDbContext> dbFactory)
{
    /// <summary>The user a principal acts as, or null when it is not an account's or an API token's (a display token, nobody).</summary>
    public async Task<CallbackUser?> FromPrincipalAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true || !Enum.TryParse<WallboardRole>(principal.FindFirstValue(ClaimTypes.Role), out var role) || !Enum.IsDefined(role))
        {
            return null;
        }

        var stores = principal.FindAll(BearerTokenAuthentication.StoreClaim)
            .Select(c => int.TryParse(c.Value, CultureInfo.InvariantCulture, out var s) ? s : (int?)null)
            .OfType<int>()
            .Distinct()
            .ToList();
        int? person = int.TryParse(principal.FindFirstValue(BearerTokenAuthentication.SalespersonClaim), CultureInfo.InvariantCulture, out var p) ? p : null;
        var name = principal.FindFirstValue(AccountClaimsFactory.DisplayNameClaim) ?? principal.FindFirstValue(ClaimTypes.Name) ?? role.ToString();
        return await ResolveAsync(role, stores, person, name, ct);
    }

    private async Task<CallbackUser?> ResolveAsync(WallboardRole role, List<int> stores, int? salespersonId, string principalName, CancellationToken ct)
    {
        var name = principalName;
        if (salespersonId is { } id)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var person = await db.Salespeople.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.Name, x.IsActive, x.StoreId }).SingleOrDefaultAsync(ct);
            if (person is null || !person.IsActive)
            {
                return null;
            }

            name = person.Name;
            if (stores.Count == 0)
            {
                stores.Add(person.StoreId);
            }
        }

        return role switch
        {
            WallboardRole.Salesperson when salespersonId is { } sp && stores.Count > 0 =>
                new CallbackUser(CallbackActor.Salesperson(sp, name), role, stores),
            WallboardRole.Manager when stores.Count > 0 => new CallbackUser(CallbackActor.Manager(salespersonId, name), role, stores),
            WallboardRole.Admin => new CallbackUser(CallbackActor.Manager(salespersonId, name), role, stores),
            _ => null,
        };
    }
}
