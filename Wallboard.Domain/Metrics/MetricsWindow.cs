using Wallboard.Domain.Stores;

namespace Wallboard.Domain.Metrics;

/// <summary>The periods metrics are kept for (§7), all in the store's local calendar. Numbers are stored: never renumber.</summary>
public enum MetricsWindow
{
    /// <summary>The store-local day so far.</summary>
    Today = 0,

    /// <summary>The store-local day before today.</summary>
    Yesterday = 1,

    /// <summary>The seven whole local days before today (today is not in it, so it is a fair average).</summary>
    Last7Days = 2,

    /// <summary>From the first of the local month up to now, today included.</summary>
    MonthToDate = 3,

    /// <summary>The thirty whole local days before today.</summary>
    Last30Days = 4,
}

public static class MetricsWindows
{
    public static readonly IReadOnlyList<MetricsWindow> All = Enum.GetValues<MetricsWindow>();

    /// <summary>Parses a window name (any case); false for anything else, numbers included.</summary>
    public static bool TryParse(string? text, out MetricsWindow window)
    {
        window = default;
        return !string.IsNullOrWhiteSpace(text) && !char.IsAsciiDigit(text.Trim()[0]) && Enum.TryParse(text.Trim(), ignoreCase: true, out window) && Enum.IsDefined(window);
    }

    /// <summary>Whether the window includes today, so its figures move with every call.</summary>
    public static bool IncludesToday(this MetricsWindow window) => window is MetricsWindow.Today or MetricsWindow.MonthToDate;

    /// <summary>
    /// The half-open range [start, end) of UTC instants of the window at <paramref name="now"/>, from
    /// the store's local midnights: a day the clocks change on lasts 23 or 25 hours.
    /// </summary>
    public static MetricsPeriod Period(this MetricsWindow window, StoreCalendar calendar, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var today = calendar.LocalDate(now);
        var (first, days) = window switch
        {
            MetricsWindow.Today => (today, 1),
            MetricsWindow.Yesterday => (today.AddDays(-1), 1),
            MetricsWindow.Last7Days => (today.AddDays(-7), 7),
            MetricsWindow.MonthToDate => (new DateOnly(today.Year, today.Month, 1), today.Day),
            MetricsWindow.Last30Days => (today.AddDays(-30), 30),
            _ => throw new ArgumentOutOfRangeException(nameof(window), window, "Unknown window."),
        };
        return MetricsPeriod.Days(calendar, first, days);
    }

    /// <summary>Words for a person.</summary>
    public static string Describe(this MetricsWindow window) => window switch
    {
        MetricsWindow.Today => "Today",
        MetricsWindow.Yesterday => "Yesterday",
        MetricsWindow.Last7Days => "Last 7 days",
        MetricsWindow.MonthToDate => "Month to date",
        MetricsWindow.Last30Days => "Last 30 days",
        _ => window.ToString(),
    };
}

/// <summary>
/// A run of whole store-local days as UTC instants [Start, End), with the bounds of each day (for
/// daily series) and of each hour when it is one day (for the by-hour chart).
/// </summary>
public sealed record MetricsPeriod(DateOnly FirstDay, int DayCount, DateTimeOffset Start, DateTimeOffset End)
{
    public static MetricsPeriod Days(StoreCalendar calendar, DateOnly firstDay, int days)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        return new MetricsPeriod(firstDay, days, calendar.DayBounds(firstDay).Start, calendar.DayBounds(firstDay.AddDays(days - 1)).End);
    }

    /// <summary>
    /// The buckets of the period's series: its local days, or for a single day its hours since
    /// local midnight (23 or 25 of them when the clocks change), each labelled for a person.
    /// </summary>
    public IReadOnlyList<MetricsBucket> Buckets(StoreCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var buckets = new List<MetricsBucket>();
        if (DayCount == 1)
        {
            for (var at = Start; at < End; at = at.AddHours(1))
            {
                var local = calendar.LocalDateTime(at);
                buckets.Add(new MetricsBucket(buckets.Count, at, at.AddHours(1) < End ? at.AddHours(1) : End, local.ToString("HH:00", System.Globalization.CultureInfo.InvariantCulture)));
            }

            return buckets;
        }

        for (var i = 0; i < DayCount; i++)
        {
            var day = FirstDay.AddDays(i);
            var (start, end) = calendar.DayBounds(day);
            buckets.Add(new MetricsBucket(i, start, end, day.ToString("MMM d", System.Globalization.CultureInfo.InvariantCulture)));
        }

        return buckets;
    }
}

/// <summary>One point of a series: an hour or a local day.</summary>
public sealed record MetricsBucket(int Index, DateTimeOffset Start, DateTimeOffset End, string Label);
