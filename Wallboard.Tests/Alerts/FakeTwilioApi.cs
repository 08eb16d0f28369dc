using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Wallboard.Tests.Alerts;

/// <summary>
/// Twilio's Messages resource on a loopback port, checking each request as Twilio documents it
/// (<c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>, HTTP Basic auth with the account SID
/// and auth token, form fields <c>To</c>, <c>From</c>, <c>Body</c>) and answering as Twilio does:
/// 201 with the message resource as JSON, or an error object (<c>code</c>, <c>message</c>,
/// <c>more_info</c>, <c>status</c>). Anything out of the documented shape is kept in <see cref="Problems"/>.
/// </summary>
public sealed class FakeTwilioApi : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "0123456789abcdef0123456789abcdef";
    public const string From = "+13125550100";

    private readonly WebApplication _app;

    private FakeTwilioApi(WebApplication app) => _app = app;

    /// <summary>The messages Twilio accepted.</summary>
    public ConcurrentQueue<(string Sid, string To, string From, string Body)> Accepted { get; } = new();

    /// <summary>Requests that broke Twilio's documented contract (the sender's bug, not a refusal under test).</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    /// <summary>When set, every request is refused with this Twilio error (e.g. 400, 21211).</summary>
    public (int Status, int Code, string Message)? FailWith { get; set; }

    public Uri BaseAddress { get; private set; } = null!;

    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Wallboard:Sms:Twilio:AccountSid"] = AccountSid,
        ["Wallboard:Sms:Twilio:AuthToken"] = AuthToken,
        ["Wallboard:Sms:Twilio:From"] = From,
        ["Wallboard:Sms:Twilio:BaseUrl"] = BaseAddress.ToString(),
    };

    public static async Task<FakeTwilioApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeTwilioApi(app);
        app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", (Delegate)fake.CreateMessageAsync);
        app.MapFallback((HttpContext context) =>
        {
            fake.Problems.Enqueue($"{context.Request.Method} {context.Request.Path} is not the Messages resource");
            return Error(404, 20404, "The requested resource was not found");
        });
        await app.StartAsync();
        fake.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single() + "/");
        return fake;
    }

    private async Task<IResult> CreateMessageAsync(string sid, HttpRequest request)
    {
        if (sid != AccountSid)
        {
            Problems.Enqueue($"account SID in the path was '{sid}'");
            return Error(404, 20404, "The requested resource was not found");
        }

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
        if (request.Headers.Authorization.ToString() != expected)
        {
            Problems.Enqueue($"Authorization was '{request.Headers.Authorization}'");
            return Error(401, 20003, "Authenticate");
        }

        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true)
        {
            Problems.Enqueue($"Content-Type was '{request.ContentType}'");
            return Error(400, 20001, "Invalid content type");
        }

        var form = await request.ReadFormAsync();
        string To = form["To"].ToString(), from = form["From"].ToString(), body = form["Body"].ToString();
        if (string.IsNullOrEmpty(To) || !To.StartsWith('+') || !To[1..].All(char.IsAsciiDigit))
        {
            Problems.Enqueue($"To was '{To}'");
            return Error(400, 21211, $"The 'To' number {To} is not a valid phone number.");
        }

        if (from != From)
        {
            Problems.Enqueue($"From was '{from}'");
            return Error(400, 21606, $"The From phone number {from} is not a valid, SMS-capable inbound phone number or short code for your account.");
        }

        if (string.IsNullOrEmpty(body) || body.Length > 1600)
        {
            Problems.Enqueue($"Body had {body.Length} characters");
            return Error(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
        }

        if (FailWith is { } failure)
        {
            return Error(failure.Status, failure.Code, failure.Message);
        }

        var messageSid = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        Accepted.Enqueue((messageSid, To, from, body));
        var created = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
        return Results.Json(
            new Dictionary<string, object?>
            {
                ["account_sid"] = AccountSid,
                ["api_version"] = "2010-04-01",
                ["body"] = body,
                ["date_created"] = created,
                ["date_sent"] = null,
                ["date_updated"] = created,
                ["direction"] = "outbound-api",
                ["error_code"] = null,
                ["error_message"] = null,
                ["from"] = from,
                ["messaging_service_sid"] = null,
                ["num_media"] = "0",
                ["num_segments"] = "1",
                ["price"] = null,
                ["price_unit"] = "USD",
                ["sid"] = messageSid,
                ["status"] = "queued",
                ["subresource_uris"] = new Dictionary<string, string> { ["media"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{messageSid}/Media.json" },
                ["to"] = To,
                ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{messageSid}.json",
            },
            statusCode: 201);
    }

    private static IResult Error(int status, int code, string message) => Results.Json(
        new Dictionary<string, object>
        {
            ["code"] = code,
            ["message"] = message,
            ["more_info"] = $"https://www.twilio.com/docs/errors/{code.ToString(CultureInfo.InvariantCulture)}",
            ["status"] = status,
        },
        statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
