using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Staffing;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Staffing;

/// <summary>
/// Staffing advice from a store's own calls (docs/staffing.md): calls per local hour forecast by
/// <see cref="CallForecast"/>, handle time (talk + hold of answered calls) and patience (abandons
/// ÷ seconds waited) over the six weeks before today, and the people needed each hour to answer
/// the store's answer-rate target within its service-level seconds (Erlang A with the patience,
/// Erlang C when nobody hung up). Past hours add what happened: calls, missed calls, the people
/// who answered, and the people those calls needed.
/// </summary>
public sealed class StaffingAdvisor(IDbContextFactory<WallboardDbContext> dbFactory, TimeProvider time) : INextHourStaffing
{
    /// <summary>The handle time used before a store has recorded any talk.</summary>
    public const double DefaultHandleSeconds = 240;

    /// <summary>The longest range one plan covers.</summary>
    public const int MaxDays = 62;

    private static readonly TimeSpan NextHourRefresh = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<(int, Department), (DateTimeOffset At, NextHourStaffing Line)> _nextHour = new();

    /// <summary>The plan of local days <paramref name="from"/> to <paramref name="to"/> (both included); null for no such store.</summary>
    public async Task<StaffingPlan?> PlanAsync(int storeId, Department department, DateOnly from, DateOnly to, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var store = await db.Stores.AsNoTracking().Include(s => s.BusinessHours).Include(s => s.ClosedDates).AsSplitQuery()
            .SingleOrDefaultAsync(s => s.Id == storeId, ct);
        if (store is null)
        {
            return null;
        }

        var calendar = store.Calendar;
        var today = calendar.LocalDate(now);
        var lookBackStart = (from < today ? from : today).AddDays(-7 * CallForecast.Weeks);
        var rangeStart = calendar.DayBounds(lookBackStart).Start;
        var rangeEnd = calendar.DayBounds(to > today ? to : today).End;
        var calls = await db.Calls.AsNoTracking()
            .Where(c => c.StoreId == storeId && c.Department == department && c.StartedAt >= rangeStart && c.StartedAt < rangeEnd
                && (c.Outcome == null || c.Outcome != CallOutcome.ShortAbandon))
            .Select(c => new CallFacts(c.StartedAt, c.AnsweredAt, c.Outcome, c.WaitSeconds, c.TalkSeconds, c.HoldSeconds, c.AnsweredBySalespersonId, c.AnsweredByAgent))
            .ToListAsync(ct);
        var first = await db.Calls.Where(c => c.StoreId == storeId && c.Department == department)
            .OrderBy(c => c.StartedAt).Select(c => (DateTimeOffset?)c.StartedAt).FirstOrDefaultAsync(ct);

        var counts = calls.GroupBy(c => Key(calendar, c.StartedAt)).ToDictionary(g => g.Key, g => g.Count());
        var forecast = new CallForecast(counts, first is { } f ? calendar.LocalDate(f) : today);

        // Handle time and patience over the six weeks before today.
        var (inputsFrom, inputsTo) = (calendar.DayBounds(today.AddDays(-7 * CallForecast.Weeks)).Start, calendar.DayBounds(today).Start);
        var recent = calls.Where(c => c.StartedAt >= inputsFrom && c.StartedAt < inputsTo && c.Outcome != null).ToList();
        var talked = recent.Where(c => c.AnsweredAt != null && c.TalkSeconds != null).ToList();
        var handle = talked.Count > 0 ? talked.Average(c => c.TalkSeconds!.Value + (double)c.HoldSeconds) : DefaultHandleSeconds;
        var patience = CallerPatience.MeanSeconds(
            recent.Count(c => c.Outcome == CallOutcome.Abandoned), recent.Sum(c => (double)(c.WaitSeconds ?? 0)));
        var settings = store.Settings;
        var target = new StaffingTarget(settings.ServiceLevelSeconds, settings.AnswerRateTarget);

        var hours = new List<StaffingHour>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var (dayStart, dayEnd) = calendar.DayBounds(day);
            for (var start = dayStart; start < dayEnd; start = start.AddHours(1))
            {
                var end = start.AddHours(1) < dayEnd ? start.AddHours(1) : dayEnd;
                var hour = calendar.LocalDateTime(start).Hour;
                var open = calendar.IsOpen(start, department) || calendar.IsOpen(end.AddSeconds(-1), department);
                var expected = forecast.Forecast(day, hour, day < today ? day : today);
                var needed = expected is { } e ? target.FewestAgents(new QueueLoad(e, handle, patience)) : null;
                var past = end <= now;
                StaffingHour row;
                if (past)
                {
                    var inHour = calls.Where(c => c.StartedAt >= start && c.StartedAt < end).ToList();
                    var answeredBy = calls.Where(c => c.AnsweredAt >= start && c.AnsweredAt < end)
                        .Select(c => Answerer(c.AnsweredBySalespersonId, c.AnsweredByAgent))
                        .Distinct().Count();
                    var load = new QueueLoad(inHour.Count, handle, patience);
                    var decided = inHour.Count(c => c.Outcome != null);
                    row = new StaffingHour(
                        day, hour, start, end, open, expected, handle, needed?.Agents, needed?.ServiceLevel, true,
                        inHour.Count,
                        inHour.Count(c => c.Outcome is CallOutcome.Abandoned or CallOutcome.AbandonedOnHold or CallOutcome.Voicemail or CallOutcome.NoAnswer),
                        answeredBy,
                        target.FewestAgents(load).Agents,
                        StaffingTarget.Predict(load, answeredBy, settings.ServiceLevelSeconds).ServiceLevel,
                        decided > 0 ? inHour.Count(c => c.Outcome == CallOutcome.Connected && c.WaitSeconds <= settings.ServiceLevelSeconds) / (double)decided : null);
                }
                else
                {
                    row = new StaffingHour(day, hour, start, end, open, expected, handle, needed?.Agents, needed?.ServiceLevel, false, null, null, null, null, null, null);
                }

                hours.Add(row);
            }
        }

