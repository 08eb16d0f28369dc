using System.Globalization;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;

namespace Wallboard.Domain.Callbacks;

/// <summary>
/// The follow-up task for a missed sales call (§6), with every rule about it. Pure: the time is
/// passed in, business-time math goes through the store's calendar (<see cref="CallbackRules"/>),
/// and each change appends to <see cref="Transitions"/>, the audit trail. The database guards what
/// one object cannot: one active call-back per (store, number), one winner among simultaneous claims.
/// </summary>
public sealed class Callback
{
    public const int MaxNoteLength = 2000;
    public const int MaxLeadFieldLength = 120;
    public const int MaxReasonLength = 500;

    public long Id { get; set; }

    public int StoreId { get; set; }

    public Department Department { get; set; }

    public CallbackStatus Status { get; set; }

    /// <summary>The number to call, E.164; null when <see cref="NoNumber"/>.</summary>
    public string? CallerE164 { get; set; }

    /// <summary>What the phone system sent as the caller id, for a number that could not be read.</summary>
    public string? CallerRaw { get; set; }

    /// <summary>Withheld or unreadable caller id: nobody can call back, only a manager can close it.</summary>
    public bool NoNumber { get; set; }

    /// <summary>The caller id name, when the phone system sent one.</summary>
    public string? CallerName { get; set; }

    public int? LeadSourceId { get; set; }

    /// <summary>The number the caller dialled: what they called about (a listing, the radio spot…).</summary>
    public int? TrackingNumberId { get; set; }

    public int MissedCallCount { get; set; }

    /// <summary>The caller left a voicemail message on one of the missed calls.</summary>
    public bool CallerLeftMessage { get; set; }

    /// <summary>When the first missed call started.</summary>
    public DateTimeOffset FirstMissedAt { get; set; }

    /// <summary>When the latest missed call started.</summary>
    public DateTimeOffset LastMissedAt { get; set; }

    /// <summary>The first-response SLA's due time (earliest of the misses'); kept for "within SLA" metrics.</summary>
    public DateTimeOffset FirstResponseDueAt { get; set; }

    /// <summary>When the next call is due: the first response, or after a miss of ours the next attempt plus the SLA.</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>Set by the sweep when the call-back falls overdue; cleared by an attempt.</summary>
    public DateTimeOffset? OverdueSince { get; set; }

    /// <summary>When it escalates if no attempt comes first; null once an attempt was logged.</summary>
    public DateTimeOffset? EscalateAt { get; set; }

    public DateTimeOffset? EscalatedAt { get; set; }

    public int? ClaimedBySalespersonId { get; set; }

    public string? ClaimedBy { get; set; }

    public DateTimeOffset? ClaimedAt { get; set; }

    public DateTimeOffset? ClaimExpiresAt { get; set; }

    /// <summary>When <see cref="CallbackStatus.Scheduled"/>: when the next attempt is due.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public int AttemptCount { get; set; }

    /// <summary>Attempts that did not reach the caller (no answer, voicemail): the step on the cadence.</summary>
    public int UnsuccessfulAttempts { get; set; }

    public DateTimeOffset? FirstAttemptAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public AttemptOutcome? LastAttemptOutcome { get; set; }

    public string? LastAttemptBy { get; set; }

    public DateTimeOffset? LastVoicemailAt { get; set; }

    public string? LeadName { get; set; }

    public string? VehicleOfInterest { get; set; }

    public string? HeardAbout { get; set; }

    public DateTimeOffset? AppointmentAt { get; set; }

