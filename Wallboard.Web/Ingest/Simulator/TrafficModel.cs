using Wallboard.Domain.Stores;

namespace Wallboard.Web.Ingest.Simulator;

/// <summary>
/// When calls arrive at one department of a store: a Poisson process whose rate follows the
/// business-day curve (<see cref="ArrivalCurve"/>) while the department is open, and a trickle
/// (a share of the same curve) while it is closed. Pure: the caller brings the random source.
/// </summary>
public sealed class TrafficModel
{
    /// <summary>After hours, calls keep coming at this share of the rate the hour would have if open.</summary>
    public const double DefaultAfterHoursShare = 0.1;

    private const double HoursPerDay = 24;

    private readonly StoreCalendar _calendar;
    private readonly Department _department;
    private readonly double _afterHoursShare;

    /// <param name="callsPerOpenDay">
    /// The mean number of calls of an open day. Long days get more and short days fewer: the
    /// scale is set so that the open days of the week starting at <paramref name="reference"/>
    /// average this many.
    /// </param>
    public TrafficModel(
        StoreCalendar calendar,
        Department department,
        double callsPerOpenDay,
        DateTimeOffset reference,
        double afterHoursShare = DefaultAfterHoursShare)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentOutOfRangeException.ThrowIfNegative(callsPerOpenDay);
        ArgumentOutOfRangeException.ThrowIfNegative(afterHoursShare);
        _calendar = calendar;
        _department = department;
        _afterHoursShare = afterHoursShare;

        var periods = calendar.OpenPeriods(calendar.LocalDate(reference), department, days: 7).ToList();
        var openDays = periods.Select(p => calendar.LocalDate(p.Start)).Distinct().Count();
        var openWeightHours = periods.Sum(p => WeightHours(p.Start, p.End));
        CallsPerPeakHour = openWeightHours > 0
            ? callsPerOpenDay * openDays / openWeightHours
            // Never open: spread a day's calls over the whole day (all of them after hours).
            : callsPerOpenDay / ArrivalCurve.HourlyWeights.Sum(w => Relative(w));
    }

    /// <summary>Calls an hour at the busiest hour of the curve, while open.</summary>
    public double CallsPerPeakHour { get; }

    public bool IsOpen(DateTimeOffset at) => _calendar.IsOpen(at, _department);

    /// <summary>The arrival rate at an instant, in calls per hour.</summary>
    public double RateAt(DateTimeOffset at)
    {
        var hour = _calendar.LocalDateTime(at).Hour;
        var rate = CallsPerPeakHour * Relative(ArrivalCurve.HourlyWeights[hour]);
        return IsOpen(at) ? rate : rate * _afterHoursShare;
    }

    /// <summary>
    /// The next arrival strictly after <paramref name="after"/>, or null when no call ever comes
    /// (a volume of zero). Thinning (Lewis and Shedler): candidates at the peak rate, each kept
    /// with the probability of the rate at its instant over the peak rate.
    /// </summary>
    public DateTimeOffset? NextArrival(DateTimeOffset after, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (CallsPerPeakHour <= 0)
        {
            return null;
        }

        var at = after;
        // A year of candidates at the peak rate is far more than any gap; the bound only guards
        // against a rate that is zero all year.
        var limit = (int)Math.Min(10_000_000, CallsPerPeakHour * HoursPerDay * 366) + 1;
        for (var i = 0; i < limit; i++)
        {
            var gapHours = -Math.Log(1 - random.NextDouble()) / CallsPerPeakHour;
            at += TimeSpan.FromHours(gapHours);
            if (random.NextDouble() * CallsPerPeakHour < RateAt(at))
            {
                return at;
            }
        }

        return null;
    }

    private static double Relative(int weight) => (double)weight / ArrivalCurve.PeakWeight;

    // The integral of the relative curve over [start, end), in weight × hours, hour by local hour.
    private double WeightHours(DateTimeOffset start, DateTimeOffset end)
    {
        var sum = 0.0;
        var at = start;
        while (at < end)
        {
            var local = _calendar.LocalDateTime(at);
            var intoHour = local.TimeOfDay - TimeSpan.FromHours(local.Hour);
            var nextHour = at + (TimeSpan.FromHours(1) - intoHour);
            var until = nextHour < end ? nextHour : end;
            sum += Relative(ArrivalCurve.HourlyWeights[local.Hour]) * (until - at).TotalHours;
            at = until;
        }

        return sum;
    }
}
