using System.Globalization;
using NodaTime;
using PhoneNumbers;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Stores;
using Wallboard.Web.Callbacks;

namespace Wallboard.Web.Components.Pages.Callbacks;

/// <summary>
/// How the call-back screens say times and numbers: in the store's own time zone ("due 09:15",
/// "12 min ago", "Tue 09:00"), numbers in the store's national format, as tappable <c>tel:</c> links.
/// </summary>
public sealed class CallbackClock(StoreCalendar calendar, string countryCode, DateTimeOffset now)
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public DateTimeOffset Now { get; } = now;

    public StoreCalendar Calendar { get; } = calendar;

    /// <summary>"just now", "12 min ago", "2 h 5 min ago", then the store-local time.</summary>
    public string Ago(DateTimeOffset at)
    {
        var span = Now - at;
        if (span < TimeSpan.FromMinutes(1))
        {
            return "just now";
        }

        if (span < TimeSpan.FromHours(1))
        {
            return $"{Minutes(span)} min ago";
        }

        if (span < TimeSpan.FromHours(6))
        {
            var minutes = span.Minutes;
            return minutes == 0 ? $"{(int)span.TotalHours} h ago" : $"{(int)span.TotalHours} h {minutes} min ago";
        }

        return At(at);
    }

    /// <summary>A store-local time: "14:05" today, "yesterday 18:40", "tomorrow 09:15", "Tue 24 Nov 09:00".</summary>
    public string At(DateTimeOffset at)
    {
        var local = Calendar.LocalDateTime(at);
        var days = Calendar.LocalDate(at).DayNumber - Calendar.LocalDate(Now).DayNumber;
        var time = local.ToString("HH:mm", CultureInfo.InvariantCulture);
        return days switch
        {
            0 => time,
            -1 => $"yesterday {time}",
            1 => $"tomorrow {time}",
            > 1 and < 7 or < -1 and > -7 => local.ToString("ddd HH:mm", CultureInfo.InvariantCulture),
            _ => local.ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>"12 min", "1 h 20 min", "38 h", "3 days": a length of time for a person, short enough for a label.</summary>
    public static string Span(TimeSpan span) =>
        span < TimeSpan.FromHours(1) ? $"{Minutes(span)} min"
        : span < TimeSpan.FromHours(6) ? (span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min")
        : span < TimeSpan.FromHours(48) ? $"{(int)span.TotalHours} h"
        : $"{(int)span.TotalDays} days";

    /// <summary>Where the call-back stands in time, in a few words, and how loudly to say it.</summary>
    public (string Text, CallbackUrgency Urgency) Due(CallbackView callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (!callback.IsActive)
        {
            return (Finished(callback), CallbackUrgency.Done);
        }

        if (callback.NoNumber)
        {
            return ("No number", CallbackUrgency.Quiet);
        }

        if (callback.Status == CallbackStatus.Scheduled && callback.NextAttemptAt is { } next)
        {
            return ($"Next try {At(next)}", CallbackUrgency.Quiet);
        }

        if (callback.Overdue)
        {
            return ($"Overdue {Span(Now - callback.DueAt)}", CallbackUrgency.Overdue);
        }

        var left = callback.DueAt - Now;
        return left <= TimeSpan.FromMinutes(60)
            ? ($"Due in {Span(left)}", left <= TimeSpan.FromMinutes(5) ? CallbackUrgency.Soon : CallbackUrgency.Due)
            : ($"Due {(Calendar.LocalDate(callback.DueAt) == Calendar.LocalDate(Now) ? "at " : string.Empty)}{At(callback.DueAt)}", CallbackUrgency.Due);
    }

    /// <summary>When they called: "Called 12 min ago", "3 missed calls · latest Wed 16:40".</summary>
    public string Called(CallbackView callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return callback.MissedCalls == 1
            ? $"Called {Ago(callback.LastMissedAt)}"
            : $"{callback.MissedCalls} missed calls · latest {Ago(callback.LastMissedAt)}";
    }

    /// <summary>The source, and the tracking number's label when it says more than the source ("Radio · Morning show").</summary>
    public static string Source(CallbackView callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var source = callback.Source ?? "Unknown source";
        return callback.CalledAbout is { } about && !about.StartsWith(source, StringComparison.OrdinalIgnoreCase) ? $"{source} · {about}" : source;
    }

    public string Finished(CallbackView callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return callback.Status switch
        {
            CallbackStatus.Completed => callback.Resolution?.Describe() ?? "Completed",
            CallbackStatus.Unreached => "Unreached",
            CallbackStatus.Closed => "Closed",
            _ => callback.Status.ToString(),
        };
    }

    /// <summary>The number as people write it here: "(312) 555-0142" at home, "+44 20 7946 0958" from abroad.</summary>
    public string Phone(string? e164)
    {
        if (string.IsNullOrEmpty(e164))
        {
            return "Private number";
        }

        try
        {
            var number = Phones.Parse(e164, countryCode);
            var format = Phones.GetRegionCodeForNumber(number) == countryCode ? PhoneNumberFormat.NATIONAL : PhoneNumberFormat.INTERNATIONAL;
            return Phones.Format(number, format);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }

    /// <summary>A store-local date and time typed into the page ("2026-11-25", "11:00") as an instant; null when unreadable.</summary>
    public DateTimeOffset? FromLocal(string? date, string? time)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            || !TimeOnly.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            return null;
        }

        var local = new LocalDateTime(d.Year, d.Month, d.Day, t.Hour, t.Minute);
        return Calendar.Zone.AtLeniently(local).ToInstant().ToDateTimeOffset();
    }

    /// <summary>The store-local date of now, as a date input wants it.</summary>
    public string TodayInput => Calendar.LocalDate(Now).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static int Minutes(TimeSpan span) => Math.Max(1, (int)span.TotalMinutes);
}

public enum CallbackUrgency
{
    Overdue = 0,
    Soon = 1,
    Due = 2,
    Quiet = 3,
    Done = 4,
}
