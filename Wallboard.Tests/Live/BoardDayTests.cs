using Wallboard.Domain.Calls;
using Wallboard.Web.Live;

namespace Wallboard.Tests.Live;

/// <summary>The board's day figures kept call by call (<see cref="BoardDay"/>).</summary>
public sealed class BoardDayTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    private static DayCall Answered(long id, int waitSeconds, int holdSeconds) => new(
        id, Start.AddHours(3).AddMinutes(id), LeadSourceId: null, CallOutcome.Connected, Ended: true, Answered: true, waitSeconds,
        HoldCount: holdSeconds > 0 ? 1 : 0, holdSeconds, AnsweredBySalespersonId: null, NoAnswerRings: [], "+13125550100", null, false, null, null, false);

    [Fact]
    public void The_longest_wait_and_hold_follow_the_calls_when_the_one_that_held_the_record_changes_or_leaves()
    {
        var day = new BoardDay(Start, Start.AddDays(1), serviceLevelSeconds: 20);
        day.Set(Answered(1, waitSeconds: 90, holdSeconds: 300));
        day.Set(Answered(2, waitSeconds: 40, holdSeconds: 60));
        day.Set(Answered(3, waitSeconds: 40, holdSeconds: 0));
        Assert.Equal((90, 300), Longest(day));

        // The record holder's facts are corrected: the next longest (two calls share it) takes over.
        day.Set(Answered(1, waitSeconds: 10, holdSeconds: 30));
        Assert.Equal((40, 60), Longest(day));

        // One of the two with 40 s leaves the day: the other still holds it.
        Assert.True(day.Remove(2));
        Assert.Equal((40, 30), Longest(day));

        Assert.True(day.Remove(3));
        Assert.True(day.Remove(1));
        Assert.Equal((null, null), Longest(day));
    }

    // The longest wait and hold, checked against the figures added up again from the calls.
    private static (int? Wait, int? Hold) Longest(BoardDay day)
    {
        var totals = day.Figures().Totals;
        var recounted = day.Recount().Totals;
        Assert.Equal((recounted.LongestWaitSeconds, recounted.LongestHoldSeconds), (totals.LongestWaitSeconds, totals.LongestHoldSeconds));
        return (totals.LongestWaitSeconds, totals.LongestHoldSeconds);
    }
}
