using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Callbacks;

namespace Wallboard.Web.Live;

/// <summary>
/// Puts a board's snapshot together from what the database counted for the day and the calls the
/// board keeps in memory. Pure: the same inputs give the same snapshot. The caller's number and
/// name are chosen here, once per audience: a public screen's snapshot is made from the masked
/// form only, so it never holds a full number to leak.
/// </summary>
public static class BoardComposer
{
    public const int TickerLength = 10;

    public sealed record Inputs(
        StoreInfo Store,
        BoardKey Key,
        DateOnly Day,
        DateTimeOffset Now,
        long Version,
        BoardQueries.DayFigures Figures,
        IReadOnlyCollection<LiveCallRow> InProgress,
        IReadOnlyCollection<LiveCallRow> Recent,
        IReadOnlyList<CallbackView> OverdueCallbacks,
        SpeedToCallbackTile SpeedToCallback,
        MetricsReport? TodayMetrics = null);

    public static BoardSnapshot Compose(Inputs inputs, BoardAudience audience)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var (store, key, day, now, version, figures, inProgress, recent, overdue, speed, metrics) = inputs;
        var full = audience == BoardAudience.Staff;
        var settings = store.Settings;

        var waiting = inProgress.Where(c => c.Phase == CallPhase.Waiting)
            .OrderBy(c => c.StartedAt).ThenBy(c => c.Id)
            .Select(c => new WaitingCall(c.Id, c.StartedAt, Caller(c.CallerE164, c.CallerRaw, c.CallerWithheld, full), full ? c.CallerName : null, store.SourceName(c.LeadSourceId)))
            .ToList();

        var held = inProgress.Where(c => c.Phase == CallPhase.OnHold)
            .Select(c => new HeldCall(
                c.Id, c.HoldStartedAt ?? c.AnsweredAt ?? c.StartedAt, Caller(c.CallerE164, c.CallerRaw, c.CallerWithheld, full), full ? c.CallerName : null,
                store.SourceName(c.LeadSourceId), store.PersonName(c.AnsweredBySalespersonId) ?? c.AnsweredByAgent))
            .OrderBy(c => c.Since).ThenBy(c => c.CallId)
            .ToList();

        var totals = figures.Totals;
        var rates = CallMetrics.From(totals, CallbackTotals.None, null);

