using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Auth;

/// <summary>
/// Accounts for tests and the two ways a person signs in: a browser (Chromium fills the form) and
/// an HTTP client that posts the same form with its antiforgery token and keeps the cookie.
/// </summary>
internal static partial class TestAccounts
{
    public const string Password = "correct horse battery staple";

    /// <summary>The demo's accounts, as written to data/demo-credentials.json.</summary>
    public static IReadOnlyList<DemoAccount> Demo(WallboardAppFactory app)
    {
        var json = File.ReadAllText(Path.Combine(app.DataDirectory, DemoSeeder.CredentialsFileName));
        return JsonSerializer.Deserialize<DemoCredentials>(json, JsonSerializerOptions.Web)!.Accounts!;
    }

    public static DemoAccount DemoOf(WallboardAppFactory app, string role, int? store = null) =>
        Demo(app).First(a => a.Role == role && (store is null || (a.Stores.Count == 1 && a.Stores[0] == store)));

    /// <summary>Makes an account (password <see cref="Password"/>) through the app's own service; returns its e-mail.</summary>
    public static async Task<string> CreateAsync(WallboardAppFactory app, string email, WallboardRole role, int[] stores, int? salespersonId = null)
    {
        var accounts = app.Services.GetRequiredService<AccountService>();
        var made = await accounts.CreateAsync(new AccountInput(email, null, role, stores, salespersonId), Password, "tests", CancellationToken.None);
        Assert.True(made.Succeeded, string.Join(" ", made.Errors));
        return email;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, CookieContainer> Jars = [];

    /// <summary>A client of the real port that does not follow redirects and keeps cookies.</summary>
    public static HttpClient Client(WallboardAppFactory app, CookieContainer? cookies = null)
    {
        var jar = cookies ?? new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = jar, UseCookies = true })
        {
            BaseAddress = app.BaseAddress,
        };
        Jars.Add(http, jar);
        return http;
    }

    /// <summary>The values of the cookies a client of <see cref="Client"/> holds for the app.</summary>
    public static IEnumerable<string> CookieValues(HttpClient http, WallboardAppFactory app) =>
        Jars.TryGetValue(http, out var jar) ? jar.GetCookies(app.BaseAddress).Select(c => c.Value) : [];

    /// <summary>Posts the sign-in form as a browser would (antiforgery token from the page) and returns the response.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient http, string email, string password, string? returnUrl = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var path = returnUrl is null ? "account/sign-in" : $"account/sign-in?returnUrl={Uri.EscapeDataString(returnUrl)}";
        var form = await http.GetStringAsync(path);
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        Assert.NotEmpty(token);
        return await http.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["_handler"] = "sign-in",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>A client signed in as the account (it fails the test if sign-in does not redirect).</summary>
    public static async Task<HttpClient> SignedInAsync(WallboardAppFactory app, string email, string password = Password)
    {
        var http = Client(app);
        var response = await PostSignInAsync(http, email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return http;
    }

    /// <summary>
    /// Signs in through the form in Chromium and waits until the page it lands on is interactive
    /// (its circuit is live). It waits for the address to change (commit, not load: a page's
    /// circuit may navigate in-page before a load event) and then for the marker the layout sets
    /// once the circuit has rendered, never for a load state or network idle.
    /// </summary>
    public static async Task SignInAsync(IPage page, string email, string password = Password, string? returnUrl = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(returnUrl is null ? "account/sign-in" : $"account/sign-in?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.Locator("#sign-in-email").FillAsync(email);
        await page.Locator("#sign-in-password").FillAsync(password);
        await page.Locator("#sign-in-submit").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await WaitUntilInteractiveAsync(page);
    }

    /// <summary>Waits until the page's circuit is live: the marker <c>#app-interactive</c> of the app's layout.</summary>
    public static Task WaitUntilInteractiveAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.Locator("#app-interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
