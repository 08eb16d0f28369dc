namespace Wallboard.Web.Auth;

/// <summary>The sign-in pages' addresses, and the one rule for where sign-in may send someone back to.</summary>
public static class SignInLinks
{
    public const string SignOutPage = AuthExtensions.SignOutPath;

    /// <summary>The sign-in page, coming back to <paramref name="returnUrl"/> afterwards (when it is one of ours).</summary>
    public static string SignIn(string? returnUrl) =>
        IsLocal(returnUrl) && returnUrl != "/"
            ? $"{AuthExtensions.SignInPath}?{AuthExtensions.ReturnUrlParameter}={Uri.EscapeDataString(returnUrl!)}"
            : AuthExtensions.SignInPath;

    /// <summary>
    /// Whether an address is a path on this site, so sign-in never sends a browser elsewhere (no
    /// open redirect): it starts with one '/', not '//' or '/\', and has no scheme, host or control characters.
    /// </summary>
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/')
        {
            return false;
        }

        if (url.Length > 1 && (url[1] == '/' || url[1] == '\\'))
        {
            return false;
        }

        return !url.Any(c => char.IsControl(c) || c == '\\');
    }

    /// <summary>Where to go after signing in: the return address when it is local, else home.</summary>
    public static string AfterSignIn(string? returnUrl) => IsLocal(returnUrl) ? returnUrl! : "/";
}
