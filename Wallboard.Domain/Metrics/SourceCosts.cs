namespace Wallboard.Domain.Metrics;

/// <summary>
/// What one lead source's calls cost over a period and what its missed callers who were never
/// reached were worth. Money in the store's currency, rounded to cents; null where there is
/// nothing to divide by. Calls, connected, missed and recovered are the §7 figures of the same
/// period (<see cref="SourceMetrics"/>), so the report agrees with the metrics to the call.
/// </summary>
public sealed record SourceCost(
    int? LeadSourceId,
    string Name,
    int Calls,
    int Connected,
    int Missed,
    int RecoveredMissed,
    decimal Spend,
    bool SpendEntered,
    decimal? CostPerCall,
    decimal? CostPerConnectedCall,
    int MissedNotRecovered,
    decimal SpendOnMissedNotRecovered,
    decimal LeftOnTheTable);

public static class SourceCosts
{
    /// <summary>
    /// A day's share of a month's spend in cents: the month's cents spread over its days so that
    /// the days add up to the month exactly (day d gets ⌊d·S/D⌋ − ⌊(d−1)·S/D⌋).
    /// </summary>
    public static long DaySpendCents(long monthCents, DateOnly day)
    {
        var days = DateTime.DaysInMonth(day.Year, day.Month);
        return (monthCents * day.Day / days) - (monthCents * (day.Day - 1) / days);
    }

    /// <summary>The cost figures of a source from its §7 figures, the spend over the same period and the value of an answered call.</summary>
    /// <param name="spendCents">The spend over the period; null when none was entered (no cost figures then).</param>
    public static SourceCost From(int? leadSourceId, string name, CallMetrics figures, long? spendCents, long answeredCallValueCents)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var entered = spendCents is not null;
        var spend = (spendCents ?? 0) / 100m;
        var notRecovered = Math.Max(0, figures.Missed - figures.RecoveredMissed);
        return new SourceCost(
            leadSourceId,
            name,
            figures.Offered,
            figures.Connected,
            figures.Missed,
            figures.RecoveredMissed,
            spend,
            entered,
            entered && figures.Offered > 0 ? Math.Round(spend / figures.Offered, 2) : null,
            entered && figures.Connected > 0 ? Math.Round(spend / figures.Connected, 2) : null,
            notRecovered,
            figures.Offered > 0 ? Math.Round(spend * notRecovered / figures.Offered, 2) : 0,
            notRecovered * answeredCallValueCents / 100m);
    }
}
