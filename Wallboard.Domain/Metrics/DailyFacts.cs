namespace Wallboard.Domain.Metrics;

/// <summary>
/// What one store-local day's sales calls add up to, once the day is closed: the facts of
/// <see cref="MetricsRows"/> that belong to the day's calls alone, by hour of the day
/// (<see cref="MetricsPeriod.Buckets"/> of a one-day period: 23, 24 or 25 hours). A window of
/// whole days is the days' facts side by side (<see cref="DailyRollup.Rows"/>), with no figure
/// decided twice: the rules stay in <see cref="CallTotals"/> and <see cref="MetricsAggregation"/>.
/// </summary>
/// <remarks>
/// Distinct callers do not add up across days. Each call with a number carries how many local
/// days back the same number last called (<see cref="CallerGap"/>): over a window that starts
/// <c>k</c> days before the call's day, the call is the number's first of the window exactly when
/// that gap is more than <c>k</c>, so distinct callers of any window of up to
/// <see cref="DailyRollup.MaxDays"/> days are a sum.
/// </remarks>
public sealed record DailyFacts
{
    /// <summary>Call groups; <see cref="CallGroup.Bucket"/> is the hour of the day (0 for the whole day: <see cref="WholeDay"/>).</summary>
    public IReadOnlyList<CallGroup> Calls { get; init; } = [];

    public IReadOnlyList<DailyRings> Rings { get; init; } = [];

    public IReadOnlyList<DailyAnswers> Answers { get; init; } = [];

    public IReadOnlyList<CallerGap> Callers { get; init; } = [];

    /// <summary>
    /// The same facts with the day as one bucket (0): what a window of several days reads, a
    /// fraction of the hourly rows. Counts and sums add, longest takes the larger; a call rings
    /// or is answered in one hour only, so the hours' distinct calls add up too.
    /// </summary>
    public DailyFacts WholeDay() => this with
    {
        Calls = [.. Calls.GroupBy(c => (c.SourceId, c.Outcome, c.Ended, c.Answered))
            .Select(g => new CallGroup(
                0, g.Key.SourceId, g.Key.Outcome, g.Key.Ended, g.Key.Answered,
                g.Sum(c => c.Calls), g.Sum(c => c.WithinServiceLevel), g.Sum(c => c.WaitSeconds), g.Max(c => c.LongestWaitSeconds),
                g.Sum(c => c.Held), g.Sum(c => c.HeldSeconds), g.Max(c => c.LongestHoldSeconds), g.Sum(c => c.FirstTimeCallers)))],
        Rings = [.. Rings.GroupBy(r => r.SalespersonId).Select(g => new DailyRings(0, g.Key, g.Sum(r => r.Rung), g.Sum(r => r.NoAnswer)))],
        Answers = [.. Answers.GroupBy(a => a.SalespersonId)
            .Select(g => new DailyAnswers(0, g.Key, g.Sum(a => a.Answered), g.Sum(a => a.Unrung), g.Sum(a => a.TalkSeconds), g.Sum(a => a.Talked)))],
    };
}

/// <summary>Per hour and person: distinct calls that rang them, and their rings that ended unanswered.</summary>
public sealed record DailyRings(int Hour, int SalespersonId, int Rung, int NoAnswer);

/// <summary>Per hour and person: calls they answered, of those with no ring of theirs, talk seconds and calls with a talk time.</summary>
public sealed record DailyAnswers(int Hour, int SalespersonId, int Answered, int Unrung, long TalkSeconds, int Talked);

/// <summary>
/// Calls of the day with a caller number, by source and by how many local days before the call
/// the same number last called the store (<paramref name="StoreGapDays"/>) and the same source
/// (<paramref name="SourceGapDays"/>); 0 is earlier the same day, <see cref="DailyRollup.MaxDays"/>
/// stands for that many days or more, or never.
/// </summary>
public sealed record CallerGap(int? SourceId, int StoreGapDays, int SourceGapDays, int Calls);

/// <summary>How the facts of whole days make the rows of a window (<see cref="DailyFacts"/>).</summary>
public static class DailyRollup
{
    /// <summary>The longest period days' facts can make exactly (distinct callers need the gaps up to it).</summary>
    public const int MaxDays = 31;

    /// <summary>A gap in local days as kept: 0 and up, <see cref="MaxDays"/> for that many or more, or none.</summary>
    public static int Gap(DateOnly day, DateOnly? previous) =>
        previous is { } before ? Math.Min(day.DayNumber - before.DayNumber, MaxDays) : MaxDays;

    /// <summary>
    /// The call rows of a period made of consecutive days' facts (index 0 is the period's first
    /// day): for one day its hours stay the buckets, for more each day is one bucket (whatever
    /// the buckets of each day's facts, hours or <see cref="DailyFacts.WholeDay"/>). The rows
    /// that do not belong to single calls (recovery, call-backs, attempts, claims) come from
    /// <paramref name="live"/>, as read for the whole period.
    /// </summary>
    public static MetricsRows Rows(IReadOnlyList<DailyFacts> days, MetricsRows live)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(live);
        if (days.Count is < 1 or > MaxDays)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days.Count, $"A period of 1 to {MaxDays} days.");
        }

        var hourly = days.Count == 1;
        int Bucket(int day, int hour) => hourly ? hour : day;
        var callers = days.SelectMany((d, i) => d.Callers.Select(c => (Day: i, Gap: c))).ToList();
        return live with
        {
            Calls = [.. days.SelectMany((d, i) => d.Calls.Select(c => c with { Bucket = Bucket(i, c.Bucket) }))],
            Rings = [.. days.SelectMany((d, i) => d.Rings.Select(r => (Bucket(i, r.Hour), r.SalespersonId, r.Rung, r.NoAnswer)))],
            Answers = [.. days.SelectMany((d, i) => d.Answers.Select(a => (Bucket(i, a.Hour), a.SalespersonId, a.Answered, a.Unrung, a.TalkSeconds, a.Talked)))],
            // A call is its number's first of the period when the number's previous call came before the period's first day.
            UniqueCallers = callers.Where(c => c.Gap.StoreGapDays > c.Day).Sum(c => c.Gap.Calls),
            UniqueCallersBySource = [.. callers.Where(c => c.Gap.SourceGapDays > c.Day)
                .GroupBy(c => c.Gap.SourceId)
                .Select(g => (g.Key, g.Sum(c => c.Gap.Calls)))],
        };
    }
}
