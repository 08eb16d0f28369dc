using System.Globalization;
using Microsoft.Extensions.Options;
using PhoneNumbers;
using Wallboard.Domain.Alerts;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Alerts;

/// <summary>
/// Writes the words of an alert: a subject, a plain-text e-mail, and an SMS that says who, what and
/// a short link, each in a full and a masked version (for a phone or mailbox marked shared, the
/// caller's number shows as its last four digits only).
/// </summary>
public sealed class AlertComposer(IOptions<AlertDeliveryOptions> options)
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public string Link(string pathAndQuery) => options.Value.PublicBaseUrl.TrimEnd('/') + "/" + pathAndQuery.TrimStart('/');

    /// <summary>A call-back that nobody attempted by the manager-follow-up limit.</summary>
    public Alert CallbackEscalated(Store store, Callback callback, string source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(callback);
        var link = Link($"callbacks/manage?store={store.Id}&callback={callback.Id}");
        var when = LocalTime(store, callback.FirstMissedAt);
        var times = callback.MissedCallCount == 1 ? "once" : $"{callback.MissedCallCount.ToString(CultureInfo.InvariantCulture)} times";
        var claimed = callback.ClaimedBy is { } who ? $" Claimed by {who}." : " Nobody has claimed it.";
        string Body(string caller) =>
            $"{caller} ({source}) called {store.Name} {times}, first at {when}, and nobody has tried to call back within {store.Settings.ManagerFollowUpMinutes.ToString(CultureInfo.InvariantCulture)} min of business time.{claimed}";
        string Sms(string caller) => $"{store.Name}: call-back escalated. {caller} ({source}) missed at {when}, no attempt yet. {link}";
        var alert = About(store, callback.CallerE164, caller => $"{Body(caller)}\n\nOpen the call-back: {link}\n", Sms);
        alert.Kind = AlertKind.CallbackEscalated;
        alert.CallbackId = callback.Id;
        alert.CreatedAt = now;
        alert.Subject = $"Escalated call-back: {Caller(callback.CallerE164, store.CountryCode, masked: false)} ({source}) at {store.Name}";
        return alert;
    }

    /// <summary>A call-back that fell due with nobody's claim on it.</summary>
    public Alert CallbackUnclaimed(Store store, Callback callback, string source, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(callback);
        var link = Link($"callbacks?store={store.Id}");
        var when = LocalTime(store, callback.LastMissedAt);
        string Body(string caller) =>
            $"{caller} ({source}) called {store.Name} at {when} and is due a call-back now. Nobody has claimed it: claim it and call.";
        string Sms(string caller) => $"{store.Name}: call-back due, unclaimed. {caller} ({source}) missed at {when}. Claim: {link}";
        var alert = About(store, callback.CallerE164, caller => $"{Body(caller)}\n\nYour call-back queue: {link}\n", Sms);
        alert.Kind = AlertKind.CallbackUnclaimed;
        alert.CallbackId = callback.Id;
        alert.CreatedAt = now;
        alert.Subject = $"Call-back due and unclaimed: {Caller(callback.CallerE164, store.CountryCode, masked: false)} ({source}) at {store.Name}";
        return alert;
    }

    /// <summary>A caller waiting unanswered or on hold past the store's hold limit.</summary>
    public Alert CallerWaiting(Store store, Call call, string source, bool onHold, TimeSpan waited, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(call);
        var link = Link($"manager/live/{store.Id}");
        var what = onHold ? "on hold" : "waiting to be answered";
        var how = Duration(waited);
        string Body(string caller) => $"{caller} ({source}) has been {what} at {store.Name} for {how} (hold limit {store.Settings.HoldLimitSeconds.ToString(CultureInfo.InvariantCulture)} s).";
        string Sms(string caller) => $"{store.Name}: {caller} ({source}) {what} for {how}. {link}";
        var alert = About(store, call.CallerE164, caller => $"{Body(caller)}\n\nLive board: {link}\n", Sms);
        alert.Kind = AlertKind.CallerWaiting;
        alert.CallId = call.Id;
        alert.DedupKey = $"caller-waiting:{call.Id.ToString(CultureInfo.InvariantCulture)}";
        alert.CreatedAt = now;
        alert.Subject = $"Caller {what} {how} at {store.Name}";
        return alert;
    }

    /// <summary>An integration that has posted nothing for too long while the store is open.</summary>
    public Alert IntegrationSilent(Store store, Integration integration, DateTimeOffset lastEventAt, TimeSpan silentOpenTime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(integration);
        var link = Link("admin/integrations");
        var last = LocalTime(store, lastEventAt, withDate: true);
        var text = $"{integration.Name} has sent no call to {store.Name} for {Duration(silentOpenTime)} of business hours (last call event {last}). "
            + "The phone system or its connection may be down: the board would show zero calls.";
        var sms = $"{store.Name}: phone system {integration.Name} silent {Duration(silentOpenTime)} (last event {last}). {link}";
        return new Alert
        {
            Kind = AlertKind.IntegrationSilent,
            StoreId = store.Id,
            IntegrationId = integration.Id,
            DedupKey = $"integration-silent:{integration.Id.ToString(CultureInfo.InvariantCulture)}:{store.Id.ToString(CultureInfo.InvariantCulture)}:{lastEventAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}",
            CreatedAt = now,
            Subject = $"Phone system silent: {integration.Name} at {store.Name}",
            Text = $"{text}\n\nIntegrations: {link}\n",
            Sms = sms,
            SmsMasked = sms,
        };
    }

    /// <summary>An alert about one caller: its e-mail text and SMS written once with the full number and once masked.</summary>
    private static Alert About(Store store, string? e164, Func<string, string> text, Func<string, string> sms)
    {
        var full = Caller(e164, store.CountryCode, masked: false);
        var masked = Caller(e164, store.CountryCode, masked: true);
        return new Alert
        {
            StoreId = store.Id,
            Subject = string.Empty,
            Text = text(full),
            TextMasked = text(masked),
            Sms = sms(full),
            SmsMasked = sms(masked),
        };
    }

    /// <summary>The caller as a person reads it: national format in the store's country, or only the last four digits.</summary>
    public static string Caller(string? e164, string country, bool masked)
    {
        if (string.IsNullOrWhiteSpace(e164) || CallerPseudonym.IsPseudonym(e164))
        {
            return CallerPseudonym.IsPseudonym(e164) ? "An anonymized caller" : "A private caller";
        }

        if (masked)
        {
            var digits = new string(e164.Where(char.IsAsciiDigit).ToArray());
            return "caller ending " + (digits.Length >= 4 ? digits[^4..] : digits);
        }

        try
        {
            var parsed = Phones.Parse(e164, country);
            return Phones.Format(parsed, Phones.GetRegionCodeForNumber(parsed) == country ? PhoneNumberFormat.NATIONAL : PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }

    public static string LocalTime(Store store, DateTimeOffset at, bool withDate = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        var local = store.Calendar.LocalDateTime(at);
        return local.ToString(withDate ? "ddd d MMM HH:mm" : "HH:mm", CultureInfo.InvariantCulture);
    }

    public static string Duration(TimeSpan span) => span.TotalMinutes >= 120
        ? $"{(int)span.TotalHours} h {span.Minutes} min"
        : span.TotalSeconds >= 120 ? $"{(int)span.TotalMinutes} min" : $"{(int)span.TotalSeconds} s";
}
