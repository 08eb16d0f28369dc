using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Stores;

namespace Wallboard.Domain.Metrics;

/// <summary>Who and what a report names: the store, its lead sources and its people.</summary>
public sealed record MetricsSubject(
    int StoreId,
    string StoreName,
    string TimeZoneId,
    IReadOnlyDictionary<int, string> Sources,
    IReadOnlyList<MetricsSubject.Person> People)
{
    public string SourceName(int? id) => id is { } found && Sources.TryGetValue(found, out var name) ? name : LeadSource.UnknownName;

    public sealed record Person(int Id, string Name, SalespersonRole Role, bool IsActive);
}

/// <summary>
/// What the database counted for one store and period, as facts without rules: call groups,
/// missed-call recovery groups, call-backs, attempts, claims, rings and answers.
/// <see cref="MetricsAggregation.Report"/> turns them into the figures.
/// </summary>
public sealed record MetricsRows
{
    public IReadOnlyList<CallGroup> Calls { get; init; } = [];

    public IReadOnlyList<MissedGroup> Missed { get; init; } = [];

    /// <summary>Distinct caller numbers per source.</summary>
    public IReadOnlyList<(int? SourceId, int Count)> UniqueCallersBySource { get; init; } = [];

    /// <summary>Distinct caller numbers of the store (a number calling two sources counts once).</summary>
    public int UniqueCallers { get; init; }

    /// <summary>Call-backs of the period's misses per source (created, completed, within SLA, escalated).</summary>
    public IReadOnlyList<(int? SourceId, CallbackTotals Totals)> Callbacks { get; init; } = [];

    public IReadOnlyList<(int? SourceId, int Count)> OverdueBySource { get; init; } = [];

    /// <summary>Per call-back with an attempt: minutes from the first miss to the first attempt, and whose it was.</summary>
    public IReadOnlyList<(int? SourceId, int? FirstAttemptBy, double Minutes)> SpeedToCallback { get; init; } = [];

    /// <summary>Attempts made in the period per source, person and outcome.</summary>
    public IReadOnlyList<(int? SourceId, int? SalespersonId, AttemptOutcome Outcome, int Count)> Attempts { get; init; } = [];

    /// <summary>Call-backs each person claimed in the period.</summary>
    public IReadOnlyList<(int SalespersonId, int Count)> Claims { get; init; } = [];

    /// <summary>Per bucket and person: distinct calls that rang them, and their rings that ended unanswered.</summary>
    public IReadOnlyList<(int Bucket, int SalespersonId, int Rung, int NoAnswer)> Rings { get; init; } = [];

    /// <summary>Per bucket and person: calls they answered, of those with no ring of theirs, talk seconds and calls with a talk time.</summary>
    public IReadOnlyList<(int Bucket, int SalespersonId, int Answered, int Unrung, long TalkSeconds, int Talked)> Answers { get; init; } = [];
}

