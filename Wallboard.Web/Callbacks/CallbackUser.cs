using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;

namespace Wallboard.Web.Callbacks;

/// <summary>
/// Who is working call-backs, and where: the actor the rules and the audit trail see, and the one
/// store they may act in (null for an admin: every store).
/// </summary>
public sealed record CallbackUser(CallbackActor Actor, WallboardRole Role, int? StoreId)
{
    public bool IsManager => Role is WallboardRole.Manager or WallboardRole.Admin;

    public int? SalespersonId => Actor.SalespersonId;

    public bool MaySee(int storeId) => Role == WallboardRole.Admin || StoreId == storeId;
}

/// <summary>
/// Turns an API token into a <see cref="CallbackUser"/>: from the bearer claims for the API, and,
/// until accounts and sign-in exist, from a <c>?token=</c> in the page's address for the call-back
/// screens. Sign-in will replace <see cref="FromTokenAsync"/> with the signed-in account; nothing
/// else changes.
/// </summary>
public sealed class CallbackUsers(IDbContextFactory<WallboardDbContext> dbFactory)
{
    /// <summary>The user a bearer-authenticated request acts as, or null when the claims are not an API token's.</summary>
    public async Task<CallbackUser?> FromPrincipalAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var roleName = principal.FindFirstValue(ClaimTypes.Role);
        if (!Enum.TryParse<WallboardRole>(roleName, out var role))
        {
            return null;
        }

        int? store = int.TryParse(principal.FindFirstValue(BearerTokenAuthentication.StoreClaim), CultureInfo.InvariantCulture, out var s) ? s : null;
        int? person = int.TryParse(principal.FindFirstValue(BearerTokenAuthentication.SalespersonClaim), CultureInfo.InvariantCulture, out var p) ? p : null;
        return await ResolveAsync(role, store, person, principal.FindFirstValue(ClaimTypes.Name) ?? role.ToString(), ct);
    }

    /// <summary>The user an API token (as the demo writes one per salesperson) stands for, or null when unknown or revoked.</summary>
    public async Task<CallbackUser?> FromTokenAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
        {
            return null;
        }

        var hash = ApiToken.Hash(token.Trim());
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash && t.RevokedAt == null, ct);
        return found is null ? null : await ResolveAsync(found.Role, found.StoreId, found.SalespersonId, found.Name, ct);
    }

    private async Task<CallbackUser?> ResolveAsync(WallboardRole role, int? storeId, int? salespersonId, string tokenName, CancellationToken ct)
    {
        string name = tokenName;
        if (salespersonId is { } id)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var person = await db.Salespeople.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.Name, x.IsActive, x.StoreId }).SingleOrDefaultAsync(ct);
            if (person is null || !person.IsActive)
            {
                return null;
            }

            name = person.Name;
            storeId ??= person.StoreId;
        }

        return role switch
        {
            WallboardRole.Salesperson when salespersonId is { } sp && storeId is not null =>
                new CallbackUser(CallbackActor.Salesperson(sp, name), role, storeId),
            WallboardRole.Manager when storeId is not null => new CallbackUser(CallbackActor.Manager(salespersonId, name), role, storeId),
            WallboardRole.Admin => new CallbackUser(CallbackActor.Manager(salespersonId, name), role, storeId),
            _ => null,
        };
    }
}
