using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Wallboard.Web.Auth;

/// <summary>
/// Identity's sign-in, plus: a disabled account cannot sign in, and a disabled or locked-out
/// account fails the security-stamp check that runs on every request (and on a live circuit's
/// revalidation), so it loses access at once instead of when its cookie expires.
/// </summary>
public sealed class AccountSignInManager(
    UserManager<WallboardUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<WallboardUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<WallboardUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<WallboardUser> confirmation)
    : SignInManager<WallboardUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(WallboardUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return !user.IsDisabled && await base.CanSignInAsync(user);
    }

    public override async Task<WallboardUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        if (user is null || user.IsDisabled || await UserManager.IsLockedOutAsync(user))
        {
            return null;
        }

        return user;
    }
}
