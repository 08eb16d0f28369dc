using Wallboard.Domain.Calls;

namespace Wallboard.Tests.Domain.Calls;

public class StaleCallTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromHours(4);
    private static readonly TimeSpan ShortAbandon = TimeSpan.FromSeconds(5);

    [Fact]
    public void Call_is_stale_once_the_limit_has_passed_since_its_last_event()
    {
        var call = new CallBuilder().Started().Queued().Ringing("101", 3).Project();
        var last = call.LastEventAt;

        Assert.False(call.IsStale(last + Limit - TimeSpan.FromSeconds(1), Limit));
        Assert.True(call.IsStale(last + Limit, Limit));
    }

    [Fact]
    public void Ended_call_is_never_stale()
    {
        var call = new CallBuilder().Started().Ended(30).Project();

        Assert.False(call.IsStale(call.LastEventAt.AddDays(3), Limit));
    }

    [Fact]
    public void Unanswered_call_closed_as_stale_is_no_answer_and_ends_at_its_last_event()
    {
        var builder = new CallBuilder().Started().Queued().Ringing("101", 3);
        var open = builder.Project();

        var closed = CallState.Project(builder.Events.Append(open.StaleCloseEvent() with { Sequence = 99 }));

        Assert.Equal(CallOutcome.NoAnswer, closed.Outcome(ShortAbandon));
        Assert.True(closed.ClosedAsStale);
        Assert.Equal(open.LastEventAt, closed.EndedAt);
        Assert.Equal(CallPhase.Ended, closed.Phase);
    }

    [Fact]
    public void Answered_call_closed_as_stale_stays_connected()
    {
        var builder = new CallBuilder().Started().Answered("101", 6);
        var closed = CallState.Project(builder.Events.Append(builder.Project().StaleCloseEvent() with { Sequence = 99 }));

        Assert.Equal(CallOutcome.Connected, closed.Outcome(ShortAbandon));
    }

    [Fact]
    public void Real_end_that_arrives_after_the_stale_close_wins()
    {
        var builder = new CallBuilder().Started().Answered("101", 6);
        var stale = builder.Project().StaleCloseEvent() with { Sequence = 50 };
        builder.Ended(600);

        var call = CallState.Project(builder.Events.Append(stale));

        Assert.False(call.ClosedAsStale);
        Assert.Equal(builder.Start.AddSeconds(600), call.EndedAt);
        Assert.Equal(CallEndedBy.Caller, call.EndedBy);
    }
}