        return new BoardSnapshot
        {
            StoreId = store.Id,
            StoreName = store.Name,
            Department = key.Department,
            TimeZoneId = store.TimeZoneId,
            Day = day,
            AsOf = now,
            Version = version,
            FullNumbers = full,
            Waiting = new WaitingTile(waiting.Count, waiting.FirstOrDefault()?.Since, waiting, settings.ServiceLevelSeconds, settings.HoldLimitSeconds),
            OnHold = new OnHoldTile(held.Count, held.FirstOrDefault()?.Since, held, settings.HoldWarningSeconds, settings.HoldLimitSeconds),
            Missed = new MissedTile(
                totals.Missed,
                totals.RecoveredMissed,
                totals.Missed - totals.RecoveredMissed,
                figures.LatestMissed
                    .Select(m => new MissedCall(
                        m.Id, m.StartedAt, Caller(m.CallerE164, m.CallerRaw, m.CallerWithheld, full), full ? m.CallerName : null,
                        store.SourceName(m.LeadSourceId), m.Outcome, m.Recovery))
                    .ToList()),
            OverdueCallbacks = new OverdueCallbacksTile(
                overdue.Count,
                overdue.Select(c => new OverdueCallback(
                    c.Id, Caller(c.Caller, c.CallerRaw, c.NoNumber && c.Caller is null, full), c.Source ?? LeadSource.UnknownName,
                    c.FirstMissedAt, c.DueAt, c.ClaimedBy, c.Escalated)).ToList()),
            AnswerRate = new AnswerRateTile(
                Offered: totals.Offered,
                InProgress: totals.Offered - totals.Ended,
                ShortAbandons: totals.ShortAbandons,
                Connected: totals.Connected,
                Missed: totals.Missed,
                Rate: rates.AnswerRate,
                Target: settings.AnswerRateTarget,
                AnsweredWithinServiceLevel: rates.AnsweredWithinServiceLevel,
                ServiceLevel: rates.ServiceLevel,
                ServiceLevelSeconds: settings.ServiceLevelSeconds,
                Answered: totals.CountedAnswered,
                Counted: totals.Decided,
                AnsweredInProgress: totals.AnsweredInProgress),
            SpeedToCallback = speed,
            Leaderboard = metrics is null ? Leaderboard(store, figures) : Leaderboard(metrics),
            Sources = (metrics is null
                    ? figures.Sources.Select(s => new SourceRow(s.LeadSourceId, store.SourceName(s.LeadSourceId), s.Calls, s.Missed))
                    : metrics.Sources.Where(s => s.Figures.Offered > 0).Select(s => new SourceRow(s.LeadSourceId, s.Name, s.Figures.Offered, s.Figures.Missed)))
                .OrderByDescending(s => s.Calls).ThenByDescending(s => s.Missed).ThenBy(s => s.Name, StringComparer.Ordinal)
                .ToList(),
            Ticker = Ticker(store, recent),
            OpenHours = OpenHours(store.Calendar, key.Department, day, now),
        };
    }

    private static List<OpenPeriod>? OpenHours(StoreCalendar calendar, Department department, DateOnly day, DateTimeOffset now)
    {
        var periods = calendar.OpenPeriods(day.AddDays(-1), department, days: 9)
            .Where(p => p.End > now).Select(p => new OpenPeriod(p.Start, p.End)).ToList();
        return periods.Count == 0 && !calendar.HasHours(department) ? null : periods;
    }

    /// <summary>How a caller appears: masked to the last four digits for a public screen, in full for staff.</summary>
    public static string Caller(string? e164, string? raw, bool withheld, bool full)
    {
        if (withheld)
        {
            return PhoneMasking.Private;
        }

        if (CallerPseudonym.IsPseudonym(e164))
        {
            return CallerPseudonym.Shown;
        }

        return full ? e164 ?? raw ?? PhoneMasking.Private : PhoneMasking.Mask(e164 ?? raw);
    }

    // Every active salesperson, and anyone else (a manager picking up) who took or missed a call today.
    private static List<LeaderboardRow> Leaderboard(StoreInfo store, BoardQueries.DayFigures figures) =>
        store.People
            .Where(p => (p.IsActive && p.Role == SalespersonRole.Salesperson) || figures.AnsweredBy.ContainsKey(p.Id) || figures.MissedWhileRung.ContainsKey(p.Id))
            .Select(p => new LeaderboardRow(
                p.Id, p.Name, figures.AnsweredBy.GetValueOrDefault(p.Id), figures.MissedWhileRung.GetValueOrDefault(p.Id),
                CallbacksDone: null, MedianSpeedToCallbackMinutes: null))
            .OrderByDescending(r => r.Answered).ThenBy(r => r.MissedWhileRung).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();

    // From today's metrics snapshot: the same people and figures the manager's scorecards show.
    private static List<LeaderboardRow> Leaderboard(MetricsReport metrics) =>
        metrics.Salespeople
            .Select(p => new LeaderboardRow(p.SalespersonId, p.Name, p.Answered, p.RingNoAnswer, p.CallbacksCompleted, p.MedianSpeedToCallbackMinutes))
            .OrderByDescending(r => r.Answered).ThenBy(r => r.MissedWhileRung).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();

    private static List<TickerItem> Ticker(StoreInfo store, IEnumerable<LiveCallRow> recent)
    {
        var items = new List<TickerItem>();
        foreach (var call in recent)
        {
            var source = store.SourceName(call.LeadSourceId);
            items.Add(new TickerItem(call.StartedAt, TickerKind.Incoming, "Incoming call", source, call.Id));
            if (call.AnsweredAt is { } answered)
            {
                var who = store.PersonName(call.AnsweredBySalespersonId) ?? call.AnsweredByAgent;
                items.Add(new TickerItem(answered, TickerKind.Answered, who is null ? "Answered" : $"Answered by {who}", source, call.Id));
            }

            if (call.EndedAt is { } ended && call.Outcome is { } outcome && outcome.IsMissed())
            {
                var text = outcome switch
                {
                    CallOutcome.AbandonedOnHold => "Hung up on hold",
                    CallOutcome.Voicemail => "Missed call · voicemail",
                    _ => "Missed call",
                };
                items.Add(new TickerItem(ended, TickerKind.Missed, text, source, call.Id));
            }
        }

        return items
            .OrderByDescending(i => i.At).ThenByDescending(i => i.Kind)
            .Take(TickerLength)
            .ToList();
    }
}
