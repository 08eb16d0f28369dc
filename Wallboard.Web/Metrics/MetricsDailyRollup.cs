namespace Wallboard.Web.Metrics;

/// <summary>
/// One closed store-local day of a store's sales calls, rolled up (<see cref="DailyRollups"/>):
/// the facts the day's calls add to any window (<see cref="Wallboard.Domain.Metrics.DailyFacts"/>,
/// by source and salesperson, for the whole day and by hour) as JSON. Current while <see cref="RolledGeneration"/> equals
/// <see cref="Generation"/>: a late event for the day (or a change that moves its figures) bumps
/// <see cref="Generation"/> in the same transaction (inserting the row if there is none yet), and
/// the day is rolled up again. Written only by the minute job and <c>rebuild</c>.
/// </summary>
public sealed class MetricsDailyRollup
{
    public long Id { get; set; }

    public int StoreId { get; set; }

    /// <summary>The store-local date.</summary>
    public DateOnly Day { get; set; }

    /// <summary>The day's first instant (local midnight) when it was rolled up: a roll-up whose bounds are not the store's calendar's now (its time zone changed) is not used.</summary>
    public DateTimeOffset DayStart { get; set; }

    /// <summary>The next local midnight: the day lasts 23, 24 or 25 hours.</summary>
    public DateTimeOffset DayEnd { get; set; }

    /// <summary>The store's service level the facts were counted with (calls answered within it): a roll-up made with another is not used.</summary>
    public int ServiceLevelSeconds { get; set; }

    /// <summary>Bumped by every change to the day's calls after it was rolled up.</summary>
    public int Generation { get; set; }

    /// <summary>The <see cref="Generation"/> the payload was computed at; -1 while no facts were kept (a row claimed or marked before its first roll-up).</summary>
    public int RolledGeneration { get; set; }

    public DateTimeOffset ComputedAt { get; set; }

    /// <summary>The day's facts with the day as one bucket (<see cref="Wallboard.Domain.Metrics.DailyFacts.WholeDay"/>): what windows of several days read.</summary>
    public required string Payload { get; set; }

    /// <summary>The day's facts by hour: what a one-day window (yesterday's by-hour charts) reads.</summary>
    public required string Hours { get; set; }
}
