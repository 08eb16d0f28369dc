namespace Wallboard.Domain.Alerts;

/// <summary>What an alert is about. Numbers are stored: never renumber.</summary>
public enum AlertKind
{
    /// <summary>A call-back with no attempt by the manager-follow-up limit (§6): to the store's managers.</summary>
    CallbackEscalated = 0,

    /// <summary>A call-back still unclaimed when it falls due: to the store's salespeople on shift who opted in.</summary>
    CallbackUnclaimed = 1,

    /// <summary>A caller waiting or on hold past the store's hold limit: to the store's managers.</summary>
    CallerWaiting = 2,

    /// <summary>An integration that has sent nothing for too long in business hours: to admins and the store's managers.</summary>
    IntegrationSilent = 3,

    /// <summary>The day in numbers, at the store's closing time: to the store's managers (e-mail only).</summary>
    DailyDigest = 4,
}

/// <summary>How an alert reaches a person. Numbers are stored: never renumber.</summary>
public enum AlertChannel
{
    Email = 0,
    Sms = 1,
}

/// <summary>Who an alert kind is for, and what a person gets when they never chose.</summary>
public static class AlertKinds
{
    public static readonly IReadOnlyList<AlertKind> All = Enum.GetValues<AlertKind>();

    /// <summary>Words for a person (account page, delivery log).</summary>
    public static string Describe(this AlertKind kind) => kind switch
    {
        AlertKind.CallbackEscalated => "Call-back escalated",
        AlertKind.CallbackUnclaimed => "Call-back due and unclaimed",
        AlertKind.CallerWaiting => "Caller waiting or on hold too long",
        AlertKind.IntegrationSilent => "Phone system silent",
        AlertKind.DailyDigest => "Daily digest",
        _ => kind.ToString(),
    };

    /// <summary>The channels a kind can use: the digest is an e-mail, everything else e-mail or SMS.</summary>
    public static IReadOnlyList<AlertChannel> Channels(this AlertKind kind) =>
        kind == AlertKind.DailyDigest ? [AlertChannel.Email] : [AlertChannel.Email, AlertChannel.Sms];

    /// <summary>Whether a person of this role receives the kind at all (§9 roles; admins see every store).</summary>
    public static bool IsFor(this AlertKind kind, AlertAudience audience) => kind switch
    {
        AlertKind.CallbackEscalated or AlertKind.CallerWaiting or AlertKind.DailyDigest => audience == AlertAudience.Manager,
        AlertKind.CallbackUnclaimed => audience == AlertAudience.Salesperson,
        AlertKind.IntegrationSilent => audience is AlertAudience.Manager or AlertAudience.Admin,
        _ => false,
    };

    /// <summary>
    /// What a person who never chose gets: managers and admins the e-mails meant for them, nothing by
    /// SMS (a text needs a number and a yes); salespeople nothing (they opt in).
    /// </summary>
    public static bool IsOnByDefault(this AlertKind kind, AlertAudience audience, AlertChannel channel) =>
        channel == AlertChannel.Email && audience != AlertAudience.Salesperson && kind.IsFor(audience);
}

/// <summary>The role an account receives alerts as.</summary>
public enum AlertAudience
{
    Admin = 0,
    Manager = 1,
    Salesperson = 2,
}
