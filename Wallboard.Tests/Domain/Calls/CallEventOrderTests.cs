using Wallboard.Domain.Calls;

namespace Wallboard.Tests.Domain.Calls;

/// <summary>Late, repeated and reordered events give the same call as in-order ones (§4).</summary>
public class CallEventOrderTests
{
    private static IReadOnlyList<CallEvent> ComplexCall() => new CallBuilder()
        .Started().Queued("Sales")
        .Ringing("mike", 1).RingNoAnswer("mike", 16)
        .Ringing("dana", 16).Answered("dana", 30)
        .HoldStarted(60).HoldEnded(95)
        .Transferred(120, toGroup: "Finance").Answered("fin", 140)
        .Ended(400, CallEndedBy.Agent)
        .Events;

    [Fact]
    public void Every_arrival_order_gives_the_same_call()
    {
        var events = ComplexCall();
        var expected = Describe(CallState.Project(events));
        var random = new Random(20261127);

        for (var i = 0; i < 200; i++)
        {
            // Arrival order is what Sequence records: shuffle it.
            var arrival = events.OrderBy(_ => random.Next()).Select((e, seq) => e with { Sequence = seq }).ToList();

            Assert.Equal(expected, Describe(CallState.Project(arrival)));
        }
    }

    [Fact]
    public void Repeated_events_are_applied_once()
    {
        var events = ComplexCall();
        var doubled = events.Concat(events.Select(e => e with { Sequence = e.Sequence + 100 })).ToList();

        var call = CallState.Project(doubled);

        Assert.Equal(Describe(CallState.Project(events)), Describe(call));
        Assert.Equal(events.Count, call.EventCount);
    }

    [Fact]
    public void A_late_answer_corrects_a_call_that_looked_abandoned()
    {
        var builder = new CallBuilder().Started().Ended(90);
        Assert.Equal(CallOutcome.Abandoned, builder.Project().Outcome(TimeSpan.FromSeconds(5)));

        // The answer happened at 20 s but arrived after the end.
        builder.Answered("101", 20);

        var corrected = builder.Project();
        Assert.Equal(CallOutcome.Connected, corrected.Outcome(TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(20), corrected.Wait);
        Assert.Equal(TimeSpan.FromSeconds(70), corrected.TalkTime);
    }

    [Fact]
    public void Ties_on_time_are_broken_by_arrival_order()
    {
        var start = CallBuilder.DefaultStart;
        CallEvent Event(string id, CallEventType type, long sequence) =>
            new() { EventId = id, CallId = "c", Type = type, At = start.AddSeconds(10), Sequence = sequence, Agent = "101" };

        var holdFirst = CallState.Project([
            new CallEvent { EventId = "s", CallId = "c", Type = CallEventType.Started, At = start },
            Event("a", CallEventType.Answered, 1),
            Event("h1", CallEventType.HoldStarted, 2),
            Event("h2", CallEventType.HoldEnded, 3),
        ]);
        var endFirst = CallState.Project([
            new CallEvent { EventId = "s", CallId = "c", Type = CallEventType.Started, At = start },
            Event("a", CallEventType.Answered, 1),
            Event("h2", CallEventType.HoldEnded, 2),
            Event("h1", CallEventType.HoldStarted, 3),
        ]);

        Assert.Equal(CallPhase.Talking, holdFirst.Phase);
        Assert.Equal(CallPhase.OnHold, endFirst.Phase);
    }

    private static string Describe(CallState c) => string.Join("|",
        c.StartedAt, c.From, c.To, c.Group, c.AnsweredAt, c.AnsweredBy, c.CurrentAgent, c.EndedAt, c.EndedBy,
        c.Wait, c.HoldTime, c.TalkTime, c.Outcome(TimeSpan.FromSeconds(5)), c.Phase,
        string.Join(",", c.Rings), string.Join(",", c.Holds), string.Join(",", c.Transfers));
}
