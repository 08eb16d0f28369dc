using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Wallboard.Web.Auth;

namespace Wallboard.Web.Components.Pages.Account;

/// <summary>
/// The sign-in form (§9): static server rendering with antiforgery, because signing in sets a
/// cookie on the HTTP response. Throttled per address and per e-mail; five failures lock the
/// account for 15 minutes. Sends the person back to where they were going, on this site only.
/// </summary>
public sealed partial class SignIn
{
    private string? _message;
    private string? _signedInAs;

    [Inject]
    private SignInManager<WallboardUser> SignInManager { get; set; } = null!;

    [Inject]
    private SignInThrottle Throttle { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    [Inject]
    private ILogger<SignIn> Logger { get; set; } = null!;

    [CascadingParameter]
    private HttpContext HttpContext { get; set; } = null!;

    [SupplyParameterFromForm(FormName = "sign-in")]
    private SignInInput? Input { get; set; }

    [SupplyParameterFromQuery(Name = AuthExtensions.ReturnUrlParameter)]
    public string? ReturnUrl { get; set; }

    [SupplyParameterFromQuery(Name = "signedOut")]
    public bool SignedOut { get; set; }

    protected override void OnInitialized()
    {
        Input ??= new SignInInput();
        if (HttpContext.User.Identity?.IsAuthenticated == true && HttpMethods.IsGet(HttpContext.Request.Method))
        {
            _signedInAs = HttpContext.User.FindFirst(AccountClaimsFactory.DisplayNameClaim)?.Value ?? HttpContext.User.Identity.Name;
        }
    }

    private async Task SignInAsync()
    {
        var input = Input!;
        var email = input.Email.Trim();
        var address = HttpContext.Connection.RemoteIpAddress?.ToString();
        if (!Throttle.TryAttempt(address, email))
        {
            LogThrottled(Logger, email, address);
            HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            _message = "Too many sign-in attempts. Wait a few minutes, then try again.";
            return;
        }

        var result = await SignInManager.PasswordSignInAsync(email, input.Password, input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            LogSignedIn(Logger, email);
            Navigation.NavigateTo(SignInLinks.AfterSignIn(ReturnUrl));
            return;
        }

        HttpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        if (result.IsLockedOut)
        {
            LogLockedOut(Logger, email);
            _message = "This account is locked after too many failed attempts. Try again in 15 minutes, or ask an admin to unlock it.";
        }
        else if (result.IsNotAllowed)
        {
            LogNotAllowed(Logger, email);
            _message = "This account may not sign in. Ask an admin.";
        }
        else
        {
            LogFailed(Logger, email);
            _message = "Wrong e-mail or password.";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Email} signed in")]
    private static partial void LogSignedIn(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed for {Email}: wrong e-mail or password")]
    private static partial void LogFailed(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for {Email}: the account is locked out")]
    private static partial void LogLockedOut(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for {Email}: the account is disabled")]
    private static partial void LogNotAllowed(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in throttled for {Email} from {Address}")]
    private static partial void LogThrottled(ILogger logger, string email, string? address);

    private sealed class SignInInput
    {
        [Required(ErrorMessage = "Enter your e-mail.")]
        [EmailAddress(ErrorMessage = "That is not an e-mail address.")]
        [StringLength(256)]
        public string Email { get; set; } = string.Empty;

        [Required(ErrorMessage = "Enter your password.")]
        [StringLength(512)]
        public string Password { get; set; } = string.Empty;

        public bool RememberMe { get; set; }
    }
}
