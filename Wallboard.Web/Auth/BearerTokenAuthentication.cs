using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Wallboard.Web.Data;

namespace Wallboard.Web.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> for the API and the hub (§11). The token is looked up by
/// its hash: an API token gives its role, store and salesperson; a display token (<c>wbd_…</c>) gives
/// the role <see cref="DisplayLink.RoleName"/> with its store and department.
/// </summary>
public sealed class BearerTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<WallboardDbContext> dbFactory) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string StoreClaim = "wallboard:store";
    public const string SalespersonClaim = "wallboard:salesperson";
    public const string DepartmentClaim = "wallboard:department";

    /// <summary>A display token's link id, so a screen connected with it can be cut when it is revoked.</summary>
    public const string DisplayLinkClaim = "wallboard:display-link";

    /// <summary>The query parameter browsers put the token in where they cannot send a header.</summary>
    public const string QueryParameter = "access_token";

    /// <summary>Where the token may come in the query string instead of the header.</summary>
    public static bool AcceptsQueryToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Browsers cannot put a header on a WebSocket (or server-sent events) request, so
        // SignalR's JavaScript client sends the token as ?access_token= on the hub's path. Nowhere
        // else: a token in an address ends up in histories, proxies and logs. Screens sign in.
        return request.Path.StartsWithSegments("/hubs");
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string token;
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }
        else if (AcceptsQueryToken(Request) && Request.Query[QueryParameter].ToString() is { Length: > 0 } fromQuery)
        {
            token = fromQuery.Trim();
        }
        else
        {
            return AuthenticateResult.NoResult();
        }

        if (token.Length is 0 or > 200)
        {
            return AuthenticateResult.Fail("The bearer token is malformed.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var principal = await PrincipalOfAsync(db, token, Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("The bearer token is unknown or revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>
    /// Who a token is: an API token's role, store and salesperson, or a display token's role
    /// <see cref="DisplayLink.RoleName"/> with its store and department; null when the token is
    /// unknown or revoked. The TV page, which takes its display token in its address, asks the
    /// same question.
    /// </summary>
    public static async Task<ClaimsPrincipal?> PrincipalOfAsync(WallboardDbContext db, string? token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (string.IsNullOrWhiteSpace(token) || token.Length > 200)
        {
            return null;
        }

        token = token.Trim();
        var hash = ApiToken.Hash(token);
        var claims = token.StartsWith(DisplayLink.Prefix, StringComparison.Ordinal)
            ? await DisplayClaimsAsync(db, hash, ct)
            : await ApiTokenClaimsAsync(db, hash, ct);
        return claims is null ? null : new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
    }

    private static async Task<List<Claim>?> ApiTokenClaimsAsync(WallboardDbContext db, string hash, CancellationToken ct)
    {
        var found = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash && t.RevokedAt == null, ct);
        if (found is null)
        {
            return null;
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, found.Name),
            new(ClaimTypes.Role, found.Role.ToString()),
        };
        if (found.StoreId is { } store)
        {
            claims.Add(new Claim(StoreClaim, store.ToString(CultureInfo.InvariantCulture)));
        }

        if (found.SalespersonId is { } person)
        {
            claims.Add(new Claim(SalespersonClaim, person.ToString(CultureInfo.InvariantCulture)));
        }

        return claims;
    }

    private static async Task<List<Claim>?> DisplayClaimsAsync(WallboardDbContext db, string hash, CancellationToken ct)
    {
        var link = await db.DisplayLinks.AsNoTracking().SingleOrDefaultAsync(l => l.TokenHash == hash && l.RevokedAt == null, ct);
        return link is null
            ? null
            :
            [
                new(ClaimTypes.Name, link.Name),
                new(ClaimTypes.Role, DisplayLink.RoleName),
                new(StoreClaim, link.StoreId.ToString(CultureInfo.InvariantCulture)),
                new(DepartmentClaim, link.Department.ToString()),
                new(DisplayLinkClaim, link.Id.ToString(CultureInfo.InvariantCulture)),
            ];
    }
}

public static class StoreScope
{
    /// <summary>
    /// Whether the caller (an account or a token) may see a store: admins every store, others the
    /// stores they carry a <c>wallboard:store</c> claim for. A display token sees only its own
    /// board; check it with <c>BoardAccess</c>.
    /// </summary>
    public static bool MaySee(this ClaimsPrincipal user, int storeId)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsInRole(nameof(WallboardRole.Admin)))
        {
            return true;
        }

        return user.FindAll(BearerTokenAuthentication.StoreClaim)
            .Any(c => int.TryParse(c.Value, CultureInfo.InvariantCulture, out var id) && id == storeId);
    }

    /// <summary>
    /// The store an endpoint's <c>store</c> means when it is left out: the one named, else the only
    /// store the caller may see; null when the caller has a choice (an admin, a regional manager)
    /// and must say which.
    /// </summary>
    public static int? StoreOrOnly(this ClaimsPrincipal user, int? store)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (store is not null || user.IsInRole(nameof(WallboardRole.Admin)))
        {
            return store;
        }

        var stores = user.FindAll(BearerTokenAuthentication.StoreClaim)
            .Select(c => int.TryParse(c.Value, CultureInfo.InvariantCulture, out var id) ? id : (int?)null)
            .OfType<int>().Distinct().Take(2).ToList();
        return stores.Count == 1 ? stores[0] : null;
    }
}