    public CallbackResolution? Resolution { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public string? ClosedReason { get; set; }

    /// <summary>The connected call that resolved it, for <see cref="CallbackResolution.CallerCalledBack"/>.</summary>
    public long? ResolvedByCallId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the caller's number, name, lead details and the notes were taken out; null until then.</summary>
    public DateTimeOffset? AnonymizedAt { get; set; }

    /// <summary>Optimistic concurrency: every saved change bumps it; a save against an older version fails.</summary>
    public int Version { get; set; }

    public List<CallbackCall> Calls { get; set; } = [];

    public List<CallbackAttempt> Attempts { get; set; } = [];

    public List<CallbackTransition> Transitions { get; set; } = [];

    public bool IsActive => Status.IsActive();

    /// <summary>
    /// §6: open or claimed, past its due time, with no attempt since it fell due. A call-back with
    /// no number is never overdue: there is nobody a salesperson could call (it escalates instead).
    /// </summary>
    public bool IsOverdueAt(DateTimeOffset now) => IsOverdue(Status, NoNumber, DueAt, LastAttemptAt, now);

    /// <summary>The rule of <see cref="IsOverdueAt"/> from a call-back's facts (the live board keeps these, not the entity).</summary>
    public static bool IsOverdue(CallbackStatus status, bool noNumber, DateTimeOffset dueAt, DateTimeOffset? lastAttemptAt, DateTimeOffset now) =>
        status is CallbackStatus.Open or CallbackStatus.Claimed
        && !noNumber
        && now >= dueAt
        && (lastAttemptAt is null || lastAttemptAt < dueAt);

    public bool IsEscalated => EscalatedAt is not null;

    /// <summary>When the caller was missed: the end of the call, when it became a miss.</summary>
    public static DateTimeOffset MissedAt(Call call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.EndedAt ?? call.LastEventAt;
    }

    /// <summary>A new call-back for a missed sales call (§6 "Created").</summary>
    public static Callback Create(Call missed, CallbackRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(missed);
        ArgumentNullException.ThrowIfNull(rules);
        if (missed.Outcome is not { } outcome || !outcome.IsMissed())
        {
            throw new ArgumentException($"Call {missed.Id} is not a missed call.", nameof(missed));
        }

        var missedAt = MissedAt(missed);
        var due = rules.DueAfter(missed.Department, missedAt);
        var callback = new Callback
        {
            StoreId = missed.StoreId,
            Department = missed.Department,
            Status = CallbackStatus.Open,
            CallerE164 = missed.CallerE164,
            CallerRaw = missed.CallerE164 is null && !missed.CallerWithheld ? missed.CallerRaw : null,
            NoNumber = missed.CallerE164 is null,
            CallerName = missed.CallerName,
            LeadSourceId = missed.LeadSourceId,
            TrackingNumberId = missed.TrackingNumberId,
            MissedCallCount = 1,
            CallerLeftMessage = missed.VoicemailMessageLeft == true,
            FirstMissedAt = missed.StartedAt,
            LastMissedAt = missed.StartedAt,
            FirstResponseDueAt = due,
            DueAt = due,
            EscalateAt = rules.EscalationAfter(missed.Department, missedAt),
            CreatedAt = now,
            UpdatedAt = now,
        };
        callback.Calls.Add(new CallbackCall { CallId = missed.Id, JoinedAt = now });

        var what = callback.NoNumber
            ? (missed.CallerWithheld ? "Missed call from a withheld number: no number to call back, a manager closes it" : $"Missed call from an unreadable number ('{missed.CallerRaw}'): a manager closes it")
            : $"Missed call ({Describe(outcome)}), due {Local(rules, due, now)}";
        callback.Record(now, CallbackAction.Created, null, CallbackActor.System, what);
        return callback;
    }

    /// <summary>
    /// Another missed call from the same number joins the call-back (§6): one more missed call, due
    /// at the earlier of the two due times. A call-back waiting for its next attempt goes back to
    /// the pool at once: the caller is trying to reach us.
    /// </summary>
    public CallbackResult Join(Call missed, CallbackRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(missed);
        ArgumentNullException.ThrowIfNull(rules);
        if (!IsActive)
        {
            return CallbackResult.Conflict("A missed call can only join an active call-back.");
        }

        if (Calls.Any(c => c.CallId == missed.Id))
        {
            return CallbackResult.Unchanged;
        }

        var missedAt = MissedAt(missed);
        var due = rules.DueAfter(Department, missedAt);
        var escalation = rules.EscalationAfter(Department, missedAt);
        var from = Status;

        MissedCallCount++;
        if (missed.StartedAt < FirstMissedAt)
        {
            FirstMissedAt = missed.StartedAt;
        }

        if (missed.StartedAt > LastMissedAt)
        {
            LastMissedAt = missed.StartedAt;
        }

        CallerLeftMessage |= missed.VoicemailMessageLeft == true;
        CallerName ??= missed.CallerName;
        if (due < DueAt)
        {
            DueAt = due;
        }

        if (due < FirstResponseDueAt)
        {
            FirstResponseDueAt = due;
        }

        // A miss with no attempt after it escalates on its own clock.
        if (EscalateAt is null || escalation < EscalateAt)
        {
            EscalateAt = escalation;
        }

        if (Status == CallbackStatus.Scheduled)
        {
            Status = CallbackStatus.Open;
            NextAttemptAt = null;
        }

        Calls.Add(new CallbackCall { CallbackId = Id, CallId = missed.Id, JoinedAt = now });
        Record(now, CallbackAction.Joined, from, CallbackActor.System,
            $"Missed again ({Describe(missed.Outcome)}), {MissedCallCount} missed calls; due {Local(rules, DueAt, now)}");
        return CallbackResult.Done;
    }

    /// <summary>A salesperson takes the call-back (§6): one at a time; the holder is named to anyone else who tries.</summary>
    public CallbackResult Claim(CallbackActor actor, CallbackRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(rules);
        if (actor.SalespersonId is not { } salesperson)
        {
            return CallbackResult.NotAllowed("Claims are made by salespeople; a manager assigns a call-back with reassign.");
        }

        if (Finished() is { } finished)
        {
            return finished;
        }

        if (NoNumber)
        {
            return CallbackResult.Invalid("There is no number to call back: only a manager can close this call-back.");
        }

        if (Status == CallbackStatus.Claimed)
        {
            return ClaimedBySalespersonId == salesperson
                ? CallbackResult.Unchanged
                : CallbackResult.HeldBySomeoneElse(ClaimedBySalespersonId, ClaimedBy, $"{ClaimedBy} has already claimed this call-back.");
        }

        var from = Status;
        TakeClaim(salesperson, actor.Name, rules, now);
        Record(now, CallbackAction.Claimed, from, actor, $"Claimed; lapses at {Local(rules, ClaimExpiresAt!.Value, now)} without an attempt");
        return CallbackResult.Done;
    }

    /// <summary>The owner (or a manager) hands the call-back back to the pool.</summary>
    public CallbackResult Release(CallbackActor actor, CallbackRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(rules);
        if (Finished() is { } finished)
        {
            return finished;
        }

        if (Status != CallbackStatus.Claimed)
        {
            return CallbackResult.Conflict("Nobody has claimed this call-back.");
        }

        if (ClaimedBySalespersonId != actor.SalespersonId && !actor.IsManager)
        {
            return CallbackResult.NotAllowed($"Only {ClaimedBy}, who claimed it, or a manager can release this call-back.");
        }

        var (holderId, holder) = (ClaimedBySalespersonId, ClaimedBy);
        ReturnToPool(now);
        Record(now, CallbackAction.Released, CallbackStatus.Claimed, actor,
            holderId == actor.SalespersonId ? "Released back to the pool" : $"Released {holder}'s claim back to the pool");
        return CallbackResult.Done;
    }

    /// <summary>A manager gives the call-back to a salesperson (§6), whoever had it before.</summary>
    public CallbackResult Reassign(CallbackActor actor, int salespersonId, string salespersonName, string? reason, CallbackRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(rules);
        if (!actor.IsManager)
        {
            return CallbackResult.NotAllowed("Only a manager can reassign a call-back.");
        }

        if (Finished() is { } finished)
        {
            return finished;
        }

        if (NoNumber)
        {
            return CallbackResult.Invalid("There is no number to call back: close this call-back instead.");
        }

        if (reason?.Length > MaxReasonLength)
        {
            return CallbackResult.Invalid($"The reason is longer than {MaxReasonLength} characters.", Field("reason", $"At most {MaxReasonLength} characters."));
        }

        if (Status == CallbackStatus.Claimed && ClaimedBySalespersonId == salespersonId)
        {
            return CallbackResult.Unchanged;
        }

        var from = Status;
        var before = Status == CallbackStatus.Claimed ? $" from {ClaimedBy}" : string.Empty;
        TakeClaim(salespersonId, salespersonName, rules, now);
        var why = string.IsNullOrWhiteSpace(reason) ? string.Empty : $": {reason.Trim()}";
        Record(now, CallbackAction.Reassigned, from, actor, $"Assigned to {salespersonName}{before}{why}");
        return CallbackResult.Done;
    }

    /// <summary>
    /// Logs a try at calling back (§6). Reached, appointment set, wrong number, not sales and do
    /// not call complete the call-back; no answer and voicemail schedule the next try on the
    /// store's cadence, and after the last one it closes as unreached. A second voicemail on the
    /// same store-local day is refused (at most one voicemail a day): log no answer instead.
    /// </summary>
    public CallbackResult LogAttempt(CallbackActor actor, AttemptInput input, CallbackRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(rules);
        if (actor.SalespersonId is null && !actor.IsManager)
        {
            return CallbackResult.NotAllowed("Attempts are logged by salespeople and managers.");
        }

        if (Finished() is { } finished)
        {
            return finished;
        }

        if (NoNumber)
        {
            return CallbackResult.Invalid("There is no number to call back: only a manager can close this call-back.");
        }

        if (Status == CallbackStatus.Claimed && ClaimedBySalespersonId != actor.SalespersonId && !actor.IsManager)
        {
            return CallbackResult.NotAllowed($"{ClaimedBy} has claimed this call-back; only they or a manager can log an attempt.");
        }

        var errors = Validate(input, rules, now);
        if (errors.Count > 0)
        {
            return CallbackResult.Invalid(string.Join(" ", errors.Values.SelectMany(e => e)), errors);
        }

        var from = Status;
        Attempts.Add(new CallbackAttempt
        {
            CallbackId = Id,
            At = now,
            Outcome = input.Outcome,
            Note = Clean(input.Note),
            AppointmentAt = input.AppointmentAt,
            SalespersonId = actor.SalespersonId,
            By = actor.Name,
        });
        AttemptCount++;
        FirstAttemptAt ??= now;
        LastAttemptAt = now;
        LastAttemptOutcome = input.Outcome;
        LastAttemptBy = actor.Name;
        OverdueSince = null;
        EscalateAt = null;
        LeadName = Clean(input.LeadName) ?? LeadName;
        VehicleOfInterest = Clean(input.VehicleOfInterest) ?? VehicleOfInterest;
        HeardAbout = Clean(input.HeardAbout) ?? HeardAbout;
        ClearClaim();

        string reason;
        if (input.Outcome.Completes())
        {
            Status = CallbackStatus.Completed;
            Resolution = input.Outcome.ToResolution();
            AppointmentAt = input.AppointmentAt ?? AppointmentAt;
            ClosedAt = now;
            NextAttemptAt = null;
            reason = input.Outcome == AttemptOutcome.AppointmentSet
                ? $"{input.Outcome.Describe()} for {Local(rules, input.AppointmentAt!.Value, now)}"
                : input.Outcome.Describe();
        }
        else
        {
            if (input.Outcome == AttemptOutcome.LeftVoicemail)
            {
                LastVoicemailAt = now;
            }

            UnsuccessfulAttempts++;
            var next = rules.Cadence.NextAttempt(rules.Calendar, Department, now, UnsuccessfulAttempts);
            if (next is { } at)
            {
                Status = CallbackStatus.Scheduled;
                NextAttemptAt = at;
                DueAt = rules.DueAfter(Department, at);
                var step = rules.Cadence.Steps[UnsuccessfulAttempts - 1].Describe();
                reason = $"{input.Outcome.Describe()}; next try {Local(rules, at, now)} ({step}, attempt {UnsuccessfulAttempts + 1} of {rules.MaxAttempts})";
            }
            else
            {
                Status = CallbackStatus.Unreached;
                NextAttemptAt = null;
                ClosedAt = now;
                reason = $"{input.Outcome.Describe()}; that was the last of {rules.MaxAttempts} attempts";
            }
        }

        Record(now, CallbackAction.AttemptLogged, from, actor, WithNote(reason, input.Note));
        return CallbackResult.Done;
    }

    /// <summary>The same number called the store again and got through (§6): done, as caller called back.</summary>
    public CallbackResult ResolveByCaller(Call connected, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(connected);
        if (!IsActive)
        {
            return CallbackResult.Unchanged;
        }

        if (connected.Outcome != CallOutcome.Connected || connected.CallerE164 is null || connected.CallerE164 != CallerE164
            || connected.StoreId != StoreId || connected.StartedAt <= FirstMissedAt)
        {
            return CallbackResult.Invalid("Only a later connected call from the same number to the same store resolves a call-back.");
        }

        var from = Status;
        ClearClaim();
        Status = CallbackStatus.Completed;
        Resolution = CallbackResolution.CallerCalledBack;
        ResolvedByCallId = connected.Id;
        ClosedAt = now;
        NextAttemptAt = null;
        OverdueSince = null;
        EscalateAt = null;
        Record(now, CallbackAction.ResolvedByCaller, from, CallbackActor.System, "The caller called again and got through");
        return CallbackResult.Done;
    }

    /// <summary>A manager closes the call-back, with a reason. The only way to close one with no number.</summary>
    public CallbackResult Close(CallbackActor actor, string? reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsManager)
        {
            return CallbackResult.NotAllowed("Only a manager can close a call-back.");
        }

        if (Finished() is { } finished)
        {
            return finished;
        }

        var text = Clean(reason);
        if (text is null)
        {
            return CallbackResult.Invalid("Say why the call-back is closed.", Field("reason", "A reason is required."));
        }

        if (text.Length > MaxReasonLength)
        {
            return CallbackResult.Invalid($"The reason is longer than {MaxReasonLength} characters.", Field("reason", $"At most {MaxReasonLength} characters."));
        }

        var from = Status;
        ClearClaim();
        Status = CallbackStatus.Closed;
        ClosedReason = text;
        ClosedAt = now;
        NextAttemptAt = null;
        OverdueSince = null;
        EscalateAt = null;
        Record(now, CallbackAction.Closed, from, actor, $"Closed: {text}");
        return CallbackResult.Done;
    }

