using Microsoft.AspNetCore.Authentication;

namespace Wallboard.Web.Auth;

public static class AuthExtensions
{
    public const string ManagerPolicy = "Manager";

    public static IHostApplicationBuilder AddWallboardAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(BearerTokenAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenAuthentication>(BearerTokenAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ManagerPolicy, policy => policy.RequireRole(nameof(WallboardRole.Manager), nameof(WallboardRole.Admin)));
        return builder;
    }
}
