using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;

namespace Wallboard.Tests.Domain.Metrics;

/// <summary>§5 and §7's one rule of "recovered": a call-back reached the caller, or the caller got through later.</summary>
public class MissedRecoveryTests
{
    [Theory]
    [InlineData(CallbackResolution.Reached, false, MissedRecovery.CallbackReached)]
    [InlineData(CallbackResolution.AppointmentSet, false, MissedRecovery.CallbackReached)]
    [InlineData(CallbackResolution.AppointmentSet, true, MissedRecovery.CallbackReached)]
    [InlineData(CallbackResolution.CallerCalledBack, false, MissedRecovery.CallerGotThrough)]
    [InlineData(CallbackResolution.WrongNumber, false, MissedRecovery.StillOpen)]
    [InlineData(CallbackResolution.NotSales, false, MissedRecovery.StillOpen)]
    [InlineData(CallbackResolution.DoNotCall, false, MissedRecovery.StillOpen)]
    [InlineData(CallbackResolution.NotSales, true, MissedRecovery.CallerGotThrough)]
    public void A_completed_call_back_recovers_a_missed_call_when_it_spoke_to_the_caller(CallbackResolution resolution, bool gotThroughLater, MissedRecovery expected)
    {
        Assert.Equal(expected, MissedRecoveries.Of(CallOutcome.Abandoned, resolution, gotThroughLater));
    }

    [Fact]
    public void A_missed_caller_who_got_through_later_is_recovered_without_a_call_back_and_still_open_otherwise()
    {
        Assert.Equal(MissedRecovery.CallerGotThrough, MissedRecoveries.Of(CallOutcome.Voicemail, null, gotThroughLater: true));
        Assert.Equal(MissedRecovery.StillOpen, MissedRecoveries.Of(CallOutcome.NoAnswer, null, gotThroughLater: false));
    }

    [Theory]
    [InlineData(CallOutcome.Connected)]
    [InlineData(CallOutcome.ShortAbandon)]
    [InlineData(null)]
    public void A_call_that_is_not_missed_has_nothing_to_recover(CallOutcome? outcome)
    {
        Assert.Null(MissedRecoveries.Of(outcome, CallbackResolution.Reached, gotThroughLater: true));
    }

    [Fact]
    public void Every_missed_outcome_can_be_recovered()
    {
        Assert.Equal(
            [CallOutcome.AbandonedOnHold, CallOutcome.Voicemail, CallOutcome.Abandoned, CallOutcome.NoAnswer],
            Enum.GetValues<CallOutcome>().Where(o => MissedRecoveries.Of(o, CallbackResolution.Reached, false) is not null));
    }
}