    /// <summary>
    /// What time alone changes (the sweep, §6): a claim without an attempt lapses to the pool, a
    /// scheduled call-back reopens when its next attempt is due, an overdue one is marked, one with
    /// no attempt by the follow-up limit is escalated. Idempotent: a second sweep at the same time
    /// changes nothing.
    /// </summary>
    public bool Sweep(CallbackRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (!IsActive)
        {
            return false;
        }

        var changed = false;
        if (Status == CallbackStatus.Claimed && ClaimExpiresAt <= now)
        {
            var holder = ClaimedBy;
            var window = (int)rules.ClaimWindow.TotalMinutes;
            ReturnToPool(now);
            Record(now, CallbackAction.Lapsed, CallbackStatus.Claimed, CallbackActor.System,
                $"{holder}'s claim lapsed: no attempt within {window.ToString(CultureInfo.InvariantCulture)} min");
            changed = true;
        }

        if (Status == CallbackStatus.Scheduled && NextAttemptAt <= now)
        {
            Status = CallbackStatus.Open;
            NextAttemptAt = null;
            Record(now, CallbackAction.Reopened, CallbackStatus.Scheduled, CallbackActor.System,
                $"Next try is due (attempt {UnsuccessfulAttempts + 1} of {rules.MaxAttempts}); due by {Local(rules, DueAt, now)}");
            changed = true;
        }

        if (OverdueSince is null && IsOverdueAt(now))
        {
            OverdueSince = DueAt;
            Record(now, CallbackAction.BecameOverdue, Status, CallbackActor.System, $"Overdue: was due {Local(rules, DueAt, now)}");
            changed = true;
        }

        if (EscalatedAt is null && EscalateAt <= now)
        {
            EscalatedAt = now;
            var limit = (int)rules.FollowUp.TotalMinutes;
            Record(now, CallbackAction.Escalated, Status, CallbackActor.System,
                $"Escalated to managers: no attempt within {limit.ToString(CultureInfo.InvariantCulture)} min of business time after the miss");
            changed = true;
        }

        return changed;
    }

