using Wallboard.Domain.Calls;

namespace Wallboard.Tests.Domain.Calls;

public class CallStateTests
{
    private static readonly TimeSpan ShortAbandon = TimeSpan.FromSeconds(5);

    [Fact]
    public void Hunt_group_hop_records_who_rang_who_missed_and_who_answered()
    {
        // Rang Mike 15 s, no answer, rang Dana, answered after 42 s.
        var call = new CallBuilder()
            .Started().Queued("Sales")
            .Ringing("mike", 2).RingNoAnswer("mike", 17)
            .Ringing("dana", 17).Answered("dana", 42)
            .Ended(300)
            .Project();

        Assert.Equal(["mike", "dana"], call.RungAgents);
        Assert.Equal(["mike"], call.MissedBy);
        Assert.Equal("dana", call.AnsweredBy);
        Assert.Equal(TimeSpan.FromSeconds(42), call.Wait);
        Assert.Equal(TimeSpan.FromSeconds(15), call.Rings[0].Duration);
        Assert.Equal(RingResult.Answered, call.Rings[1].Result);
        Assert.Equal(TimeSpan.FromSeconds(258), call.TalkTime);
        Assert.Equal("Sales", call.Group);
    }

    [Fact]
    public void Ring_all_group_cancels_the_phones_that_did_not_pick_up()
    {
        var call = new CallBuilder().Started().Ringing("101", 1).Ringing("102", 1).Ringing("103", 1).Answered("102", 9).Ended(60).Project();

        Assert.Equal([RingResult.Canceled, RingResult.Answered, RingResult.Canceled], call.Rings.Select(r => r.Result));
        Assert.Empty(call.MissedBy);
    }

    [Fact]
    public void Ring_no_answer_without_a_ringing_event_dates_the_ring_from_its_length()
    {
        var call = new CallBuilder().Started().RingNoAnswer("101", 20, ringSeconds: 15).Project();

        var ring = Assert.Single(call.Rings);
        Assert.Equal(call.StartedAt.AddSeconds(5), ring.StartedAt);
        Assert.Equal(RingResult.NoAnswer, ring.Result);
    }

    [Fact]
    public void Each_hold_segment_is_kept_and_talk_time_leaves_holds_out()
    {
        var call = new CallBuilder()
            .Started().Answered("101", 10)
            .HoldStarted(40).HoldEnded(70)
            .HoldStarted(100).HoldEnded(145)
            .Ended(200)
            .Project();

        Assert.Equal(2, call.Holds.Count);
        Assert.Equal(TimeSpan.FromSeconds(30), call.Holds[0].DurationUntil(call.EndedAt!.Value));
        Assert.Equal(TimeSpan.FromSeconds(75), call.HoldTime);
        Assert.Equal(TimeSpan.FromSeconds(115), call.TalkTime);
        Assert.Equal(CallOutcome.Connected, call.Outcome(ShortAbandon));
    }

    [Fact]
    public void Hold_before_any_answer_is_ignored()
    {
        var call = new CallBuilder().Started().HoldStarted(3).HoldEnded(8).Answered("101", 10).Ended(30).Project();

        Assert.Empty(call.Holds);
    }

    [Fact]
    public void Phase_follows_the_call_from_waiting_to_ended()
    {
        var builder = new CallBuilder().Started().Queued();
        Assert.Equal(CallPhase.Waiting, builder.Project().Phase);

        builder.Answered("101", 8);
        Assert.Equal(CallPhase.Talking, builder.Project().Phase);

        builder.HoldStarted(20);
        var onHold = builder.Project();
        Assert.Equal(CallPhase.OnHold, onHold.Phase);
        Assert.Equal(onHold.StartedAt.AddSeconds(20), onHold.OpenHold!.StartedAt);

        builder.HoldEnded(50).Voicemail(60);
        Assert.Equal(CallPhase.Voicemail, builder.Project().Phase);

        builder.Ended(90);
        Assert.Equal(CallPhase.Ended, builder.Project().Phase);
    }

    [Fact]
    public void Transfer_to_an_agent_moves_the_call_to_that_agent()
    {
        var call = new CallBuilder().Started().Answered("100", 4).Transferred(30, toAgent: "105").Answered("105", 38).Ended(120).Project();

        Assert.Equal("100", call.AnsweredBy);
        Assert.Equal("105", call.CurrentAgent);
        Assert.Single(call.Transfers);
        Assert.Equal(TimeSpan.FromSeconds(4), call.Wait);
    }

    [Fact]
    public void Events_of_an_unknown_call_without_a_start_open_it_at_the_first_event()
    {
        var events = new CallBuilder("late-joiner").Ringing("101", 3).Answered("101", 9).Ended(50).Events;

        var call = CallState.Project(events);

        Assert.Equal("late-joiner", call.CallId);
        Assert.Equal(CallBuilder.DefaultStart.AddSeconds(3), call.StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(6), call.Wait);
        Assert.Null(call.From);
    }

    [Fact]
    public void Events_after_the_end_only_add_facts_about_the_end()
    {
        var builder = new CallBuilder().Started().Answered("101", 5).Ended(60);
        var events = builder.Events.Append(new CallEvent
        {
            EventId = "late-recording",
            CallId = "call-1",
            Type = CallEventType.Ended,
            At = builder.Start.AddSeconds(65),
            RecordingUrl = "https://pbx.example/rec/1.wav",
            EndedBy = CallEndedBy.System,
        }).Append(new CallEvent
        {
            EventId = "late-hold",
            CallId = "call-1",
            Type = CallEventType.HoldStarted,
            At = builder.Start.AddSeconds(70),
        });

        var call = CallState.Project(events);

        Assert.Equal(builder.Start.AddSeconds(60), call.EndedAt);
        Assert.Equal(CallEndedBy.Caller, call.EndedBy);
        Assert.Equal("https://pbx.example/rec/1.wav", call.RecordingUrl);
        Assert.Empty(call.Holds);
    }

    [Fact]
    public void Projecting_no_events_is_refused()
    {
        Assert.Throws<ArgumentException>(() => CallState.Project([]));
    }
}
