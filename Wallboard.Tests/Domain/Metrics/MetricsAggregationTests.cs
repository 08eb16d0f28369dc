using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;

namespace Wallboard.Tests.Domain.Metrics;

/// <summary>
/// The pure half of the figures: from the groups the database counts to the totals, rates and
/// report every screen shows. Each group is written out, so every number here is known.
/// </summary>
public class MetricsAggregationTests
{
    private static readonly StoreCalendar Chicago = new("America/Chicago");
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 18, 0, 0, TimeSpan.Zero); // Tuesday 12:00 CST

    private static CallGroup Group(CallOutcome? outcome, int calls, bool? answered = null, int bucket = 10, int? source = 1, int withinServiceLevel = 0, long wait = 0) =>
        new(bucket, source, outcome, Ended: outcome is not null, Answered: answered ?? outcome is CallOutcome.Connected or CallOutcome.AbandonedOnHold,
            calls, withinServiceLevel, wait, LongestWaitSeconds: calls > 0 ? 30 : null, Held: 0, HeldSeconds: 0, LongestHoldSeconds: null, FirstTimeCallers: 0);

    [Fact]
    public void Each_outcome_counts_once_as_what_the_design_says()
    {
        var totals = CallTotals.Sum(
        [
            CallTotals.Of(Group(CallOutcome.Connected, 5, withinServiceLevel: 4, wait: 50)),
            CallTotals.Of(Group(CallOutcome.AbandonedOnHold, 1, wait: 12)),
            CallTotals.Of(Group(CallOutcome.Voicemail, 2)),
            CallTotals.Of(Group(CallOutcome.Abandoned, 3, wait: 90)),
            CallTotals.Of(Group(CallOutcome.NoAnswer, 1)),
            CallTotals.Of(Group(CallOutcome.ShortAbandon, 2)),
        ]);

        Assert.Equal(14, totals.Offered);
        Assert.Equal(14, totals.Ended);
        Assert.Equal(5, totals.Connected);
        Assert.Equal(7, totals.Missed);
        Assert.Equal((1, 2, 3, 1), (totals.AbandonedOnHold, totals.Voicemail, totals.Abandoned, totals.NoAnswer));
        Assert.Equal(2, totals.ShortAbandons);
        Assert.Equal(4, totals.ConnectedWithinServiceLevel);
        Assert.Equal(6, totals.Answered);               // connected, and the one lost on hold
        Assert.Equal(62, totals.AnsweredWaitSeconds);
        Assert.Equal(90, totals.AbandonedWaitSeconds);

        var figures = CallMetrics.From(totals, CallbackTotals.None, null);
        Assert.Equal(5.0 / 12, figures.AnswerRate);      // connected ÷ (offered − short abandons)
        Assert.Equal(4.0 / 12, figures.ServiceLevel);
    }

    [Fact]
    public void A_call_being_answered_right_now_counts_as_answered_and_a_call_still_ringing_does_not_count_yet()
    {
        var totals = CallTotals.Sum(
        [
            CallTotals.Of(Group(CallOutcome.Abandoned, 1)),
            CallTotals.Of(Group(null, 1, answered: true, withinServiceLevel: 1)),  // talking now
            CallTotals.Of(Group(null, 2, answered: false)),                        // ringing
        ]);

        Assert.Equal((4, 1, 2), (totals.Offered, totals.Ended, totals.Offered - totals.Ended - totals.AnsweredInProgress));
        Assert.Equal(1, totals.CountedAnswered);
        Assert.Equal(2, totals.Decided);
        var figures = CallMetrics.From(totals, CallbackTotals.None, null);
        Assert.Equal(0.5, figures.AnswerRate);           // 1 answered of 2: not "0 of 1" while the ticker says answered
        Assert.Equal(0.5, figures.ServiceLevel);
        Assert.Equal(1, figures.AnsweredInProgress);
        Assert.Equal(3, figures.InProgress);
    }

    [Fact]
    public void At_the_end_of_the_day_the_answer_rate_is_connected_over_offered_less_short_abandons()
    {
        // The call answered in the morning ended with the caller hanging up on hold: missed after all.
        var during = CallMetrics.From(CallTotals.Of(Group(null, 1, answered: true)), CallbackTotals.None, null);
        var after = CallMetrics.From(CallTotals.Of(Group(CallOutcome.AbandonedOnHold, 1)), CallbackTotals.None, null);

        Assert.Equal(1.0, during.AnswerRate);
        Assert.Equal(0.0, after.AnswerRate);
        Assert.Equal(1, after.Missed);
    }

    [Fact]
    public void Recovered_counts_each_missed_call_once_whichever_way_it_was_recovered()
    {
        var totals = CallTotals.Sum(
        [
            CallTotals.Of(new MissedGroup(10, 1, CallOutcome.Abandoned, CallbackResolution.Reached, GotThroughLater: true, Calls: 2)),
            CallTotals.Of(new MissedGroup(10, 1, CallOutcome.Voicemail, CallbackResolution.AppointmentSet, GotThroughLater: false, Calls: 1)),
            CallTotals.Of(new MissedGroup(10, 1, CallOutcome.Abandoned, CallbackResolution.CallerCalledBack, GotThroughLater: true, Calls: 1)),
            CallTotals.Of(new MissedGroup(10, 1, CallOutcome.NoAnswer, null, GotThroughLater: true, Calls: 1)),
            CallTotals.Of(new MissedGroup(10, 1, CallOutcome.Abandoned, CallbackResolution.WrongNumber, GotThroughLater: false, Calls: 4)),
            CallTotals.Of(new MissedGroup(10, 1, CallOutcome.Abandoned, null, GotThroughLater: false, Calls: 3)),
        ]);

        Assert.Equal(5, totals.RecoveredMissed);
        Assert.Equal(3, totals.RecoveredByCallback);
    }

    [Fact]
    public void The_report_adds_up_sources_and_hours_to_the_store_and_leaves_hours_without_calls_without_a_rate()
    {
        var period = MetricsWindow.Today.Period(Chicago, Noon);
        var buckets = period.Buckets(Chicago);
        var subject = new MetricsSubject(1, "Lakeside Toyota", "America/Chicago", new Dictionary<int, string> { [1] = "Cars.com", [2] = "Website" },
            [new MetricsSubject.Person(101, "Mike Reynolds", SalespersonRole.Salesperson, true), new MetricsSubject.Person(102, "Dana Whitfield", SalespersonRole.Salesperson, true)]);
        var rows = new MetricsRows
        {
            Calls =
            [
                Group(CallOutcome.Connected, 3, bucket: 9, source: 1),
                Group(CallOutcome.Abandoned, 1, bucket: 9, source: 2),
                Group(CallOutcome.Connected, 1, bucket: 11, source: 2),
                Group(CallOutcome.ShortAbandon, 1, bucket: 11, source: 1),
            ],
            Missed = [new MissedGroup(9, 2, CallOutcome.Abandoned, CallbackResolution.Reached, false, 1)],
            UniqueCallers = 5,
            UniqueCallersBySource = [(1, 3), (2, 2)],
            Callbacks = [(2, new CallbackTotals { Created = 1, Completed = 1, CompletedWithinSla = 1 })],
            SpeedToCallback = [(2, 101, 6.0)],
            Attempts = [(2, 101, AttemptOutcome.NoAnswer, 1), (2, 101, AttemptOutcome.Reached, 1)],
            Claims = [(101, 1)],
            Rings = [(9, 101, 2, 1), (9, 102, 2, 0)],
            Answers = [(9, 102, 3, 1, 600, 3)],
        };

        var report = MetricsAggregation.Report(subject, MetricsWindow.Today, period, buckets, Noon, rows);

        Assert.Equal((6, 4, 1, 1, 1), (report.Store.Offered, report.Store.Connected, report.Store.Missed, report.Store.ShortAbandons, report.Store.RecoveredMissed));
        Assert.Equal(4.0 / 5, report.Store.AnswerRate);
        Assert.Equal(5, report.Store.UniqueCallers);
        Assert.Equal(report.Store.Offered, report.Sources.Sum(s => s.Figures.Offered));
        var web = report.Sources.Single(s => s.Name == "Website").Figures;
        Assert.Equal((2, 1, 1, 0.5), (web.Offered, web.Missed, web.RecoveredMissed, web.AnswerRate!.Value));
        Assert.Equal((1, 6.0, 0), (web.Callbacks.Completed, web.Callbacks.MedianSpeedToCallbackMinutes!.Value, web.Appointments));

        Assert.Equal(24, report.Series.Count);
        Assert.Equal(0.75, report.Series[9].AnswerRate);
        Assert.Equal(1.0, report.Series[11].AnswerRate);
        Assert.Null(report.Series[10].AnswerRate); // no calls at 10:00: no rate, not 0 %
        Assert.Null(report.Series[0].AnswerRate);

        var mike = report.Salespeople.Single(p => p.Name == "Mike Reynolds");
        Assert.Equal((2, 0, 1, 1, 1), (mike.Rung, mike.Answered, mike.RingNoAnswer, mike.CallbacksCompleted, mike.CallbacksClaimed));
        var dana = report.Salespeople.Single(p => p.Name == "Dana Whitfield");
        Assert.Equal((3, 3, 1.0, 200.0), (dana.Rung, dana.Answered, dana.PersonalAnswerRate!.Value, dana.AvgTalkSeconds!.Value));
    }
}