    /// <summary>Whether <see cref="Sweep"/> would change anything at <paramref name="now"/>.</summary>
    public bool NeedsSweep(DateTimeOffset now) =>
        IsActive && ((Status == CallbackStatus.Claimed && ClaimExpiresAt <= now)
            || (Status == CallbackStatus.Scheduled && NextAttemptAt <= now)
            || (OverdueSince is null && IsOverdueAt(now))
            || (EscalatedAt is null && EscalateAt <= now));

    /// <summary>
    /// Where the call-back sits in a salesperson's queue, most urgent first: overdue (longest
    /// overdue first), then due soonest, then those waiting for their next try, then those with no
    /// number (only a manager can act), then finished ones, newest first.
    /// </summary>
    public (int Rank, DateTimeOffset At) QueueKey(DateTimeOffset now) => this switch
    {
        // Newest first: the later it closed, the smaller its key.
        { IsActive: false } => (4, new DateTimeOffset(DateTimeOffset.MaxValue.UtcTicks - (ClosedAt ?? UpdatedAt).UtcTicks, TimeSpan.Zero)),
        { NoNumber: true } => (3, FirstMissedAt),
        { Status: CallbackStatus.Scheduled } => (2, NextAttemptAt ?? DueAt),
        _ when IsOverdueAt(now) => (0, DueAt),
        _ => (1, DueAt),
    };

