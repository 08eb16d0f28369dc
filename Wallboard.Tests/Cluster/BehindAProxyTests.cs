using System.Net;
using System.Text.RegularExpressions;
using Wallboard.Tests.Auth;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Tests.Ingest.Twilio;
using Wallboard.Web.Auth;
using Wallboard.Web.Ingest.Twilio;

namespace Wallboard.Tests.Cluster;

/// <summary>The app behind a proxy it is told to trust (<c>Wallboard:Proxy:KnownProxies</c> = 127.0.0.1).</summary>
public sealed class TrustedProxyApp : WallboardAppFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Wallboard:Proxy:KnownProxies:0"] = "127.0.0.1",
        ["Wallboard:SignIn:AttemptsPerAddress"] = "3",
    };
}

/// <summary>The same, trusting nobody (the default), with the same sign-in limit.</summary>
public sealed class UntrustedProxyApp : WallboardAppFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Wallboard:SignIn:AttemptsPerAddress"] = "3",
    };
}

/// <summary>
/// Forwarded headers (docs/scale-out.md, "Behind a proxy"): from a configured proxy, the client
/// address counts for the sign-in limits, <c>X-Forwarded-Proto: https</c> makes the sign-in cookie
/// Secure, and Twilio's signature is checked against the public address the proxy was reached at.
/// Without a configured proxy the headers change nothing.
/// </summary>
public sealed partial class BehindAProxyTests(TrustedProxyApp trusted, UntrustedProxyApp untrusted)
    : IClassFixture<TrustedProxyApp>, IClassFixture<UntrustedProxyApp>
{
    [Fact]
    public async Task From_a_known_proxy_the_sign_in_limit_counts_each_forwarded_client_address()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await SignInFromAsync(trusted, "203.0.113.7")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInFromAsync(trusted, "203.0.113.7")).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await SignInFromAsync(trusted, "203.0.113.8")).StatusCode);
    }

    [Fact]
    public async Task Without_a_known_proxy_a_forwarded_address_is_ignored_and_every_attempt_counts_for_the_connection()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await SignInFromAsync(untrusted, $"203.0.113.{20 + i}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInFromAsync(untrusted, "203.0.113.30")).StatusCode);
    }

    [Fact]
    public async Task Behind_a_proxy_that_terminated_https_the_sign_in_cookie_is_secure()
    {
        var email = await TestAccounts.CreateAsync(trusted, $"proxy-{Guid.NewGuid():N}@dealer.example", WallboardRole.Admin, []);

        var overHttps = await SignInFromAsync(trusted, "203.0.113.40", email, TestAccounts.Password, proto: "https");
        var overHttp = await SignInFromAsync(trusted, "203.0.113.41", email, TestAccounts.Password);

        Assert.Equal(HttpStatusCode.Redirect, overHttps.StatusCode);
        Assert.Contains(SessionCookie(overHttps), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.Redirect, overHttp.StatusCode);
        Assert.DoesNotContain(SessionCookie(overHttp), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_Twilio_callback_signed_for_the_public_address_is_accepted_through_a_known_proxy_and_refused_without_one()
    {
        var viaTrusted = await PostTwilioThroughProxyAsync(trusted, "CA44444444444444444444444444444444");
        var viaUntrusted = await PostTwilioThroughProxyAsync(untrusted, "CA55555555555555555555555555555555");

        Assert.Equal(HttpStatusCode.OK, viaTrusted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, viaUntrusted.StatusCode);
    }

    // Twilio signs the address it posted to: the public one, which only the proxy's headers tell.
    private static async Task<HttpResponseMessage> PostTwilioThroughProxyAsync(WallboardAppFactory app, string sid)
    {
        var credentials = new SignedIngestClient(app).Credentials;
        var form = TwilioCallbacks.Completed(sid);
        var path = $"api/v1/integrations/{credentials.Twilio.Id}/twilio/voice-status";
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app.BaseAddress, path)) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(credentials.Twilio.AuthToken, $"https://wallboard.example.com/{path}", form));
        request.Headers.Add("X-Forwarded-For", "54.172.60.1");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "wallboard.example.com");
        using var http = app.CreateHttpClient();
        return await http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> SignInFromAsync(
        WallboardAppFactory app, string clientAddress, string email = "nobody@dealer.example", string password = "wrong password", string? proto = null)
    {
        var http = TestAccounts.Client(app);
        var form = await http.GetStringAsync("account/sign-in");
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value);
        var request = new HttpRequestMessage(HttpMethod.Post, "account/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["_handler"] = "sign-in",
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }),
        };
        request.Headers.Add("X-Forwarded-For", clientAddress);
        if (proto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", proto);
        }

        return await http.SendAsync(request);
    }

    private static IEnumerable<string> SessionCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.Where(c => c.StartsWith(AuthExtensions.CookieName + "=", StringComparison.Ordinal)) : [];

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
