using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using static Wallboard.Tests.Domain.Callbacks.CallbackScenario;

namespace Wallboard.Tests.Domain.Callbacks;

/// <summary>Every rule of §6 on one call-back, in the Chicago store of <see cref="CallbackScenario"/>.</summary>
public class CallbackTests
{
    private static readonly CallbackRules Rules = CallbackScenario.Rules();

    // Tuesday 24 November 2026, 14:00 in Chicago: the store is open until 20:00.
    private static readonly DateTimeOffset Tuesday2pm = Local(2026, 11, 24, 14, 0);

    private static CallbackAction[] Actions(Callback callback) => callback.Transitions.Select(t => t.Action).ToArray();

    // Creation

    [Fact]
    public void Missed_sales_call_creates_an_open_call_back_due_in_fifteen_minutes_escalating_in_an_hour()
    {
        var callback = Created(Tuesday2pm);

        Assert.Equal(CallbackStatus.Open, callback.Status);
        Assert.Equal(Caller, callback.CallerE164);
        Assert.False(callback.NoNumber);
        Assert.Equal(1, callback.MissedCallCount);
        Assert.Equal(Tuesday2pm.AddMinutes(15), callback.DueAt);
        Assert.Equal(Tuesday2pm.AddMinutes(15), callback.FirstResponseDueAt);
        Assert.Equal(Tuesday2pm.AddMinutes(60), callback.EscalateAt);
        Assert.Equal([1L], callback.Calls.Select(c => c.CallId));
        var created = Assert.Single(callback.Transitions);
        Assert.Equal(CallbackAction.Created, created.Action);
        Assert.Null(created.From);
        Assert.Equal(CallbackStatus.Open, created.To);
        Assert.Equal("Wallboard", created.Actor);
    }

    [Fact]
    public void Connected_call_does_not_make_a_call_back()
    {
        Assert.Throws<ArgumentException>(() => Callback.Create(Connected(1, Tuesday2pm), Rules, Tuesday2pm));
    }

    [Fact]
    public void Miss_after_hours_is_due_fifteen_minutes_after_the_next_opening()
    {
        var callback = Created(Local(2026, 11, 24, 21, 30));

        Assert.Equal(Local(2026, 11, 25, 9, 15), callback.DueAt);
        Assert.Equal(Local(2026, 11, 25, 10, 0), callback.EscalateAt);
    }

    // Joining

    [Fact]
    public void Second_missed_call_from_the_same_number_joins_and_keeps_the_earlier_due_time()
    {
        var callback = Created(Local(2026, 11, 24, 19, 55)); // due Wednesday 09:10

        var result = callback.Join(Missed(2, Local(2026, 11, 24, 21, 0), outcome: CallOutcome.Voicemail), Rules, Local(2026, 11, 24, 21, 0));

        Assert.True(result.Changed);
        Assert.Equal(2, callback.MissedCallCount);
        Assert.Equal(Local(2026, 11, 25, 9, 10), callback.DueAt);
        Assert.Equal([1L, 2L], callback.Calls.Select(c => c.CallId));
        Assert.Equal([CallbackAction.Created, CallbackAction.Joined], Actions(callback));
    }

