using System.Globalization;

namespace Wallboard.Web.Components.Shared;

/// <summary>
/// What live screens print, the same way the browser's timers (<c>wwwroot-assets/src/timers.js</c>)
/// print it, so the first render and the ticking timer agree.
/// </summary>
public static class LiveFormat
{
    /// <summary>An instant for <c>data-since</c>: ISO 8601 in UTC with milliseconds, which every browser parses.</summary>
    public static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Elapsed time as m:ss, or h:mm:ss from an hour on.</summary>
    public static string Elapsed(TimeSpan elapsed)
    {
        var total = Math.Max(0, (long)Math.Floor(elapsed.TotalSeconds));
        var (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
        return h > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{h}:{m:00}:{s:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{m}:{s:00}");
    }

    /// <summary>"just now", "2 min ago", "3 h ago".</summary>
    public static string Ago(TimeSpan elapsed)
    {
        var seconds = Math.Max(0, elapsed.TotalSeconds);
        if (seconds < 45)
        {
            return "just now";
        }

        return seconds < 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Round(seconds / 60, MidpointRounding.AwayFromZero))} min ago")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 3600)} h ago");
    }

    /// <summary>The class a timer has at <paramref name="elapsed"/>: "is-alert" from the alert threshold, "is-warn" from the warning one.</summary>
    public static string Tone(TimeSpan elapsed, int warnSeconds, int alertSeconds) =>
        alertSeconds > 0 && elapsed.TotalSeconds >= alertSeconds ? "is-alert"
        : warnSeconds > 0 && elapsed.TotalSeconds >= warnSeconds ? "is-warn"
        : string.Empty;

    /// <summary>A fraction as a whole percentage ("87%"), or an em dash when there is none.</summary>
    public static string Percent(double? fraction) =>
        fraction is { } f ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(f * 100, MidpointRounding.AwayFromZero):0}%") : "—";

    /// <summary>Whole minutes ("12 min"), or an em dash when there are none.</summary>
    public static string Minutes(double? minutes) =>
        minutes is { } m ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(m, MidpointRounding.AwayFromZero):0} min") : "—";

    /// <summary>A store-local day and time, e.g. "Mon 9:00 AM" in the store's zone.</summary>
    public static string DayAndTime(DateTimeOffset instant, string timeZoneId)
    {
        var local = new Domain.Stores.StoreCalendar(timeZoneId).LocalDateTime(instant);
        return local.ToString("ddd h:mm tt", CultureInfo.InvariantCulture);
    }

    /// <summary>A store-local clock time, e.g. "3:42 PM" in the store's zone.</summary>
    public static string ClockTime(DateTimeOffset instant, string timeZoneId)
    {
        var local = new Domain.Stores.StoreCalendar(timeZoneId).LocalDateTime(instant);
        return local.ToString("h:mm tt", CultureInfo.InvariantCulture);
    }
}
