using Wallboard.Domain.Stores;

namespace Wallboard.Domain.Alerts;

/// <summary>
/// The time rules of alerts: quiet hours (a store's quiet hours are the hours its sales department
/// is closed), retry backoff, and how long a store has been open between two instants.
/// </summary>
public static class AlertRules
{
    /// <summary>The longest wait between two tries, whatever the try number.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    /// <summary>
    /// Null when an alert of the store may go out at <paramref name="now"/>; otherwise the next
    /// opening, when it may. A store with no sales hours at all has no quiet hours; one that never
    /// opens again within the horizon holds the alert a day and asks again.
    /// </summary>
    public static DateTimeOffset? QuietUntil(StoreCalendar calendar, IReadOnlyCollection<BusinessHours> hours, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(hours);
        if (!hours.Any(h => h.Department == Department.Sales) || calendar.IsOpen(now, Department.Sales))
        {
            return null;
        }

        return calendar.NextOpening(now, Department.Sales) ?? now.AddDays(1);
    }

    /// <summary>When try number <paramref name="tries"/> + 1 is due after a failure: doubling from <paramref name="firstDelay"/>, at most an hour.</summary>
    public static TimeSpan RetryDelay(int tries, TimeSpan firstDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tries, 1);
        var factor = Math.Pow(2, Math.Min(tries - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(firstDelay.Ticks * factor, MaxRetryDelay.Ticks));
        return delay < firstDelay ? firstDelay : delay;
    }

    /// <summary>How long the department was open between two instants (closed dates and DST included).</summary>
    public static TimeSpan OpenTimeBetween(StoreCalendar calendar, Department department, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        var firstDay = calendar.LocalDate(from).AddDays(-1);
        var days = calendar.LocalDate(to).DayNumber - firstDay.DayNumber + 1;
        var open = TimeSpan.Zero;
        foreach (var (start, end) in calendar.OpenPeriods(firstDay, department, days))
        {
            var s = start > from ? start : from;
            var e = end < to ? end : to;
            if (e > s)
            {
                open += e - s;
            }
        }

        return open;
    }

    /// <summary>
    /// When the department closes on the local day of <paramref name="now"/>: the end of the day's last
    /// open period that starts that day; null on a day it does not open.
    /// </summary>
    public static DateTimeOffset? ClosingTime(StoreCalendar calendar, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var periods = calendar.OpenPeriods(date, Department.Sales, 1).ToList();
        return periods.Count == 0 ? null : periods.Max(p => p.End);
    }
}
