using Wallboard.Domain.Stores;

namespace Wallboard.Domain.Callbacks;

/// <summary>
/// Time counted only while a department is open (§6: "counted in business time"). Built on
/// <see cref="StoreCalendar.OpenPeriods"/>, so store-local hours, DST changes and closed dates are
/// the calendar's, and every answer is a UTC instant.
/// </summary>
public static class BusinessClock
{
    /// <summary>How far ahead the clock looks for open hours before it gives up.</summary>
    public const int HorizonDays = 60;

    /// <summary>
    /// The instant at which <paramref name="duration"/> of open time has passed since
    /// <paramref name="from"/>. Open time left today counts, the rest carries over to the next
    /// openings: a miss 5 minutes before closing with a 15-minute SLA is due 10 minutes after the
    /// next opening. A department with no open hours at all in the horizon counts wall-clock time,
    /// so a store that never set its hours still gets due times.
    /// </summary>
    public static DateTimeOffset Add(StoreCalendar calendar, Department department, DateTimeOffset from, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (duration <= TimeSpan.Zero)
        {
            return from;
        }

        var cursor = from;
        var remaining = duration;
        foreach (var (start, end) in calendar.OpenPeriods(calendar.LocalDate(from).AddDays(-1), department, HorizonDays + 1))
        {
            if (end <= cursor)
            {
                continue;
            }

            var begin = start > cursor ? start : cursor;
            var available = end - begin;
            if (remaining <= available)
            {
                return begin + remaining;
            }

            remaining -= available;
            cursor = end;
        }

        return from + duration;
    }

    /// <summary>
    /// When the department opens on the <paramref name="days"/>-th business day after the local
    /// date of <paramref name="from"/> (1 = the next day it is open at all; closed dates and days
    /// without hours are skipped). Wall-clock days when the department has no hours.
    /// </summary>
    public static DateTimeOffset OpeningOfBusinessDay(StoreCalendar calendar, Department department, DateTimeOffset from, int days)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);

        var date = calendar.LocalDate(from);
        var found = 0;
        for (var i = 1; i <= HorizonDays * days; i++)
        {
            var day = date.AddDays(i);
            foreach (var (start, _) in calendar.OpenPeriods(day, department, 1))
            {
                if (++found == days)
                {
                    return start;
                }

                break;
            }
        }

        return from.AddDays(days);
    }
}
