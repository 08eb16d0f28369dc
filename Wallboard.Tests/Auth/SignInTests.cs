using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Auth;

/// <summary>Signing in and out over real HTTP: the form, its cookie, where it sends you, lockout, disabled accounts.</summary>
public sealed partial class SignInTests(WallboardAppFactory app) : IClassFixture<WallboardAppFactory>
{
    private int Lakeside => TestAccounts.Demo(app).First(a => a.Role == "Manager" && a.Stores.Count == 1).Stores[0];

    private Uri Here(string path) => new(app.BaseAddress, path);

    // Where a redirect goes, as a browser resolves it against this site.
    private Uri Resolved(HttpResponseMessage response) => new(app.BaseAddress, response.Headers.Location!);

    private Task<string> NewManagerAsync() =>
        TestAccounts.CreateAsync(app, $"manager.{Guid.NewGuid():N}@example.com", WallboardRole.Manager, [Lakeside]);

    [Fact]
    public async Task Signing_in_sets_an_http_only_same_site_cookie_and_returns_to_the_page_asked_for()
    {
        var email = await NewManagerAsync();
        var http = TestAccounts.Client(app);

        var response = await TestAccounts.PostSignInAsync(http, email, TestAccounts.Password, "/callbacks/manage");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Here("/callbacks/manage"), Resolved(response));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthExtensions.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        // Not "keep me signed in": a session cookie, gone when the browser closes.
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("callbacks/manage")).StatusCode);
    }

    [Fact]
    public async Task The_cookie_is_marked_secure_when_the_request_came_over_https()
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>>()
            .Get(IdentityConstants.ApplicationScheme);

        Assert.Equal(Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest, options.Cookie.SecurePolicy);
        Assert.True(options.SlidingExpiration);
        Assert.Equal(TimeSpan.FromHours(12), options.ExpireTimeSpan);
    }

    [Theory]
    [InlineData("//evil.example/steal")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    public async Task A_return_address_off_this_site_sends_the_person_home_instead(string returnUrl)
    {
        var email = await NewManagerAsync();

        var response = await TestAccounts.PostSignInAsync(TestAccounts.Client(app), email, TestAccounts.Password, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Here("/"), Resolved(response));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message_and_no_cookie()
    {
        var email = await NewManagerAsync();

        var response = await TestAccounts.PostSignInAsync(TestAccounts.Client(app), email, "not the right password");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Wrong e-mail or password.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(AuthExtensions.CookieName + "=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_15_minutes_even_against_the_right_password()
    {
        var email = await NewManagerAsync();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await TestAccounts.PostSignInAsync(TestAccounts.Client(app), email, $"wrong guess {i}")).StatusCode);
        }

        var right = await TestAccounts.PostSignInAsync(TestAccounts.Client(app), email, TestAccounts.Password);

        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains("locked after too many failed attempts", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync();
        var lockedUntil = (await db.Users.SingleAsync(u => u.Email == email)).LockoutEnd!.Value;
        Assert.InRange(lockedUntil - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.1));

        // An admin's unlock lets the right password in again.
        var id = (await db.Users.SingleAsync(u => u.Email == email)).Id;
        Assert.True((await app.Services.GetRequiredService<AccountService>().UnlockAsync(id, "tests", CancellationToken.None)).Succeeded);
        Assert.Equal(HttpStatusCode.Redirect, (await TestAccounts.PostSignInAsync(TestAccounts.Client(app), email, TestAccounts.Password)).StatusCode);
    }

    [Fact]
    public async Task A_disabled_account_loses_its_open_session_at_the_next_request_and_cannot_sign_in()
    {
        var email = await NewManagerAsync();
        var http = await TestAccounts.SignedInAsync(app, email);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("callbacks/manage")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"api/v1/callbacks?store={Lakeside}")).StatusCode);

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync())
        {
            var id = (await db.Users.SingleAsync(u => u.Email == email)).Id;
            Assert.True((await app.Services.GetRequiredService<AccountService>().SetDisabledAsync(id, true, "tests", CancellationToken.None)).Succeeded);
        }

        var page = await http.GetAsync("callbacks/manage");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/sign-in", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"api/v1/callbacks?store={Lakeside}")).StatusCode);

        var again = await TestAccounts.PostSignInAsync(TestAccounts.Client(app), email, TestAccounts.Password);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("may not sign in", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_account_loses_its_open_session_at_the_next_request()
    {
        var email = await NewManagerAsync();
        var http = await TestAccounts.SignedInAsync(app, email);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("callbacks/manage")).StatusCode);

        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync())
        {
            await db.Users.Where(u => u.Email == email).ExecuteDeleteAsync();
        }

        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("callbacks/manage")).StatusCode);
    }

    [Fact]
    public async Task A_new_password_ends_the_sessions_signed_in_with_the_old_one()
    {
        var email = await NewManagerAsync();
        var http = await TestAccounts.SignedInAsync(app, email);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync();
        var id = (await db.Users.SingleAsync(u => u.Email == email)).Id;

        var reset = await app.Services.GetRequiredService<AccountService>().ResetPasswordAsync(id, null, "tests", CancellationToken.None);

        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("callbacks/manage")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TestAccounts.PostSignInAsync(TestAccounts.Client(app), email, TestAccounts.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await TestAccounts.PostSignInAsync(TestAccounts.Client(app), email, reset.NewPassword!)).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var email = await NewManagerAsync();
        var http = await TestAccounts.SignedInAsync(app, email);
        var page = await http.GetStringAsync("account/sign-out");
        var token = WebUtility.HtmlDecode(Antiforgery().Match(page).Groups[1].Value);

        var response = await http.PostAsync("account/sign-out", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "sign-out",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(Here("/account/sign-in?signedOut=true"), Resolved(response));
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("callbacks/manage")).StatusCode);
    }

    [Fact]
    public async Task The_sign_in_form_refuses_a_post_without_its_antiforgery_token()
    {
        var email = await NewManagerAsync();

        var response = await TestAccounts.Client(app).PostAsync("account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["Input.Email"] = email,
            ["Input.Password"] = TestAccounts.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(AuthExtensions.CookieName + "=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_cookie_reads_the_api_but_changes_nothing_there()
    {
        var email = await NewManagerAsync();
        var http = await TestAccounts.SignedInAsync(app, email);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"api/v1/callbacks?store={Lakeside}")).StatusCode);
        var post = await http.PostAsync("api/v1/callbacks/1/close", new StringContent("""{"reason":"x"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}

/// <summary>The sign-in throttle, with limits small enough to reach.</summary>
public sealed class SignInThrottleTests(SignInThrottleTests.ThrottledApp app) : IClassFixture<SignInThrottleTests.ThrottledApp>
{
    public sealed class ThrottledApp : WallboardAppFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Wallboard:SignIn:AttemptsPerAccount"] = "3",
            ["Wallboard:SignIn:AttemptsPerAddress"] = "8",
        };
    }

    [Fact]
    public async Task Attempts_beyond_the_limit_per_account_and_per_address_are_answered_429()
    {
        var email = "nobody@example.com";
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await TestAccounts.PostSignInAsync(TestAccounts.Client(app), email, "guess " + i)).StatusCode);
        }

        var fourth = await TestAccounts.PostSignInAsync(TestAccounts.Client(app), email, "guess 3");
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Contains("Too many sign-in attempts", await fourth.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Other e-mails from the same address: the address runs out after 8 attempts in all.
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            codes.Add((await TestAccounts.PostSignInAsync(TestAccounts.Client(app), $"other{i}@example.com", "guess")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], codes);
    }
}
