using NodaTime;
using NodaTime.TimeZones;

namespace Wallboard.Domain.Stores;

/// <summary>
/// Calendar math in a store's own time zone: which local day an instant falls on, where that day
/// starts and ends, and whether a department is open. DST gaps and overlaps are resolved on
/// purpose: a day is from its first local instant to the next day's, so it lasts 23 or 25 hours on
/// the days the clocks change, and opening times that fall in a gap move to the end of the gap.
/// </summary>
public sealed class StoreCalendar
{
    private readonly IReadOnlyList<BusinessHours> _hours;
    private readonly HashSet<DateOnly> _closed;

    public StoreCalendar(string timeZoneId, IEnumerable<BusinessHours>? hours = null, IEnumerable<ClosedDate>? closed = null)
    {
        Zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId)
            ?? throw new ArgumentException($"'{timeZoneId}' is not an IANA time zone.", nameof(timeZoneId));
        _hours = hours?.ToList() ?? [];
        _closed = closed?.Select(c => c.Date).ToHashSet() ?? [];
    }

    public DateTimeZone Zone { get; }

    public static bool IsKnownTimeZone(string? timeZoneId) =>
        timeZoneId is not null && DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId) is not null;

    /// <summary>The store-local calendar date of an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset instant)
    {
        var date = Instant.FromDateTimeOffset(instant).InZone(Zone).Date;
        return new DateOnly(date.Year, date.Month, date.Day);
    }

    /// <summary>The store-local wall-clock time of an instant.</summary>
    public DateTime LocalDateTime(DateTimeOffset instant) =>
        Instant.FromDateTimeOffset(instant).InZone(Zone).LocalDateTime.ToDateTimeUnspecified();

    /// <summary>The half-open range [start, end) of UTC instants that make up a local day.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) DayBounds(DateOnly date)
    {
        var local = new LocalDate(date.Year, date.Month, date.Day);
        var start = Zone.AtStartOfDay(local).ToInstant();
        var end = Zone.AtStartOfDay(local.PlusDays(1)).ToInstant();
        return (start.ToDateTimeOffset(), end.ToDateTimeOffset());
    }

    /// <summary>The bounds of the local day that contains <paramref name="instant"/>.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) DayContaining(DateTimeOffset instant) =>
        DayBounds(LocalDate(instant));

    public bool IsClosedDate(DateOnly date) => _closed.Contains(date);

    /// <summary>Whether any business hours are set for the department (none: its hours are not known).</summary>
    public bool HasHours(Department department) => _hours.Any(h => h.Department == department);

    /// <summary>Whether the department is open at the instant (business hours, not a closed date).</summary>
    public bool IsOpen(DateTimeOffset instant, Department department) =>
        OpenPeriods(LocalDate(instant).AddDays(-1), department, days: 2)
            .Any(p => p.Start <= instant && instant < p.End);

    /// <summary>
    /// The first instant at or after <paramref name="instant"/> at which the department is open,
    /// or null if it never opens in the next <paramref name="horizonDays"/> days.
    /// </summary>
    public DateTimeOffset? NextOpening(DateTimeOffset instant, Department department, int horizonDays = 60)
    {
        foreach (var period in OpenPeriods(LocalDate(instant).AddDays(-1), department, horizonDays + 1))
        {
            if (period.End <= instant)
            {
                continue;
            }

            return period.Start <= instant ? instant : period.Start;
        }

        return null;
    }

    /// <summary>
    /// Open periods as UTC instants, in order, for <paramref name="days"/> local days from
    /// <paramref name="firstDay"/>; closed dates have none.
    /// </summary>
    public IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> OpenPeriods(DateOnly firstDay, Department department, int days)
    {
        var byDay = _hours.Where(h => h.Department == department).ToLookup(h => h.Day);
        for (var i = 0; i < days; i++)
        {
            var date = firstDay.AddDays(i);
            if (_closed.Contains(date))
            {
                continue;
            }

            foreach (var hours in byDay[date.DayOfWeek].OrderBy(h => h.Opens))
            {
                var opens = Resolve(date, hours.Opens);
                var closesDate = hours.Closes > hours.Opens ? date : date.AddDays(1);
                var closes = Resolve(closesDate, hours.Closes);
                if (closes > opens)
                {
                    yield return (opens, closes);
                }
            }
        }
    }

    // A local time in a DST gap becomes the first instant after the gap (an opening at 02:30 on
    // the spring-forward night opens at 03:00); an ambiguous one (the repeated autumn hour) takes
    // the earlier of its two instants.
    private static readonly ZoneLocalMappingResolver GapToEndResolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    private DateTimeOffset Resolve(DateOnly date, TimeOnly time)
    {
        var local = new LocalDateTime(date.Year, date.Month, date.Day, time.Hour, time.Minute, time.Second);
        return Zone.ResolveLocal(local, GapToEndResolver).ToInstant().ToDateTimeOffset();
    }
}