    /// <summary>Whether a voicemail may still be left today (store-local day): at most one a day.</summary>
    public bool MayLeaveVoicemail(CallbackRules rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return LastVoicemailAt is not { } last || rules.Calendar.LocalDate(last) != rules.Calendar.LocalDate(now);
    }

    private Dictionary<string, string[]> Validate(AttemptInput input, CallbackRules rules, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!Enum.IsDefined(input.Outcome))
        {
            errors["outcome"] = ["Unknown outcome."];
        }

        if (input.Outcome == AttemptOutcome.AppointmentSet)
        {
            if (input.AppointmentAt is not { } at)
            {
                errors["appointmentAt"] = ["An appointment needs its date and time."];
            }
            else if (at < now)
            {
                errors["appointmentAt"] = [$"The appointment ({Local(rules, at, now)}) is in the past."];
            }
            else if (at > now.AddDays(366))
            {
                errors["appointmentAt"] = ["The appointment is more than a year away."];
            }
        }
        else if (input.AppointmentAt is not null)
        {
            errors["appointmentAt"] = ["Only an attempt with outcome AppointmentSet has an appointment time."];
        }

        if (input.Outcome == AttemptOutcome.LeftVoicemail && !MayLeaveVoicemail(rules, now))
        {
            errors["outcome"] = [$"A voicemail was already left today at {rules.Calendar.LocalDateTime(LastVoicemailAt!.Value).ToString("HH:mm", CultureInfo.InvariantCulture)}: at most one voicemail a day. Log NoAnswer if you did not leave one."];
        }

