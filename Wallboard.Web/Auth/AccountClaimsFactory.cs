using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Wallboard.Web.Data;

namespace Wallboard.Web.Auth;

/// <summary>
/// Makes a signed-in account's principal carry the same claims an API token gives
/// (<see cref="ClaimTypes.Role"/>, <c>wallboard:store</c> once per store, <c>wallboard:salesperson</c>),
/// so every check (<see cref="StoreScope.MaySee"/>, call-back rights, board access) reads both alike.
/// The principal is rebuilt from the database whenever the security stamp is validated, so a
/// change of role or stores applies at the account's next request.
/// </summary>
public sealed class AccountClaimsFactory(
    UserManager<WallboardUser> users,
    IOptions<IdentityOptions> options,
    IDbContextFactory<WallboardDbContext> dbFactory) : UserClaimsPrincipalFactory<WallboardUser>(users, options)
{
    public const string DisplayNameClaim = "wallboard:display-name";

    /// <summary>What screens call the signed-in person: their name, or without one the part of their e-mail before the @.</summary>
    public static string ShownName(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        // An account made without a name carries its e-mail as its name.
        if (user.FindFirst(DisplayNameClaim)?.Value is { Length: > 0 } name && !name.Contains('@', StringComparison.Ordinal))
        {
            return name;
        }

        var email = user.FindFirst(DisplayNameClaim)?.Value ?? user.Identity?.Name ?? string.Empty;
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? email[..at] : email;
    }

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(WallboardUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role.ToString()));
        if (!string.IsNullOrWhiteSpace(user.DisplayName))
        {
            identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        }

        if (user.SalespersonId is { } person)
        {
            identity.AddClaim(new Claim(BearerTokenAuthentication.SalespersonClaim, person.ToString(CultureInfo.InvariantCulture)));
        }

        if (user.Role != WallboardRole.Admin)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            var stores = await db.AccountStores.AsNoTracking().Where(s => s.UserId == user.Id).OrderBy(s => s.StoreId).Select(s => s.StoreId).ToListAsync();
            foreach (var store in stores)
            {
                identity.AddClaim(new Claim(BearerTokenAuthentication.StoreClaim, store.ToString(CultureInfo.InvariantCulture)));
            }
        }

        return identity;
    }
}