/// <summary>
/// The pure half of the metrics: from the rows the database counted to the report every screen
/// reads (§7). The store's figures are the sum of its sources', a source's the sum of its buckets';
/// every rule (which outcome is what, what recovers a missed call, which attempt completes a
/// call-back) is applied here or in <see cref="CallTotals"/>, never in SQL.
/// </summary>
public static class MetricsAggregation
{
    /// <summary>The call totals of the rows that match, recovery included.</summary>
    public static CallTotals Totals(MetricsRows rows, Func<int, int?, bool> bucketAndSource)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(bucketAndSource);
        return CallTotals.Sum(
            rows.Calls.Where(g => bucketAndSource(g.Bucket, g.SourceId)).Select(CallTotals.Of)
                .Concat(rows.Missed.Where(g => bucketAndSource(g.Bucket, g.SourceId)).Select(CallTotals.Of)));
    }

    public static MetricsReport Report(MetricsSubject subject, MetricsWindow window, MetricsPeriod period, IReadOnlyList<MetricsBucket> buckets, DateTimeOffset now, MetricsRows rows)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(rows);

        var appointments = rows.Attempts.Where(a => a.Outcome == AttemptOutcome.AppointmentSet).ToList();
        var completing = rows.Attempts.Where(a => a.Outcome.Completes()).ToList();

        // Store and sources.
        var storeCalls = Totals(rows, (_, _) => true) with { UniqueCallers = rows.UniqueCallers };
        var storeCallbacks = CallbackTotals.Sum(rows.Callbacks.Select(c => c.Totals)) with
        {
            OverdueNow = rows.OverdueBySource.Sum(o => o.Count),
            Appointments = appointments.Sum(a => a.Count),
        };
        var storeFigures = CallMetrics.From(storeCalls, storeCallbacks, Median.Of(rows.SpeedToCallback.Select(s => s.Minutes)));

        var sourceIds = rows.Calls.Select(c => c.SourceId)
            .Concat(rows.Callbacks.Select(c => c.SourceId))
            .Concat(rows.OverdueBySource.Select(o => o.SourceId))
            .Concat(appointments.Select(a => a.SourceId))
            .Distinct()
            .ToList();
        var sources = sourceIds
            .Select(id =>
            {
                var calls = Totals(rows, (_, source) => source == id) with
                {
                    UniqueCallers = rows.UniqueCallersBySource.Where(u => u.SourceId == id).Sum(u => u.Count),
                };
                var callbacks = CallbackTotals.Sum(rows.Callbacks.Where(c => c.SourceId == id).Select(c => c.Totals)) with
                {
                    OverdueNow = rows.OverdueBySource.Where(o => o.SourceId == id).Sum(o => o.Count),
                    Appointments = appointments.Where(a => a.SourceId == id).Sum(a => a.Count),
                };
                var speed = Median.Of(rows.SpeedToCallback.Where(s => s.SourceId == id).Select(s => s.Minutes));
                return new SourceMetrics(id, subject.SourceName(id), CallMetrics.From(calls, callbacks, speed));
            })
            .OrderByDescending(s => s.Figures.Offered).ThenByDescending(s => s.Figures.Missed).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        // Salespeople: every active salesperson, and anyone else with figures (a manager picking up).
        var busy = rows.Rings.Select(r => r.SalespersonId).Concat(rows.Answers.Select(a => a.SalespersonId))
            .Concat(rows.Attempts.Where(a => a.SalespersonId != null).Select(a => a.SalespersonId!.Value))
            .Concat(rows.Claims.Select(c => c.SalespersonId))
            .ToHashSet();
        var salespeople = subject.People
            .Where(p => (p.IsActive && p.Role == SalespersonRole.Salesperson) || busy.Contains(p.Id))
            .Select(p =>
            {
                var answered = rows.Answers.Where(a => a.SalespersonId == p.Id).ToList();
                var rings = rows.Rings.Where(r => r.SalespersonId == p.Id).ToList();
                var answeredCount = answered.Sum(a => a.Answered);
                var rung = rings.Sum(r => r.Rung) + answered.Sum(a => a.Unrung);
                return new SalespersonMetrics(
                    p.Id,
                    p.Name,
                    Rung: rung,
                    Answered: answeredCount,
                    RingNoAnswer: rings.Sum(r => r.NoAnswer),
                    PersonalAnswerRate: CallMetrics.Ratio(answeredCount, rung),
                    AvgTalkSeconds: CallMetrics.Ratio(answered.Sum(a => a.TalkSeconds), answered.Sum(a => a.Talked)),
                    CallbacksClaimed: rows.Claims.Where(c => c.SalespersonId == p.Id).Sum(c => c.Count),
                    CallbacksCompleted: completing.Where(a => a.SalespersonId == p.Id).Sum(a => a.Count),
                    MedianSpeedToCallbackMinutes: Median.Of(rows.SpeedToCallback.Where(s => s.FirstAttemptBy == p.Id).Select(s => s.Minutes)),
                    Appointments: appointments.Where(a => a.SalespersonId == p.Id).Sum(a => a.Count));
            })
            .OrderByDescending(s => s.Answered).ThenBy(s => s.RingNoAnswer).ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        var series = buckets.Select(b => SeriesPoint.Of(b, Totals(rows, (bucket, _) => bucket == b.Index))).ToList();
        var sourceSeries = rows.Calls.Select(c => (c.Bucket, c.SourceId)).Distinct()
            .Select(k =>
            {
                var t = Totals(rows, (bucket, source) => bucket == k.Bucket && source == k.SourceId);
                return new SubjectPoint(k.Bucket, k.SourceId ?? 0, t.Offered, t.Connected, t.Missed);
            })
            .OrderBy(p => p.BucketIndex).ThenBy(p => p.SubjectId)
            .ToList();
        var personSeries = rows.Answers.Select(a => (a.Bucket, a.SalespersonId)).Concat(rows.Rings.Select(r => (r.Bucket, r.SalespersonId))).Distinct()
            .Select(k => new SubjectPoint(
                k.Bucket,
                k.SalespersonId,
                rows.Rings.Where(r => r.Bucket == k.Bucket && r.SalespersonId == k.SalespersonId).Sum(r => r.Rung)
                    + rows.Answers.Where(a => a.Bucket == k.Bucket && a.SalespersonId == k.SalespersonId).Sum(a => a.Unrung),
                rows.Answers.Where(a => a.Bucket == k.Bucket && a.SalespersonId == k.SalespersonId).Sum(a => a.Answered),
                rows.Rings.Where(r => r.Bucket == k.Bucket && r.SalespersonId == k.SalespersonId).Sum(r => r.NoAnswer)))
            .OrderBy(p => p.BucketIndex).ThenBy(p => p.SubjectId)
            .ToList();

        return new MetricsReport(
            subject.StoreId, subject.StoreName, subject.TimeZoneId, window, period.Start, period.End, now,
            storeFigures, salespeople, sources, series, sourceSeries, personSeries);
    }
}
