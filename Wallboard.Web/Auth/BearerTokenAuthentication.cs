using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Wallboard.Web.Data;

namespace Wallboard.Web.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;token&gt;</c> for the API (§11). The token is looked up by its hash;
/// the claims carry its role, store and salesperson.
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

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 200)
        {
            return AuthenticateResult.Fail("The bearer token is malformed.");
        }

        var hash = ApiToken.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var found = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash && t.RevokedAt == null, Context.RequestAborted);
        if (found is null)
        {
            return AuthenticateResult.Fail("The bearer token is unknown or revoked.");
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

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}

public static class StoreScope
{
    /// <summary>Whether the signed-in caller may see a store: admins every store, others their own.</summary>
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
}
