namespace Wallboard.Web.Alerts;

/// <summary><c>Wallboard:Email</c>: how alert e-mails leave (MailKit over SMTP).</summary>
public sealed class EmailOptions
{
    public const string Section = "Wallboard:Email";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The sender, e.g. <c>Wallboard &lt;alerts@dealer.example&gt;</c>.</summary>
    public string? From { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Smtp.Host) && !string.IsNullOrWhiteSpace(From);
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>STARTTLS (port 587) or TLS on connect (port 465); false only for a server on the same network.</summary>
    public bool UseTls { get; set; } = true;
}

/// <summary><c>Wallboard:Sms:Twilio</c>: how alert texts leave (Twilio's Messages API).</summary>
public sealed class TwilioSmsOptions
{
    public const string Section = "Wallboard:Sms:Twilio";

    public string? AccountSid { get; set; }

    public string? AuthToken { get; set; }

    /// <summary>The Twilio number texts come from, in E.164.</summary>
    public string? From { get; set; }

    /// <summary>Where the API is; Twilio's own unless told (tests point it at a loopback server).</summary>
    public string? BaseUrl { get; set; }

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(AccountSid) && !string.IsNullOrWhiteSpace(AuthToken) && !string.IsNullOrWhiteSpace(From);
}

/// <summary><c>Wallboard:Alerts</c>: delivery tuning.</summary>
public sealed class AlertDeliveryOptions
{
    public const string Section = "Wallboard:Alerts";

    /// <summary>Tries per delivery before it shows as failed.</summary>
    public int MaxTries { get; set; } = 5;

    /// <summary>The wait after the first failure; it doubles with each try, up to an hour.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the delivery job runs.</summary>
    public TimeSpan DeliveryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the watch job looks for held callers, silent integrations and closing stores; zero turns it off.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a delivery run may hold a delivery before another may take it (a crash in the middle).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The address people open links at (<c>Wallboard:PublicBaseUrl</c>); localhost for a demo.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";
}
