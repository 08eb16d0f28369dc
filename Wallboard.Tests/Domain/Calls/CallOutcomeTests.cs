using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;

namespace Wallboard.Tests.Domain.Calls;

/// <summary>Every row of the design's outcome table (§3), with its edges.</summary>
public class CallOutcomeTests
{
    private static readonly TimeSpan DefaultShortAbandon = new StoreSettings().ShortAbandon;

    [Fact]
    public void Answered_call_that_ends_off_hold_is_connected()
    {
        var call = new CallBuilder().Started().Queued().Ringing("101", 1).Answered("101", 12).Ended(200).Project();

        Assert.Equal(CallOutcome.Connected, call.Outcome(DefaultShortAbandon));
        Assert.True(CallOutcome.Connected.IsAnswered());
        Assert.False(CallOutcome.Connected.IsMissed());
    }

    [Fact]
    public void Caller_hanging_up_on_hold_is_abandoned_on_hold()
    {
        var call = new CallBuilder().Started().Answered("101", 5).HoldStarted(30).Ended(95).Project();

        Assert.Equal(CallOutcome.AbandonedOnHold, call.Outcome(DefaultShortAbandon));
        Assert.True(call.EndedOnHold);
        Assert.Equal(TimeSpan.FromSeconds(65), call.HoldTime);
        Assert.True(CallOutcome.AbandonedOnHold.IsMissed());
    }

    [Fact]
    public void Agent_hanging_up_while_the_caller_is_on_hold_is_still_connected()
    {
        var call = new CallBuilder().Started().Answered("101", 5).HoldStarted(30).Ended(95, CallEndedBy.Agent).Project();

        Assert.Equal(CallOutcome.Connected, call.Outcome(DefaultShortAbandon));
    }

    [Fact]
    public void Call_that_reaches_voicemail_is_voicemail_with_message_left_recorded_from_the_end_event()
    {
        var call = new CallBuilder().Started().Ringing("101", 1).Voicemail(25).Ended(70, messageLeft: true).Project();

        Assert.Equal(CallOutcome.Voicemail, call.Outcome(DefaultShortAbandon));
        Assert.True(call.MessageLeft);
        Assert.Equal(TimeSpan.FromSeconds(25), call.Wait);
        Assert.Equal(RingResult.NoAnswer, call.Rings.Single().Result);
        Assert.True(CallOutcome.Voicemail.IsMissed());
    }

    [Fact]
    public void Voicemail_after_a_receptionist_answered_counts_as_voicemail()
    {
        var call = new CallBuilder().Started().Answered("100", 3).Transferred(20, toAgent: "101").Voicemail(45).Ended(60).Project();

        Assert.Equal(CallOutcome.Voicemail, call.Outcome(DefaultShortAbandon));
    }

    [Fact]
    public void Caller_hanging_up_unanswered_after_the_threshold_is_abandoned()
    {
        var call = new CallBuilder().Started().Queued().Ended(40).Project();

        Assert.Equal(CallOutcome.Abandoned, call.Outcome(DefaultShortAbandon));
        Assert.Equal(TimeSpan.FromSeconds(40), call.Wait);
    }

    [Fact]
    public void End_without_endedBy_before_an_answer_is_read_as_the_caller_giving_up()
    {
        var call = new CallBuilder().Started().Ended(40, by: null).Project();

        Assert.Equal(CallOutcome.Abandoned, call.Outcome(DefaultShortAbandon));
    }

    [Theory]
    [InlineData(CallEndedBy.System)]
    [InlineData(CallEndedBy.Agent)]
    public void Call_ended_unanswered_by_the_system_is_no_answer(CallEndedBy by)
    {
        var call = new CallBuilder().Started().Ringing("101", 1).RingNoAnswer("101", 31).Ended(31, by).Project();

        Assert.Equal(CallOutcome.NoAnswer, call.Outcome(DefaultShortAbandon));
        Assert.True(CallOutcome.NoAnswer.IsMissed());
    }

    [Theory]
    [InlineData(0, CallOutcome.ShortAbandon)]
    [InlineData(4.9, CallOutcome.ShortAbandon)]
    [InlineData(5, CallOutcome.Abandoned)]
    [InlineData(5.1, CallOutcome.Abandoned)]
    public void Hang_up_within_five_seconds_is_a_short_abandon_and_at_five_is_abandoned(double endAt, CallOutcome expected)
    {
        var call = new CallBuilder().Started().Ended(endAt).Project();

        Assert.Equal(expected, call.Outcome(DefaultShortAbandon));
    }

    [Fact]
    public void Short_abandon_is_neither_answered_nor_missed()
    {
        Assert.False(CallOutcome.ShortAbandon.IsAnswered());
        Assert.False(CallOutcome.ShortAbandon.IsMissed());
    }

    [Fact]
    public void Short_abandon_threshold_is_the_stores_setting()
    {
        var call = new CallBuilder().Started().Ended(8).Project();
        var patient = new StoreSettings { ShortAbandonSeconds = 10 };

        Assert.Equal(CallOutcome.Abandoned, call.Outcome(DefaultShortAbandon));
        Assert.Equal(CallOutcome.ShortAbandon, call.Outcome(patient.ShortAbandon));
    }

    [Fact]
    public void Call_in_progress_has_no_outcome_yet()
    {
        var call = new CallBuilder().Started().Answered("101", 4).Project();

        Assert.Null(call.Outcome(DefaultShortAbandon));
        Assert.Equal(CallPhase.Talking, call.Phase);
    }

    [Fact]
    public void Caller_sent_back_to_a_queue_who_hangs_up_is_abandoned_on_hold()
    {
        var call = new CallBuilder().Started().Answered("100", 3).Transferred(20, toGroup: "Sales").Ended(80).Project();

        Assert.Equal(CallOutcome.AbandonedOnHold, call.Outcome(DefaultShortAbandon));
        Assert.Equal(TimeSpan.FromSeconds(60), call.HoldTime);
    }
}