    [Fact]
    public void Missed_call_while_waiting_for_the_next_try_reopens_it_due_fifteen_minutes_after_the_new_miss()
    {
        var callback = Created(Tuesday2pm);
        callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.NoAnswer), Rules, Tuesday2pm.AddMinutes(5));
        Assert.Equal(CallbackStatus.Scheduled, callback.Status);

        var missedAgain = Tuesday2pm.AddMinutes(20);
        callback.Join(Missed(2, missedAgain), Rules, missedAgain);

        Assert.Equal(CallbackStatus.Open, callback.Status);
        Assert.Null(callback.NextAttemptAt);
        Assert.Equal(missedAgain.AddMinutes(15), callback.DueAt); // earlier than the scheduled try's 15:20
        Assert.Equal(missedAgain.AddMinutes(60), callback.EscalateAt);
    }

    [Fact]
    public void The_same_missed_call_never_joins_twice()
    {
        var callback = Created(Tuesday2pm);

        var again = callback.Join(Missed(1, Tuesday2pm), Rules, Tuesday2pm.AddMinutes(1));

        Assert.False(again.Changed);
        Assert.Equal(1, callback.MissedCallCount);
    }

    // Claims

    [Fact]
    public void Of_two_claims_the_first_wins_and_the_second_is_told_who_has_it()
    {
        var callback = Created(Tuesday2pm);

        var first = callback.Claim(Dana, Rules, Tuesday2pm.AddMinutes(1));
        var second = callback.Claim(Mike, Rules, Tuesday2pm.AddMinutes(1));

        Assert.True(first.IsDone);
        Assert.Equal(CallbackRefusal.Conflict, second.Refusal);
        Assert.Equal(Dana.SalespersonId, second.HeldBySalespersonId);
        Assert.Equal("Dana Whitfield", second.HeldBy);
        Assert.Contains("Dana Whitfield", second.Reason, StringComparison.Ordinal);
        Assert.Equal(CallbackStatus.Claimed, callback.Status);
        Assert.Equal(Dana.SalespersonId, callback.ClaimedBySalespersonId);
    }

    [Fact]
    public void Claiming_your_own_claim_again_changes_nothing()
    {
        var callback = Created(Tuesday2pm);
        callback.Claim(Dana, Rules, Tuesday2pm.AddMinutes(1));

        var again = callback.Claim(Dana, Rules, Tuesday2pm.AddMinutes(2));

        Assert.True(again.IsDone);
        Assert.False(again.Changed);
        Assert.Equal(Tuesday2pm.AddMinutes(11), callback.ClaimExpiresAt);
    }

    [Fact]
    public void Claim_without_an_attempt_lapses_back_to_the_pool_after_ten_minutes()
    {
        var callback = Created(Tuesday2pm);
        callback.Claim(Dana, Rules, Tuesday2pm.AddMinutes(1));

        Assert.False(callback.Sweep(Rules, Tuesday2pm.AddMinutes(10).AddSeconds(59)));
        Assert.Equal(CallbackStatus.Claimed, callback.Status);

        Assert.True(callback.Sweep(Rules, Tuesday2pm.AddMinutes(11)));
        Assert.Equal(CallbackStatus.Open, callback.Status);
        Assert.Null(callback.ClaimedBySalespersonId);
        var lapse = callback.Transitions.Single(t => t.Action == CallbackAction.Lapsed);
        Assert.Equal((CallbackStatus.Claimed, CallbackStatus.Open), (lapse.From, lapse.To));
        Assert.Contains("Dana Whitfield", lapse.Reason, StringComparison.Ordinal);
        Assert.True(callback.Claim(Mike, Rules, Tuesday2pm.AddMinutes(12)).IsDone);
    }

    [Fact]
    public void Claim_window_is_a_store_setting()
    {
        var rules = CallbackScenario.Rules(new StoreSettings { ClaimWindowMinutes = 3 });
        var callback = Created(Tuesday2pm, rules);
        callback.Claim(Dana, rules, Tuesday2pm);

        Assert.True(callback.Sweep(rules, Tuesday2pm.AddMinutes(3)));
        Assert.Equal(CallbackStatus.Open, callback.Status);
    }

    [Fact]
    public void Owner_releases_the_claim_but_another_salesperson_may_not()
    {
        var callback = Created(Tuesday2pm);
        callback.Claim(Dana, Rules, Tuesday2pm.AddMinutes(1));

        var byMike = callback.Release(Mike, Rules, Tuesday2pm.AddMinutes(2));
        var byDana = callback.Release(Dana, Rules, Tuesday2pm.AddMinutes(3));

        Assert.Equal(CallbackRefusal.NotAllowed, byMike.Refusal);
        Assert.True(byDana.IsDone);
        Assert.Equal(CallbackStatus.Open, callback.Status);
        Assert.Equal(CallbackRefusal.Conflict, callback.Release(Dana, Rules, Tuesday2pm.AddMinutes(4)).Refusal);
    }

    [Fact]
    public void Manager_reassigns_a_claim_and_a_salesperson_cannot()
    {
        var callback = Created(Tuesday2pm);
        callback.Claim(Dana, Rules, Tuesday2pm.AddMinutes(1));

        Assert.Equal(CallbackRefusal.NotAllowed, callback.Reassign(Mike, 12, "Mike Reynolds", null, Rules, Tuesday2pm.AddMinutes(2)).Refusal);
        var result = callback.Reassign(Linda, 12, "Mike Reynolds", "Dana is with a customer", Rules, Tuesday2pm.AddMinutes(2));

        Assert.True(result.IsDone);
        Assert.Equal(12, callback.ClaimedBySalespersonId);
        Assert.Equal(Tuesday2pm.AddMinutes(12), callback.ClaimExpiresAt);
        var entry = callback.Transitions[^1];
        Assert.Equal(CallbackAction.Reassigned, entry.Action);
        Assert.Equal("Linda Park", entry.Actor);
        Assert.Equal("Assigned to Mike Reynolds from Dana Whitfield: Dana is with a customer", entry.Reason);
    }

    [Fact]
    public void Managers_token_without_a_salesperson_cannot_claim()
    {
        Assert.Equal(CallbackRefusal.NotAllowed, Created(Tuesday2pm).Claim(Linda, Rules, Tuesday2pm).Refusal);
    }

    // Attempts

    [Theory]
    [InlineData(AttemptOutcome.Reached, CallbackResolution.Reached)]
    [InlineData(AttemptOutcome.WrongNumber, CallbackResolution.WrongNumber)]
    [InlineData(AttemptOutcome.NotSales, CallbackResolution.NotSales)]
    [InlineData(AttemptOutcome.DoNotCall, CallbackResolution.DoNotCall)]
    public void Attempt_that_settles_it_completes_the_call_back(AttemptOutcome outcome, CallbackResolution resolution)
    {
        var callback = Created(Tuesday2pm);
        callback.Claim(Dana, Rules, Tuesday2pm.AddMinutes(2));

        var result = callback.LogAttempt(Dana, new AttemptInput(outcome, "Spoke briefly"), Rules, Tuesday2pm.AddMinutes(4));

        Assert.True(result.IsDone);
        Assert.Equal(CallbackStatus.Completed, callback.Status);
        Assert.Equal(resolution, callback.Resolution);
        Assert.Null(callback.ClaimedBySalespersonId);
        Assert.Equal(Tuesday2pm.AddMinutes(4), callback.ClosedAt);
        var attempt = Assert.Single(callback.Attempts);
        Assert.Equal((outcome, "Spoke briefly", "Dana Whitfield"), (attempt.Outcome, attempt.Note, attempt.By));
    }

    [Fact]
    public void Appointment_set_completes_with_its_date_and_time_and_the_lead_details()
    {
        var callback = Created(Tuesday2pm);
        var appointment = Local(2026, 11, 25, 11, 0);

        callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.AppointmentSet, "Test drive", appointment, "Jordan Miles", "RAV4 Hybrid XLE", "Cars.com"), Rules, Tuesday2pm.AddMinutes(5));

        Assert.Equal(CallbackStatus.Completed, callback.Status);
        Assert.Equal(CallbackResolution.AppointmentSet, callback.Resolution);
        Assert.Equal(appointment, callback.AppointmentAt);
        Assert.Equal(("Jordan Miles", "RAV4 Hybrid XLE", "Cars.com"), (callback.LeadName, callback.VehicleOfInterest, callback.HeardAbout));
        Assert.Equal("Appointment set for Wed 25 Nov 11:00. Note: Test drive", callback.Transitions[^1].Reason);
    }

    [Fact]
    public void Bad_attempts_are_refused_with_a_reason_per_field()
    {
        var callback = Created(Tuesday2pm);
        var now = Tuesday2pm.AddMinutes(5);

        var noTime = callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.AppointmentSet), Rules, now);
        var past = callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.AppointmentSet, AppointmentAt: now.AddHours(-1)), Rules, now);
        var stray = callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.NoAnswer, AppointmentAt: now.AddDays(1)), Rules, now);
        var longNote = callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.Reached, new string('x', Callback.MaxNoteLength + 1)), Rules, now);
        var unknown = callback.LogAttempt(Dana, new AttemptInput((AttemptOutcome)42), Rules, now);

        Assert.All([noTime, past, stray, longNote, unknown], r => Assert.Equal(CallbackRefusal.Invalid, r.Refusal));
        Assert.Equal(["appointmentAt"], noTime.Errors.Keys);
        Assert.Contains("in the past", past.Errors["appointmentAt"][0], StringComparison.Ordinal);
        Assert.Equal(["appointmentAt"], stray.Errors.Keys);
        Assert.Equal(["note"], longNote.Errors.Keys);
        Assert.Equal(["outcome"], unknown.Errors.Keys);
        Assert.Empty(callback.Attempts);
        Assert.Equal(CallbackStatus.Open, callback.Status);
    }

    [Fact]
    public void Salesperson_cannot_log_an_attempt_on_someone_elses_claim_but_a_manager_can()
    {
        var callback = Created(Tuesday2pm);
        callback.Claim(Dana, Rules, Tuesday2pm.AddMinutes(1));

        Assert.Equal(CallbackRefusal.NotAllowed, callback.LogAttempt(Mike, new AttemptInput(AttemptOutcome.Reached), Rules, Tuesday2pm.AddMinutes(2)).Refusal);
        Assert.True(callback.LogAttempt(Linda, new AttemptInput(AttemptOutcome.Reached), Rules, Tuesday2pm.AddMinutes(2)).IsDone);
    }

    [Fact]
    public void Attempt_on_an_unclaimed_call_back_is_allowed_and_a_finished_one_refuses_more()
    {
        var callback = Created(Tuesday2pm);

        Assert.True(callback.LogAttempt(Mike, new AttemptInput(AttemptOutcome.Reached), Rules, Tuesday2pm.AddMinutes(3)).IsDone);
        Assert.Equal(CallbackRefusal.Conflict, callback.LogAttempt(Mike, new AttemptInput(AttemptOutcome.Reached), Rules, Tuesday2pm.AddMinutes(4)).Refusal);
        Assert.Equal(CallbackRefusal.Conflict, callback.Claim(Dana, Rules, Tuesday2pm.AddMinutes(4)).Refusal);
    }

    // Cadence

    [Fact]
    public void No_answer_attempts_follow_the_cadence_and_the_fourth_closes_it_as_unreached()
    {
        var callback = Created(Tuesday2pm);

        // 1st try Tuesday 14:05: next in one business hour.
        callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.NoAnswer), Rules, Tuesday2pm.AddMinutes(5));
        Assert.Equal(CallbackStatus.Scheduled, callback.Status);
        Assert.Equal(Local(2026, 11, 24, 15, 5), callback.NextAttemptAt);
        Assert.Equal(Local(2026, 11, 24, 15, 20), callback.DueAt); // the next try has its own 15 minutes

        // 2nd try Tuesday 15:10: next business day at opening.
        callback.Sweep(Rules, Local(2026, 11, 24, 15, 5));
        callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.NoAnswer), Rules, Local(2026, 11, 24, 15, 10));
        Assert.Equal(Local(2026, 11, 25, 9, 0), callback.NextAttemptAt);

        // 3rd try Wednesday 09:05: three business days on, skipping Thanksgiving: Fri, Sat, Mon.
        callback.Sweep(Rules, Local(2026, 11, 25, 9, 0));
        callback.LogAttempt(Mike, new AttemptInput(AttemptOutcome.NoAnswer), Rules, Local(2026, 11, 25, 9, 5));
        Assert.Equal(Local(2026, 11, 30, 9, 0), callback.NextAttemptAt);

        // 4th try: the last.
        callback.Sweep(Rules, Local(2026, 11, 30, 9, 0));
        callback.LogAttempt(Mike, new AttemptInput(AttemptOutcome.NoAnswer), Rules, Local(2026, 11, 30, 9, 2));
        Assert.Equal(CallbackStatus.Unreached, callback.Status);
        Assert.Null(callback.NextAttemptAt);
        Assert.Equal(4, callback.AttemptCount);
        Assert.Contains("last of 4 attempts", callback.Transitions[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Scheduled_call_back_reopens_when_its_next_try_is_due()
    {
        var callback = Created(Tuesday2pm);
        callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.LeftVoicemail), Rules, Tuesday2pm.AddMinutes(5));

        Assert.False(callback.Sweep(Rules, Local(2026, 11, 24, 15, 4)));
        Assert.True(callback.Sweep(Rules, Local(2026, 11, 24, 15, 5)));

        Assert.Equal(CallbackStatus.Open, callback.Status);
        Assert.False(callback.IsOverdueAt(Local(2026, 11, 24, 15, 19)));
        Assert.True(callback.IsOverdueAt(Local(2026, 11, 24, 15, 20)));
    }

    [Fact]
    public void Second_voicemail_on_the_same_store_day_is_refused_and_the_next_day_is_fine()
    {
        var callback = Created(Local(2026, 11, 24, 17, 0));
        callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.LeftVoicemail), Rules, Local(2026, 11, 24, 17, 5));
        callback.Sweep(Rules, Local(2026, 11, 24, 18, 5));

        // 19:30 in Chicago is 01:30 UTC on the 25th: a new UTC day, the same store day.
        var sameDay = callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.LeftVoicemail), Rules, Local(2026, 11, 24, 19, 30));

        Assert.Equal(CallbackRefusal.Invalid, sameDay.Refusal);
        Assert.Contains("at most one voicemail a day", sameDay.Errors["outcome"][0], StringComparison.Ordinal);
        Assert.Contains("17:05", sameDay.Errors["outcome"][0], StringComparison.Ordinal);
        Assert.Equal(1, callback.AttemptCount);
        Assert.False(callback.MayLeaveVoicemail(Rules, Local(2026, 11, 24, 19, 30)));

        Assert.True(callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.NoAnswer), Rules, Local(2026, 11, 24, 19, 30)).IsDone);
        callback.Sweep(Rules, Local(2026, 11, 25, 9, 0));
        Assert.True(callback.MayLeaveVoicemail(Rules, Local(2026, 11, 25, 9, 5)));
        Assert.True(callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.LeftVoicemail), Rules, Local(2026, 11, 25, 9, 5)).IsDone);
    }

    [Fact]
    public void Cadence_is_a_store_setting()
    {
        var rules = CallbackScenario.Rules(new StoreSettings { CallbackCadence = "2h" });
        var callback = Created(Tuesday2pm, rules);

        callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.NoAnswer), rules, Tuesday2pm);
        Assert.Equal(Tuesday2pm.AddHours(2), callback.NextAttemptAt);
        callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.NoAnswer), rules, Tuesday2pm.AddHours(2));
        Assert.Equal(CallbackStatus.Unreached, callback.Status);
    }

    // Overdue and escalation

    [Fact]
    public void Open_call_back_past_its_due_time_with_no_attempt_is_overdue_and_marked_once()
    {
        var callback = Created(Tuesday2pm);

        Assert.False(callback.IsOverdueAt(Tuesday2pm.AddMinutes(14)));
        Assert.True(callback.IsOverdueAt(Tuesday2pm.AddMinutes(15)));
        Assert.False(callback.Sweep(Rules, Tuesday2pm.AddMinutes(14)));
        Assert.True(callback.Sweep(Rules, Tuesday2pm.AddMinutes(16)));
        Assert.False(callback.Sweep(Rules, Tuesday2pm.AddMinutes(16)));

        Assert.Equal(Tuesday2pm.AddMinutes(15), callback.OverdueSince);
        Assert.Single(callback.Transitions, t => t.Action == CallbackAction.BecameOverdue);
    }

    [Fact]
    public void Claimed_call_back_is_overdue_too()
    {
        var callback = Created(Tuesday2pm);
        callback.Claim(Dana, Rules, Tuesday2pm.AddMinutes(10));

        Assert.True(callback.IsOverdueAt(Tuesday2pm.AddMinutes(16)));
    }

    [Fact]
    public void Attempt_after_the_due_time_ends_the_overdue()
    {
        var callback = Created(Tuesday2pm);
        callback.Sweep(Rules, Tuesday2pm.AddMinutes(20));

        callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.NoAnswer), Rules, Tuesday2pm.AddMinutes(21));

        Assert.Null(callback.OverdueSince);
        Assert.False(callback.IsOverdueAt(Tuesday2pm.AddMinutes(22)));
    }

    [Fact]
    public void No_attempt_within_an_hour_of_business_time_escalates_to_managers()
    {
        var callback = Created(Tuesday2pm);

        Assert.True(callback.Sweep(Rules, Tuesday2pm.AddMinutes(30))); // overdue only
        Assert.False(callback.IsEscalated);
        Assert.True(callback.Sweep(Rules, Tuesday2pm.AddMinutes(60)));

        Assert.True(callback.IsEscalated);
        Assert.Equal(Tuesday2pm.AddMinutes(60), callback.EscalatedAt);
        Assert.Contains("within 60 min", callback.Transitions[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Attempt_before_the_follow_up_limit_prevents_escalation()
    {
        var callback = Created(Tuesday2pm);
        callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.NoAnswer), Rules, Tuesday2pm.AddMinutes(40));

        callback.Sweep(Rules, Tuesday2pm.AddMinutes(61));

        Assert.False(callback.IsEscalated);
    }

    [Fact]
    public void Miss_just_before_closing_escalates_the_next_morning_not_overnight()
    {
        var callback = Created(Local(2026, 11, 24, 19, 30));

        Assert.False(callback.Sweep(Rules, Local(2026, 11, 24, 23, 0)) && callback.IsEscalated);
        callback.Sweep(Rules, Local(2026, 11, 25, 9, 29));
        Assert.False(callback.IsEscalated);
        callback.Sweep(Rules, Local(2026, 11, 25, 9, 30));
        Assert.True(callback.IsEscalated);
    }

    // Resolved by the caller

    [Fact]
    public void Caller_calling_again_and_getting_through_completes_it_as_caller_called_back()
    {
        var callback = Created(Tuesday2pm);
        callback.Claim(Dana, Rules, Tuesday2pm.AddMinutes(2));

        var result = callback.ResolveByCaller(Connected(9, Tuesday2pm.AddMinutes(5)), Tuesday2pm.AddMinutes(10));

        Assert.True(result.Changed);
        Assert.Equal(CallbackStatus.Completed, callback.Status);
        Assert.Equal(CallbackResolution.CallerCalledBack, callback.Resolution);
        Assert.Equal(9, callback.ResolvedByCallId);
        Assert.Null(callback.ClaimedBySalespersonId);
        var entry = callback.Transitions[^1];
        Assert.Equal((CallbackAction.ResolvedByCaller, CallbackStatus.Claimed, CallbackStatus.Completed), (entry.Action, entry.From, entry.To));
    }

    [Fact]
    public void Connected_call_from_before_the_miss_or_another_number_does_not_resolve_it()
    {
        var callback = Created(Tuesday2pm);

        Assert.False(callback.ResolveByCaller(Connected(9, Tuesday2pm.AddHours(-2)), Tuesday2pm).Changed);
        Assert.False(callback.ResolveByCaller(Connected(10, Tuesday2pm.AddMinutes(5), "+13125550199"), Tuesday2pm).Changed);
        Assert.Equal(CallbackStatus.Open, callback.Status);
    }

    // Withheld numbers

    [Fact]
    public void Withheld_number_makes_a_no_number_call_back_that_only_a_manager_can_close()
    {
        var callback = Callback.Create(Missed(1, Tuesday2pm, caller: null, withheld: true), Rules, Tuesday2pm);

        Assert.True(callback.NoNumber);
        Assert.Null(callback.CallerE164);
        Assert.Equal(CallbackRefusal.Invalid, callback.Claim(Dana, Rules, Tuesday2pm).Refusal);
        Assert.Equal(CallbackRefusal.Invalid, callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.Reached), Rules, Tuesday2pm).Refusal);
        Assert.Equal(CallbackRefusal.NotAllowed, callback.Close(Dana, "Can't call", Tuesday2pm).Refusal);
        Assert.Equal(CallbackRefusal.Invalid, callback.Close(Linda, " ", Tuesday2pm).Refusal);

        Assert.True(callback.Close(Linda, "Private number, nothing to do", Tuesday2pm.AddMinutes(3)).IsDone);
        Assert.Equal(CallbackStatus.Closed, callback.Status);
        Assert.Equal("Private number, nothing to do", callback.ClosedReason);
    }

    [Fact]
    public void No_number_call_back_is_never_overdue_but_escalates_so_a_manager_sees_it()
    {
        var callback = Callback.Create(Missed(1, Tuesday2pm, caller: null, withheld: true), Rules, Tuesday2pm);

        callback.Sweep(Rules, Tuesday2pm.AddHours(2));

        Assert.False(callback.IsOverdueAt(Tuesday2pm.AddHours(2)));
        Assert.Null(callback.OverdueSince);
        Assert.True(callback.IsEscalated);
    }

    // Audit trail

    [Fact]
    public void Every_transition_is_in_the_audit_trail_with_who_when_from_to_and_why()
    {
        var callback = Created(Tuesday2pm);
        callback.Claim(Dana, Rules, Tuesday2pm.AddMinutes(1));
        callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.NoAnswer, "Rang out"), Rules, Tuesday2pm.AddMinutes(3));
        callback.Sweep(Rules, Tuesday2pm.AddMinutes(63));                        // reopened (the escalation was cancelled by the attempt)
        callback.Claim(Mike, Rules, Tuesday2pm.AddMinutes(64));
        callback.Sweep(Rules, Tuesday2pm.AddMinutes(74));                        // Mike's claim lapses
        callback.Reassign(Linda, 11, "Dana Whitfield", null, Rules, Tuesday2pm.AddMinutes(75));
        callback.LogAttempt(Dana, new AttemptInput(AttemptOutcome.Reached), Rules, Tuesday2pm.AddMinutes(76));

        var trail = callback.Transitions.Select(t => (t.Action, t.From, t.To, t.Actor)).ToList();
        Assert.Equal(
            [
                (CallbackAction.Created, null, CallbackStatus.Open, "Wallboard"),
                (CallbackAction.Claimed, CallbackStatus.Open, CallbackStatus.Claimed, "Dana Whitfield"),
                (CallbackAction.AttemptLogged, CallbackStatus.Claimed, CallbackStatus.Scheduled, "Dana Whitfield"),
                (CallbackAction.Reopened, CallbackStatus.Scheduled, CallbackStatus.Open, "Wallboard"),
                (CallbackAction.Claimed, CallbackStatus.Open, CallbackStatus.Claimed, "Mike Reynolds"),
                (CallbackAction.Lapsed, CallbackStatus.Claimed, CallbackStatus.Open, "Wallboard"),
                (CallbackAction.Reassigned, CallbackStatus.Open, CallbackStatus.Claimed, "Linda Park"),
                (CallbackAction.AttemptLogged, CallbackStatus.Claimed, CallbackStatus.Completed, "Dana Whitfield"),
            ],
            trail);
        Assert.Equal(
            [Tuesday2pm, Tuesday2pm.AddMinutes(1), Tuesday2pm.AddMinutes(3), Tuesday2pm.AddMinutes(63), Tuesday2pm.AddMinutes(64),
             Tuesday2pm.AddMinutes(74), Tuesday2pm.AddMinutes(75), Tuesday2pm.AddMinutes(76)],
            callback.Transitions.Select(t => t.At));
        Assert.Equal("No answer; next try 15:03 (+1 h, attempt 2 of 4). Note: Rang out", callback.Transitions[2].Reason);
        Assert.All(callback.Transitions, t => Assert.False(string.IsNullOrWhiteSpace(t.Reason)));
    }

    // The queue

    [Fact]
    public void Queue_puts_overdue_first_then_due_soonest_then_waiting_then_no_number()
    {
        var now = Tuesday2pm.AddMinutes(30);
        var overdueLong = Callback.Create(Missed(1, Tuesday2pm, "+13125550101"), Rules, Tuesday2pm);
        var overdueShort = Callback.Create(Missed(2, Tuesday2pm.AddMinutes(10), "+13125550102"), Rules, now);
        var dueSoon = Callback.Create(Missed(3, Tuesday2pm.AddMinutes(20), "+13125550103"), Rules, now);
        var dueLater = Callback.Create(Missed(4, Tuesday2pm.AddMinutes(25), "+13125550104"), Rules, now);
        var waiting = Callback.Create(Missed(5, Tuesday2pm.AddMinutes(1), "+13125550105"), Rules, now);
        waiting.LogAttempt(Dana, new AttemptInput(AttemptOutcome.NoAnswer), Rules, Tuesday2pm.AddMinutes(2));
        var withheld = Callback.Create(Missed(6, Tuesday2pm, null, withheld: true), Rules, now);

        var queue = new[] { withheld, dueLater, waiting, dueSoon, overdueShort, overdueLong }.OrderBy(c => c.QueueKey(now)).ToList();

        Assert.Equal([overdueLong, overdueShort, dueSoon, dueLater, waiting, withheld], queue);
    }
}
