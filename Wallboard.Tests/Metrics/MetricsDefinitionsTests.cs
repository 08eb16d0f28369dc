using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Live;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Metrics;

/// <summary>
/// Every §7 definition on a hand-built Sunday at Lakeside Toyota (Chicago) where every number is
/// known: 1 November 2026, the day the clocks went back (25 hours, two 01:30s), with a call that
/// started before midnight and calls on either side of the day's edges. Read on Monday at noon.
/// </summary>
public abstract class MetricsDefinitionsTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : MetricsDefinitionsTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : MetricsDefinitionsTests(DatabaseProvider.Postgres);

    // Chicago: CDT (UTC−5) until Sunday 02:00, then CST (UTC−6).
    private static readonly DateTimeOffset MondayNoon = new(2026, 11, 2, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SaturdayBeforeMidnight = new(2026, 11, 1, 4, 59, 50, TimeSpan.Zero); // 23:59:50 CDT
    private static readonly DateTimeOffset SundayMidnight = new(2026, 11, 1, 5, 0, 0, TimeSpan.Zero);            // 00:00 CDT
    private static readonly DateTimeOffset FirstHalfPastOne = new(2026, 11, 1, 6, 30, 0, TimeSpan.Zero);         // 01:30 CDT
    private static readonly DateTimeOffset SecondHalfPastOne = new(2026, 11, 1, 7, 30, 0, TimeSpan.Zero);        // 01:30 CST
    private static readonly DateTimeOffset SundayTen = new(2026, 11, 1, 16, 0, 0, TimeSpan.Zero);                // 10:00 CST
    private static readonly DateTimeOffset SundayEleven = new(2026, 11, 1, 17, 0, 0, TimeSpan.Zero);             // 11:00 CST
    private static readonly DateTimeOffset SundayLastSecond = new(2026, 11, 2, 5, 59, 59, TimeSpan.Zero);        // 23:59:59 CST
    private static readonly DateTimeOffset MondayMidnight = new(2026, 11, 2, 6, 0, 0, TimeSpan.Zero);            // 00:00 CST

    private BoardTestBed _bed = null!;
    private MetricsReport _sunday = null!;

    public async Task InitializeAsync()
    {
        _bed = await BoardTestBed.CreateAsync(MondayNoon, provider: provider);
        var bed = _bed;

        // 101 Mike Reynolds, 102 Dana Whitfield, 103 Carlos Mendez.
        // c0, Saturday 23:59:50, answered after midnight: Saturday's call, and it makes 0201 a repeat caller.
        await bed.AddCallAsync(Call("c0", SaturdayBeforeMidnight, "+13125550201").Answered("102", 30).Ended(120, CallEndedBy.Agent));
        // 0203 last called 100 days ago (first-time again), 0204 80 days ago (not first-time).
        await bed.AddCallAsync(Call("old-0203", SundayTen.AddDays(-100), "+13125550203").Answered("101", 5).Ended(60, CallEndedBy.Agent));
        await bed.AddCallAsync(Call("old-0204", SundayEleven.AddDays(-80), "+13125550204").Answered("101", 5).Ended(60, CallEndedBy.Agent));

        // c1 00:00 CDT: Mike's phone rings out, Dana answers at 42 s, holds 70 s, talks; connected.
        await bed.AddCallAsync(Call("c1", SundayMidnight, "+13125550201")
            .Ringing("101", 1).RingNoAnswer("101", 16).Ringing("102", 16).Answered("102", 42).HoldStarted(60).HoldEnded(130).Ended(300, CallEndedBy.Agent));
        // c2 01:30 CDT: Mike answers at 10 s; connected within the service level.
        await bed.AddCallAsync(Call("c2", FirstHalfPastOne, "+13125550202").Ringing("101", 1).Answered("101", 10).Ended(200, CallEndedBy.Agent));
        // c3 01:30 CST, an hour later: the same caller hangs up after 3 s, a short abandon.
        await bed.AddCallAsync(Call("c3", SecondHalfPastOne, "+13125550202").Ended(3));
        // c4 10:00: Mike's phone rings out, the caller gives up at 40 s: abandoned. Website.
        var c4 = await bed.AddCallAsync(Call("c4", SundayTen, "+13125550203").Ringing("101", 1).RingNoAnswer("101", 16).Ended(40), source: "Website");
        // c5 11:00: Carlos answers at 25 s (no ringing sent), puts the caller on hold at 30 s, who hangs up at 95 s. Website.
        var c5 = await bed.AddCallAsync(Call("c5", SundayEleven, "+13125550204").Answered("103", 25).HoldStarted(30).Ended(95), source: "Website");
        // c6 23:59:59: the repeat caller 0201 reaches voicemail at 20 s.
        var c6 = await bed.AddCallAsync(Call("c6", SundayLastSecond, "+13125550201").Voicemail(20, messageLeft: true).Ended(50));
        // Not Sunday's sales calls: a service call, and Monday's first call (0201 gets through, recovering c6).
        await bed.AddCallAsync(Call("service", SundayTen, "+13125550299").Ended(30), department: Department.Service);
        await bed.AddCallAsync(Call("c7", MondayMidnight, "+13125550201").Ringing("102", 1).Answered("102", 5).Ended(90, CallEndedBy.Agent));

        await using (var db = bed.Database.CreateDbContext())
        {
            var people = await db.Salespeople.Where(p => p.StoreId == bed.Lakeside).ToDictionaryAsync(p => p.Name, p => p.Id);
            var (mike, dana) = (people["Mike Reynolds"], people["Dana Whitfield"]);
            // c4's call-back: claimed by Mike at 9 min, appointment set at 10 min (within the 15-min SLA).
            db.Callbacks.Add(Callback(c4, status: CallbackStatus.Completed, resolution: CallbackResolution.AppointmentSet,
                attempt: (SundayTen.AddMinutes(10), AttemptOutcome.AppointmentSet, mike, "Mike Reynolds"), claimedBy: (SundayTen.AddMinutes(9), mike, "Mike Reynolds")));
            // c5's: Dana tried at 30 min, no answer; scheduled for the next try.
            db.Callbacks.Add(Callback(c5, status: CallbackStatus.Scheduled, resolution: null,
                attempt: (SundayEleven.AddMinutes(30), AttemptOutcome.NoAnswer, dana, "Dana Whitfield"), claimedBy: null));
            // c6's: untouched, due Monday 09:15, overdue and escalated at noon.
            var untouched = Callback(c6, status: CallbackStatus.Open, resolution: null, attempt: null, claimedBy: null);
            untouched.DueAt = untouched.FirstResponseDueAt = new DateTimeOffset(2026, 11, 2, 15, 15, 0, TimeSpan.Zero);
            untouched.EscalatedAt = new DateTimeOffset(2026, 11, 2, 16, 0, 0, TimeSpan.Zero);
            db.Callbacks.Add(untouched);
            await db.SaveChangesAsync();
        }

        _sunday = (await bed.Metrics.ComputeAsync([MetricsWindow.Yesterday], bed.Lakeside, CancellationToken.None)).Single();
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public void The_window_is_the_25_hour_local_day()
    {
        Assert.Equal(SundayMidnight, _sunday.From);
        Assert.Equal(MondayMidnight, _sunday.To);
    }

    [Fact]
    public void Store_call_figures_follow_the_definitions()
    {
        var s = _sunday.Store;
        Assert.Equal(6, s.Offered);          // c1–c6; not c0 (Saturday), the service call, nor c7 (Monday)
        Assert.Equal(0, s.InProgress);
        Assert.Equal(1, s.ShortAbandons);    // c3
        Assert.Equal(2, s.Connected);        // c1, c2
        Assert.Equal(3, s.Missed);           // c4 abandoned, c5 abandoned on hold, c6 voicemail
        Assert.Equal((1, 1, 1, 0), (s.Abandoned, s.AbandonedOnHold, s.Voicemail, s.NoAnswer));
        Assert.Equal(2.0 / 5, s.AnswerRate);             // connected ÷ (offered − short abandons)
        Assert.Equal(1, s.AnsweredWithinServiceLevel);   // c2 at 10 s; c1 waited 42 s
        Assert.Equal(1.0 / 5, s.ServiceLevel);
        Assert.Equal((42 + 10 + 25) / 3.0, s.AsaSeconds); // answered by a person: c1, c2, c5
        Assert.Equal(42, s.LongestWaitSeconds);
        Assert.Equal(40, s.AvgAbandonWaitSeconds);
        Assert.Equal(2, s.Held);                         // c1 70 s, c5 65 s
        Assert.Equal((70 + 65) / 2.0, s.AvgHoldSeconds);
        Assert.Equal(70, s.LongestHoldSeconds);
        Assert.Equal(4, s.UniqueCallers);                // 0201, 0202, 0203, 0204
        Assert.Equal(2, s.FirstTimeCallers);             // 0202, and 0203 (last call 100 days ago); not 0201 (c0) nor 0204 (80 days)
        Assert.Equal(2, s.RecoveredMissed);              // c4 (appointment set), c6 (got through on Monday)
    }

    [Fact]
    public void Store_call_back_figures_follow_the_definitions()
    {
        var cb = _sunday.Store.Callbacks;
        Assert.Equal(3, cb.Created);
        Assert.Equal(1, cb.Completed);
        Assert.Equal(1, cb.CompletedWithinSla);
        Assert.Equal(20, cb.MedianSpeedToCallbackMinutes); // median of 10 and 30 minutes
        Assert.Equal(1, cb.OverdueNow);
        Assert.Equal(1, cb.Escalated);
        Assert.Equal(1, _sunday.Store.Appointments);
    }

    [Fact]
    public void Salesperson_figures_follow_the_definitions()
    {
        var mike = _sunday.Salespeople.Single(p => p.Name == "Mike Reynolds");
        Assert.Equal((3, 1, 2), (mike.Rung, mike.Answered, mike.RingNoAnswer)); // c1, c2, c4 rang; answered c2
        Assert.Equal(1.0 / 3, mike.PersonalAnswerRate);
        Assert.Equal(190, mike.AvgTalkSeconds);
        Assert.Equal((1, 1, 1), (mike.CallbacksClaimed, mike.CallbacksCompleted, mike.Appointments));
        Assert.Equal(10, mike.MedianSpeedToCallbackMinutes);

        var dana = _sunday.Salespeople.Single(p => p.Name == "Dana Whitfield");
        Assert.Equal((1, 1, 0), (dana.Rung, dana.Answered, dana.RingNoAnswer));
        Assert.Equal(1.0, dana.PersonalAnswerRate);
        Assert.Equal(300 - 42 - 70, dana.AvgTalkSeconds); // talk leaves out the hold
        Assert.Equal((0, 0), (dana.CallbacksCompleted, dana.Appointments));
        Assert.Equal(30, dana.MedianSpeedToCallbackMinutes);

        // Carlos's phone system sent no ringing: the call he answered still counts as rung.
        var carlos = _sunday.Salespeople.Single(p => p.Name == "Carlos Mendez");
        Assert.Equal((1, 1, 1.0), (carlos.Rung, carlos.Answered, carlos.PersonalAnswerRate!.Value));
        Assert.Equal(5, carlos.AvgTalkSeconds);
    }

    [Fact]
    public void Source_figures_are_the_store_figures_restricted_to_the_source()
    {
        var cars = _sunday.Sources.Single(s => s.Name == "Cars.com").Figures;
        Assert.Equal((4, 1, 2, 1), (cars.Offered, cars.ShortAbandons, cars.Connected, cars.Missed));
        Assert.Equal(2.0 / 3, cars.AnswerRate);
        Assert.Equal((2, 1), (cars.UniqueCallers, cars.FirstTimeCallers));
        Assert.Equal(1, cars.RecoveredMissed);
        Assert.Equal((1, 0, 1), (cars.Callbacks.Created, cars.Callbacks.Completed, cars.Callbacks.OverdueNow));

        var web = _sunday.Sources.Single(s => s.Name == "Website").Figures;
        Assert.Equal((2, 0, 2), (web.Offered, web.Connected, web.Missed));
        Assert.Equal(0.0, web.AnswerRate);
        Assert.Equal(1, web.RecoveredMissed);
        Assert.Equal((2, 1, 1), (web.Callbacks.Created, web.Callbacks.Completed, web.Appointments));
        Assert.Equal(20, web.Callbacks.MedianSpeedToCallbackMinutes);
    }

    [Fact]
    public void The_by_hour_series_has_25_hours_and_puts_each_call_in_its_local_hour()
    {
        var series = _sunday.Series;
        Assert.Equal(25, series.Count);
        Assert.Equal(("00:00", 1), (series[0].Label, series[0].Offered));   // c1
        Assert.Equal(("01:00", 1), (series[1].Label, series[1].Offered));   // c2, 01:30 CDT
        Assert.Equal(("01:00", 1), (series[2].Label, series[2].Offered));   // c3, 01:30 CST
        Assert.Equal(("10:00", 1), (series[11].Label, series[11].Offered)); // c4
        Assert.Equal(("23:00", 1, 1), (series[24].Label, series[24].Offered, series[24].Missed)); // c6
        Assert.Equal(_sunday.Store.Offered, series.Sum(p => p.Offered));
        Assert.Equal(_sunday.Store.Missed, series.Sum(p => p.Missed));
    }

    [Fact]
    public async Task Other_windows_on_Monday_count_their_own_days()
    {
        var reports = await _bed.Metrics.ComputeAsync([MetricsWindow.Today, MetricsWindow.Last7Days, MetricsWindow.MonthToDate], _bed.Lakeside, CancellationToken.None);

        Assert.Equal(1, reports.Single(r => r.Window == MetricsWindow.Today).Store.Offered);       // c7
        Assert.Equal(7, reports.Single(r => r.Window == MetricsWindow.Last7Days).Store.Offered);   // c0–c6 (26 Oct – 1 Nov)
        Assert.Equal(7, reports.Single(r => r.Window == MetricsWindow.MonthToDate).Store.Offered); // c1–c7
    }

    [Fact]
    public async Task A_repeated_run_keeps_one_snapshot_per_store_and_window_with_the_same_figures()
    {
        var again = (await _bed.Metrics.ComputeAsync([MetricsWindow.Yesterday], _bed.Lakeside, CancellationToken.None)).Single();

        Assert.Equal(_sunday.Store, again.Store);
        await using var db = _bed.Database.CreateDbContext();
        Assert.Equal(1, await db.MetricsSnapshots.CountAsync(s => s.StoreId == _bed.Lakeside && s.Window == MetricsWindow.Yesterday));
    }

    private static CallBuilder Call(string id, DateTimeOffset start, string from) => new CallBuilder(id, start).Started(from: from);

    private static Callback Callback(
        Call missed,
        CallbackStatus status,
        CallbackResolution? resolution,
        (DateTimeOffset At, AttemptOutcome Outcome, int By, string Name)? attempt,
        (DateTimeOffset At, int By, string Name)? claimedBy)
    {
        var callback = new Callback
        {
            StoreId = missed.StoreId,
            Department = Department.Sales,
            Status = status,
            Resolution = resolution,
            CallerE164 = missed.CallerE164,
            LeadSourceId = missed.LeadSourceId,
            MissedCallCount = 1,
            FirstMissedAt = missed.StartedAt,
            LastMissedAt = missed.StartedAt,
            FirstResponseDueAt = missed.StartedAt.AddMinutes(15),
            DueAt = missed.StartedAt.AddMinutes(15),
            CreatedAt = missed.StartedAt,
            UpdatedAt = missed.StartedAt,
            FirstAttemptAt = attempt?.At,
            LastAttemptAt = attempt?.At,
            AttemptCount = attempt is null ? 0 : 1,
            ClosedAt = status == CallbackStatus.Completed ? attempt?.At : null,
        };
        callback.Calls.Add(new CallbackCall { CallId = missed.Id, JoinedAt = missed.StartedAt });
        if (attempt is { } a)
        {
            callback.Attempts.Add(new CallbackAttempt { At = a.At, Outcome = a.Outcome, SalespersonId = a.By, By = a.Name });
        }

        if (claimedBy is { } c)
        {
            callback.Transitions.Add(new CallbackTransition
            {
                At = c.At, Action = CallbackAction.Claimed, From = CallbackStatus.Open, To = CallbackStatus.Claimed, ActorSalespersonId = c.By, Actor = c.Name, Reason = "Claimed",
            });
        }

        return callback;
    }
}