        return new StaffingPlan(
            store.Id, store.Name, store.TimeZoneId, department, from, to, now,
            settings.ServiceLevelSeconds, settings.AnswerRateTarget, handle, talked.Count > 0, patience,
            patience is null ? "ErlangC" : "ErlangA", forecast.Trend(today), hours);
    }

    /// <summary>
    /// The TV's line: the coming clock hour's expected calls and needed people, and the people who
    /// answered a call in the last 60 minutes. Recomputed at most every 30 seconds per board.
    /// </summary>
    public async Task<NextHourStaffing?> NextHourAsync(int storeId, Department department, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_nextHour.TryGetValue((storeId, department), out var cached) && now - cached.At < NextHourRefresh && cached.Line.Start > now)
        {
            return cached.Line;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var zone = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.TimeZoneId).SingleOrDefaultAsync(ct);
        if (zone is null)
        {
            return null;
        }

        var calendar = new StoreCalendar(zone);
        var next = NextClockHour(calendar, now);
        var day = calendar.LocalDate(next);
        var plan = await PlanAsync(storeId, department, day, day, ct);
        var hour = plan?.Hours.FirstOrDefault(h => h.Start == next);
        var since = now.AddHours(-1);
        var answerers = await db.Calls.AsNoTracking()
            .Where(c => c.StoreId == storeId && c.Department == department && c.StartedAt >= since.AddHours(-4) && c.AnsweredAt >= since && c.AnsweredAt <= now)
            .Select(c => new { c.AnsweredBySalespersonId, c.AnsweredByAgent })
            .ToListAsync(ct);
        var answered = answerers.Select(a => Answerer(a.AnsweredBySalespersonId, a.AnsweredByAgent)).Distinct().Count();
        var line = new NextHourStaffing(next, hour?.ForecastCalls ?? 0, hour?.NeededPeople ?? 0, answered);
        _nextHour[(storeId, department)] = (now, line);
        return line;
    }

    /// <summary>The start of the next local clock hour after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextClockHour(StoreCalendar calendar, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var (start, end) = calendar.DayContaining(now);
        for (var at = start; at < end; at = at.AddHours(1))
        {
            if (at > now)
            {
                return at;
            }
        }

        return end;
    }

    // A person who answered: the salesperson, or the phone system's agent when it names nobody we know.
    private static string Answerer(int? salespersonId, string? agent) =>
        salespersonId is { } id ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : "agent:" + agent;

    private static (DateOnly, int) Key(StoreCalendar calendar, DateTimeOffset at) => (calendar.LocalDate(at), calendar.LocalDateTime(at).Hour);

    private sealed record CallFacts(
        DateTimeOffset StartedAt, DateTimeOffset? AnsweredAt, CallOutcome? Outcome, int? WaitSeconds, int? TalkSeconds, int HoldSeconds, int? AnsweredBySalespersonId, string? AnsweredByAgent);
}
