using Wallboard.Domain.Alerts;

namespace Wallboard.Web.Alerts;

/// <summary>
/// The outbox: one row per alert raised, written in the same transaction as the change that raised
/// it (an escalation, a call-back falling due, a caller held too long, a silent integration, a day
/// closing). The delivery job fans it out into one <see cref="AlertDelivery"/> per person and channel.
/// </summary>
public sealed class Alert
{
    public long Id { get; set; }

    public AlertKind Kind { get; set; }

    public int StoreId { get; set; }

    /// <summary>
    /// Unique when set: alerts raised by a check that may run twice (a caller held, an integration's
    /// silence, a day's digest) carry a key, so the second insert fails instead of alerting twice.
    /// Alerts raised by a state change (escalated, fell due) need none: the change happens once.
    /// </summary>
    public string? DedupKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public long? CallbackId { get; set; }

    public long? CallId { get; set; }

    public int? IntegrationId { get; set; }

    /// <summary>The e-mail's subject.</summary>
    public required string Subject { get; set; }

    /// <summary>The e-mail's plain-text body.</summary>
    public required string Text { get; set; }

    /// <summary>The e-mail's HTML body; null sends plain text only.</summary>
    public string? Html { get; set; }

    /// <summary>The SMS (who, what, a short link) with the caller's full number.</summary>
    public required string Sms { get; set; }

    /// <summary>The same SMS for a phone marked shared: the caller's number masked to its last four digits.</summary>
    public required string SmsMasked { get; set; }

    /// <summary>The e-mail text for a mailbox marked shared (masked numbers); null when the text holds no number.</summary>
    public string? TextMasked { get; set; }

    /// <summary>The e-mail HTML for a mailbox marked shared.</summary>
    public string? HtmlMasked { get; set; }

    /// <summary>When its deliveries were made; null until the delivery job has fanned it out.</summary>
    public DateTimeOffset? FannedOutAt { get; set; }

    public List<AlertDelivery> Deliveries { get; set; } = [];
}

/// <summary>Where one delivery stands. Numbers are stored: never renumber.</summary>
public enum AlertDeliveryStatus
{
    /// <summary>Waiting for its next try (<see cref="AlertDelivery.NextAttemptAt"/>).</summary>
    Pending = 0,

    /// <summary>Taken by a delivery run until <see cref="AlertDelivery.LeaseUntil"/>.</summary>
    Sending = 1,

    Sent = 2,

    /// <summary>Every try failed; shown on the delivery log and in /health.</summary>
    Failed = 3,

    /// <summary>Not sent, on purpose (the call-back was dealt with first, the channel was switched off).</summary>
    Skipped = 4,
}

/// <summary>One alert to one person on one channel, with its tries.</summary>
public sealed class AlertDelivery
{
    public long Id { get; set; }

    public long AlertId { get; set; }

    public Alert Alert { get; set; } = null!;

    public int UserId { get; set; }

    public required string RecipientName { get; set; }

    public AlertChannel Channel { get; set; }

    /// <summary>The e-mail address or the E.164 mobile number.</summary>
    public required string Address { get; set; }

    /// <summary>The person marked this address shared: it never gets a full caller number.</summary>
    public bool Shared { get; set; }

    public AlertDeliveryStatus Status { get; set; }

    public int Tries { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>The provider's id: the e-mail's Message-Id or Twilio's message SID.</summary>
    public string? ProviderId { get; set; }
}

/// <summary>A person's choice of channels for one kind of alert (no row: the default for their role).</summary>
public sealed class AlertPreference
{
    public int UserId { get; set; }

    public AlertKind Kind { get; set; }

    public bool Email { get; set; }

    public bool Sms { get; set; }
}

/// <summary>A person's alert contact details beyond their sign-in e-mail.</summary>
public sealed class AlertProfile
{
    public int UserId { get; set; }

    /// <summary>Mobile number for SMS, in E.164.</summary>
    public string? MobileE164 { get; set; }

    /// <summary>Others read this phone (a desk or floor phone): texts never carry a full caller number.</summary>
    public bool MobileShared { get; set; }

    /// <summary>Others read this mailbox: e-mails never carry a full caller number.</summary>
    public bool EmailShared { get; set; }
}

/// <summary>A store's alert switches and thresholds, set on the admin store screen (audited).</summary>
public sealed class StoreAlertSettings
{
    public const int DefaultCallerWaitingPerHour = 4;
    public const int DefaultIntegrationSilentMinutes = 30;

    public int StoreId { get; set; }

    /// <summary>Alerts of this store go out at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>At most this many "caller waiting or on hold" alerts per store per hour (1–60).</summary>
    public int CallerWaitingPerHour { get; set; } = DefaultCallerWaitingPerHour;

    /// <summary>An integration silent this long in business hours raises an alert (5–1440 minutes).</summary>
    public int IntegrationSilentMinutes { get; set; } = DefaultIntegrationSilentMinutes;

    /// <summary>The daily digest goes to the managers at closing.</summary>
    public bool DigestEnabled { get; set; } = true;

    public static StoreAlertSettings DefaultFor(int storeId) => new() { StoreId = storeId };
}
