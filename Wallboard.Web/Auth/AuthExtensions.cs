using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Wallboard.Web.Data;

namespace Wallboard.Web.Auth;

public static partial class AuthExtensions
{
    public const string ManagerPolicy = "Manager";
    public const string AdminPolicy = "Admin";

    /// <summary>Picks the bearer scheme or the sign-in cookie for each request (see <see cref="SelectScheme"/>).</summary>
    public const string SelectorScheme = "CookieOrBearer";

    public const string CookieName = "Wallboard.Session";

    public const string SignInPath = "/account/sign-in";
    public const string SignOutPath = "/account/sign-out";
    public const string NotAllowedPath = "/account/not-allowed";
    public const string ReturnUrlParameter = "returnUrl";

    /// <summary>Roles that sign in with an account, as <c>[Authorize(Roles = …)]</c> wants them.</summary>
    public const string AnyAccountRole = "Salesperson,Manager,Admin";
    public const string ManagerRoles = "Manager,Admin";
    public const string AdminRole = "Admin";

    /// <summary>
    /// Accounts and sign-in (ASP.NET Core Identity, a cookie) beside the bearer tokens of the API
    /// and the hub, and the policies the endpoints and pages name. How the two meet is in
    /// <see cref="SelectScheme"/>; docs/security.md explains the choices.
    /// </summary>
    public static IHostApplicationBuilder AddWallboardAuth(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = SelectorScheme;
                options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(SelectorScheme, "Sign-in cookie or bearer token", options => options.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenAuthentication>(BearerTokenAuthentication.SchemeName, null)
            .AddIdentityCookies();

        services.AddWallboardAccounts();
        services.AddSingleton<DisplayLinkRevocations>();

        // ASP.NET Core's request log ("Request starting GET /tv/x?token=…") writes whole query
        // strings, and a TV link and a browser's hub connection carry their token there. Only its
        // warnings are kept, whatever the configured levels say; docs/security.md explains.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            // Lax, not Strict: a manager who follows a link to the app from an e-mail arrives signed
            // in. Cross-site requests that change something get nothing from the cookie anyway: the
            // API refuses the cookie for anything but GET (SelectScheme), and the forms carry
            // antiforgery tokens.
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.SlidingExpiration = true;
            options.LoginPath = SignInPath;
            options.LogoutPath = SignOutPath;
            options.AccessDeniedPath = NotAllowedPath;
            options.ReturnUrlParameter = ReturnUrlParameter;
            // The API answers 401/403 (as problem details), never a redirect to a page.
            options.Events.OnRedirectToLogin = context => ApiOr(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiOr(context, StatusCodes.Status403Forbidden);
        });

        // Every request checks the account's security stamp, so a disabled, locked or deleted
        // account (or one whose role or stores changed) is refused or refreshed at its next request.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);

        services.AddAuthorizationBuilder()
            .AddPolicy(ManagerPolicy, policy => policy.RequireRole(nameof(WallboardRole.Manager), nameof(WallboardRole.Admin)))
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(nameof(WallboardRole.Admin)));

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, AccountRevalidatingAuthenticationStateProvider>();
        services.Configure<SignInThrottleOptions>(builder.Configuration.GetSection("Wallboard:SignIn"));
        services.AddSingleton<SignInThrottle>();
        return builder;
    }

    /// <summary>Prints the sign-in page's address once the app listens (§11), and how to make the first admin when there is no account.</summary>
    public static WebApplication MapWallboardAuth(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() => _ = PrintSignInAsync(app));
        return app;
    }

    private static async Task PrintSignInAsync(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Wallboard.Auth");
        try
        {
            var signIn = new Uri(Hosting.PublicAddress.Of(app.Services, app.Configuration), SignInPath.TrimStart('/'));
            LogSignIn(logger, signIn);
            await using var db = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync();
            if (!await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Users))
            {
                LogNoAccounts(logger);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or UriFormatException or System.Data.Common.DbException)
        {
            LogSignInUnknown(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign in at {Url}")]
    private static partial void LogSignIn(ILogger logger, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "There is no account yet. Create the first admin: dotnet run --project Wallboard.Web -- create-admin --email <e-mail> --password <password>")]
    private static partial void LogNoAccounts(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not print the sign-in address")]
    private static partial void LogSignInUnknown(ILogger logger, Exception exception);

    /// <summary>Identity's accounts alone (no cookies): for the app and for the command-line verbs.</summary>
    public static IServiceCollection AddWallboardAccounts(this IServiceCollection services)
    {
        services.AddIdentityCore<WallboardUser>(options =>
            {
                // Length over complexity (NIST SP 800-63B): a long passphrase beats "Passw0rd!".
                options.Password.RequiredLength = AccountService.MinimumPasswordLength;
                options.Password.RequiredUniqueChars = 4;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<WallboardDbContext>()
            .AddSignInManager<AccountSignInManager>()
            .AddClaimsPrincipalFactory<AccountClaimsFactory>();
        services.AddSingleton<AccountService>();
        return services;
    }

    /// <summary>
    /// Which scheme authenticates a request. A request with an <c>Authorization</c> header, and
    /// every request to the hub, uses the bearer token and nothing else. Pages use the sign-in
    /// cookie. The API takes the cookie for reading only (GET, HEAD), so a screen's link to a CSV
    /// export works for a signed-in manager while no other site can make a signed-in browser change
    /// anything through the API (no CSRF); without a cookie the API answers as the bearer scheme.
    /// </summary>
    public static string SelectScheme(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (request.Headers.Authorization.Count > 0 || request.Path.StartsWithSegments("/hubs"))
        {
            return BearerTokenAuthentication.SchemeName;
        }

        if (request.Path.StartsWithSegments("/api")
            && (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || !request.Cookies.ContainsKey(CookieName)))
        {
            return BearerTokenAuthentication.SchemeName;
        }

        return IdentityConstants.ApplicationScheme;
    }

    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