        if (input.Note?.Length > MaxNoteLength)
        {
            errors["note"] = [$"At most {MaxNoteLength} characters."];
        }

        foreach (var (name, value) in new[] { ("leadName", input.LeadName), ("vehicleOfInterest", input.VehicleOfInterest), ("heardAbout", input.HeardAbout) })
        {
            if (value?.Length > MaxLeadFieldLength)
            {
                errors[name] = [$"At most {MaxLeadFieldLength} characters."];
            }
        }

        return errors;
    }

    private CallbackResult? Finished() => IsActive
        ? null
        : CallbackResult.Conflict(Status switch
        {
            CallbackStatus.Completed => $"This call-back is already completed ({Resolution?.Describe()}).",
            CallbackStatus.Unreached => "This call-back is already closed as unreached.",
            _ => "This call-back is already closed.",
        });

    private void TakeClaim(int salespersonId, string name, CallbackRules rules, DateTimeOffset now)
    {
        Status = CallbackStatus.Claimed;
        ClaimedBySalespersonId = salespersonId;
        ClaimedBy = name;
        ClaimedAt = now;
        ClaimExpiresAt = now + rules.ClaimWindow;
    }

    // Back to the pool: open if its next try is due (or it never had one), else waiting for it.
    private void ReturnToPool(DateTimeOffset now)
    {
        ClearClaim();
        Status = NextAttemptAt is { } next && next > now ? CallbackStatus.Scheduled : CallbackStatus.Open;
        if (Status == CallbackStatus.Open)
        {
            NextAttemptAt = null;
        }
    }

    private void ClearClaim()
    {
        ClaimedBySalespersonId = null;
        ClaimedBy = null;
        ClaimedAt = null;
        ClaimExpiresAt = null;
    }

    private void Record(DateTimeOffset now, CallbackAction action, CallbackStatus? from, CallbackActor actor, string reason)
    {
        UpdatedAt = now;
        Transitions.Add(new CallbackTransition
        {
            CallbackId = Id,
            At = now,
            Action = action,
            From = from,
            To = Status,
            ActorSalespersonId = actor.SalespersonId,
            Actor = actor.Name,
            Reason = reason,
        });
    }

    // Store-local time for the audit trail: "14:05" today, "Tue 3 Mar 09:10" on another day.
    private static string Local(CallbackRules rules, DateTimeOffset instant, DateTimeOffset now)
    {
        var local = rules.Calendar.LocalDateTime(instant);
        var sameDay = rules.Calendar.LocalDate(instant) == rules.Calendar.LocalDate(now);
        return local.ToString(sameDay ? "HH:mm" : "ddd d MMM HH:mm", CultureInfo.InvariantCulture);
    }

    private static string WithNote(string reason, string? note) =>
        Clean(note) is { } text ? $"{reason}. Note: {(text.Length <= 200 ? text : text[..200] + "…")}" : reason;

    private static string Describe(CallOutcome? outcome) => outcome switch
    {
        CallOutcome.AbandonedOnHold => "hung up on hold",
        CallOutcome.Voicemail => "went to voicemail",
        CallOutcome.Abandoned => "hung up waiting",
        CallOutcome.NoAnswer => "nobody answered",
        _ => outcome?.ToString() ?? "unknown",
    };

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static Dictionary<string, string[]> Field(string name, string error) => new(StringComparer.Ordinal) { [name] = [error] };
}
