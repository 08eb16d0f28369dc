namespace Wallboard.Domain.Metrics;

/// <summary>
/// The §7 figures of one store, or of one lead source of it, over a window. Rates are fractions
/// (0–1), null when there is nothing to divide by; times in seconds, call-back speed in minutes.
/// </summary>
public sealed record CallMetrics(
    int Offered,
    int InProgress,
    int ShortAbandons,
    int Connected,
    int Missed,
    int Abandoned,
    int AbandonedOnHold,
    int Voicemail,
    int NoAnswer,
    double? AnswerRate,
    int AnsweredWithinServiceLevel,
    double? ServiceLevel,
    double? AsaSeconds,
    int? LongestWaitSeconds,
    double? AvgAbandonWaitSeconds,
    int Held,
    double? AvgHoldSeconds,
    int? LongestHoldSeconds,
    int UniqueCallers,
    int FirstTimeCallers,
    int RecoveredMissed,
    CallbackMetrics Callbacks,
    int Appointments,
    int AnsweredInProgress = 0,
    int RecoveredByCallback = 0)
{
    public static readonly CallMetrics Empty = From(CallTotals.None, CallbackTotals.None, null);

    /// <summary>
    /// The rates from the counts (<see cref="CallTotals.CountedAnswered"/> ÷
    /// <see cref="CallTotals.Decided"/>): a call counts as answered from the moment a person
    /// answers it, a call still ringing is neither answered nor missed yet; once every call of the
    /// window has ended this is §7's connected ÷ (offered − shortAbandons).
    /// </summary>
    public static CallMetrics From(CallTotals calls, CallbackTotals callbacks, double? medianSpeedToCallbackMinutes)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(callbacks);
        return new CallMetrics(
            Offered: calls.Offered,
            InProgress: calls.Offered - calls.Ended,
            ShortAbandons: calls.ShortAbandons,
            Connected: calls.Connected,
            Missed: calls.Missed,
            Abandoned: calls.Abandoned,
            AbandonedOnHold: calls.AbandonedOnHold,
            Voicemail: calls.Voicemail,
            NoAnswer: calls.NoAnswer,
            AnswerRate: Ratio(calls.CountedAnswered, calls.Decided),
            AnsweredWithinServiceLevel: calls.CountedWithinServiceLevel,
            ServiceLevel: Ratio(calls.CountedWithinServiceLevel, calls.Decided),
            AsaSeconds: Ratio(calls.AnsweredWaitSeconds, calls.Answered),
            LongestWaitSeconds: calls.LongestWaitSeconds,
            AvgAbandonWaitSeconds: Ratio(calls.AbandonedWaitSeconds, calls.Abandoned),
            Held: calls.Held,
            AvgHoldSeconds: Ratio(calls.HeldSeconds, calls.Held),
            LongestHoldSeconds: calls.Held > 0 ? calls.LongestHoldSeconds : null,
            UniqueCallers: calls.UniqueCallers,
            FirstTimeCallers: calls.FirstTimeCallers,
            RecoveredMissed: calls.RecoveredMissed,
            Callbacks: new CallbackMetrics(
                callbacks.Created, callbacks.Completed, callbacks.CompletedWithinSla, medianSpeedToCallbackMinutes, callbacks.OverdueNow, callbacks.Escalated),
            Appointments: callbacks.Appointments,
            AnsweredInProgress: calls.AnsweredInProgress,
            RecoveredByCallback: calls.RecoveredByCallback);
    }

    public static double? Ratio(double part, double whole) => whole > 0 ? part / whole : null;
}

/// <summary>§7's call-back figures: for the call-backs of the window's misses, and those overdue now.</summary>
public sealed record CallbackMetrics(
    int Created,
    int Completed,
    int CompletedWithinSla,
    double? MedianSpeedToCallbackMinutes,
    int OverdueNow,
    int Escalated);

/// <summary>One lead source's figures (§7 "per source").</summary>
public sealed record SourceMetrics(int? LeadSourceId, string Name, CallMetrics Figures);

/// <summary>One salesperson's figures (§7 "per salesperson").</summary>
public sealed record SalespersonMetrics(
    int SalespersonId,
    string Name,
    int Rung,
    int Answered,
    int RingNoAnswer,
    double? PersonalAnswerRate,
    double? AvgTalkSeconds,
    int CallbacksClaimed,
    int CallbacksCompleted,
    double? MedianSpeedToCallbackMinutes,
    int Appointments);

/// <summary>One point of a series (an hour of a day, or a day of a longer window).</summary>
/// <param name="AnsweredInProgress">Calls of the point answered and not ended yet (they count as answered).</param>
public sealed record SeriesPoint(string Label, DateTimeOffset Start, int Offered, int ShortAbandons, int Connected, int Missed, int InProgress, int AnsweredInProgress = 0)
{
    /// <summary>The point's answer rate by the same rule as the store's; null for a point with no decided call (a gap in a chart, not 0 %).</summary>
    public double? AnswerRate
    {
        get
        {
            var totals = new CallTotals { Offered = Offered, Ended = Offered - InProgress, ShortAbandons = ShortAbandons, Connected = Connected, AnsweredInProgress = AnsweredInProgress };
            return CallMetrics.Ratio(totals.CountedAnswered, totals.Decided);
        }
    }

    public static SeriesPoint Of(MetricsBucket bucket, CallTotals totals)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(totals);
        return new SeriesPoint(bucket.Label, bucket.Start, totals.Offered, totals.ShortAbandons, totals.Connected, totals.Missed, totals.Offered - totals.Ended, totals.AnsweredInProgress);
    }
}

/// <summary>One salesperson's or source's point of a series.</summary>
public sealed record SubjectPoint(int BucketIndex, int SubjectId, int Calls, int Answered, int Missed);

/// <summary>
/// Everything kept for one store and window: the store's figures, each salesperson's and each
/// source's, and series for the charts. This is the snapshot screens, the TV and the API read.
/// </summary>
public sealed record MetricsReport(
    int StoreId,
    string StoreName,
    string TimeZoneId,
    MetricsWindow Window,
    DateTimeOffset From,
    DateTimeOffset To,
    DateTimeOffset ComputedAt,
    CallMetrics Store,
    IReadOnlyList<SalespersonMetrics> Salespeople,
    IReadOnlyList<SourceMetrics> Sources,
    IReadOnlyList<SeriesPoint> Series,
    IReadOnlyList<SubjectPoint> SourceSeries,
    IReadOnlyList<SubjectPoint> SalespersonSeries);
