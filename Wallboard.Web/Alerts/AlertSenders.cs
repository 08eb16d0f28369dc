using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Wallboard.Domain.Alerts;

namespace Wallboard.Web.Alerts;

/// <summary>One message to one address, as a channel sends it.</summary>
public sealed record AlertMessage(long DeliveryId, string To, string ToName, string Subject, string Text, string? Html);

/// <summary>Sends on one channel; throws <see cref="AlertSendException"/> (or any I/O error) when the provider refuses.</summary>
public interface IAlertSender
{
    AlertChannel Channel { get; }

    bool IsConfigured { get; }

    /// <summary>Sends and returns the provider's id for the message.</summary>
    Task<string> SendAsync(AlertMessage message, CancellationToken ct);
}

/// <summary>A provider's refusal, in words for the delivery log.</summary>
public sealed class AlertSendException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>E-mail through an SMTP server with MailKit (<c>Wallboard:Email</c>).</summary>
public sealed class SmtpAlertSender(IOptions<EmailOptions> options) : IAlertSender
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public AlertChannel Channel => AlertChannel.Email;

    public bool IsConfigured => options.Value.IsConfigured;

    public async Task<string> SendAsync(AlertMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var from = MailboxAddress.Parse(settings.From!);
        var mail = new MimeMessage();
        mail.From.Add(from);
        mail.To.Add(new MailboxAddress(message.ToName, message.To));
        mail.Subject = message.Subject;
        // The same delivery always carries the same Message-Id: a resend after a crash is recognisably one message.
        var domain = from.Domain is { Length: > 0 } d ? d : "wallboard.local";
        mail.MessageId = $"alert-{message.DeliveryId.ToString(CultureInfo.InvariantCulture)}@{domain}";
        mail.Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody();

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        var security = !settings.Smtp.UseTls ? SecureSocketOptions.None
            : settings.Smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        try
        {
            await client.ConnectAsync(settings.Smtp.Host!, settings.Smtp.Port, security, ct);
            if (!string.IsNullOrEmpty(settings.Smtp.UserName))
            {
                await client.AuthenticateAsync(settings.Smtp.UserName, settings.Smtp.Password ?? string.Empty, ct);
            }

            await client.SendAsync(mail, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (SmtpCommandException ex)
        {
            throw new AlertSendException($"SMTP server refused ({(int)ex.StatusCode} {ex.ErrorCode}): {ex.Message}", ex);
        }
        catch (SmtpProtocolException ex)
        {
            throw new AlertSendException($"SMTP protocol error: {ex.Message}", ex);
        }
        catch (MailKit.Security.AuthenticationException ex)
        {
            throw new AlertSendException($"SMTP sign-in refused: {ex.Message}", ex);
        }

        return mail.MessageId;
    }
}

/// <summary>
/// SMS through Twilio's Messages API with the official client (<c>Wallboard:Sms:Twilio</c>). The
/// client's requests go to <c>BaseUrl</c> when it is set (a loopback server in tests), else to Twilio.
/// </summary>
public sealed class TwilioAlertSender(IOptions<TwilioSmsOptions> options, IHttpClientFactory httpClients) : IAlertSender
{
    public const string HttpClientName = "twilio";

    public AlertChannel Channel => AlertChannel.Sms;

    public bool IsConfigured => options.Value.IsConfigured;

    public async Task<string> SendAsync(AlertMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var client = new TwilioRestClient(
            settings.AccountSid, settings.AuthToken, httpClient: new Twilio.Http.SystemNetHttpClient(httpClients.CreateClient(HttpClientName)));
        try
        {
            var sent = await MessageResource.CreateAsync(
                to: new Twilio.Types.PhoneNumber(message.To),
                from: new Twilio.Types.PhoneNumber(settings.From),
                body: message.Text,
                client: client);
            return sent.Sid;
        }
        catch (ApiException ex)
        {
            throw new AlertSendException($"Twilio refused ({ex.Status.ToString(CultureInfo.InvariantCulture)}, code {ex.Code.ToString(CultureInfo.InvariantCulture)}): {ex.Message}", ex);
        }
        catch (ApiConnectionException ex)
        {
            throw new AlertSendException($"Twilio could not be reached: {ex.Message}", ex);
        }
    }
}

/// <summary>Sends the Twilio client's requests to <c>Wallboard:Sms:Twilio:BaseUrl</c> instead of api.twilio.com (path and query kept).</summary>
public sealed class TwilioBaseUrlHandler(IOptions<TwilioSmsOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (options.Value.BaseUrl is { Length: > 0 } baseUrl && request.RequestUri is { } uri)
        {
            var target = new Uri(baseUrl.TrimEnd('/') + "/");
            request.RequestUri = new Uri(target, uri.PathAndQuery.TrimStart('/'));
        }

        return base.SendAsync(request, cancellationToken);
    }
}
