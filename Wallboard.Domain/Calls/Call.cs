using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;

namespace Wallboard.Domain.Calls;

/// <summary>
/// The stored summary of one inbound call: what screens, metrics and call-backs read. It is a
/// projection of the call's events (<see cref="CallState"/>), refreshed whenever an event of the
/// call is committed, and never edited by hand.
/// </summary>
public sealed class Call
{
    public long Id { get; set; }

    public int IntegrationId { get; set; }

    /// <summary>The phone system's call id; unique per integration.</summary>
    public required string ExternalId { get; set; }

    public int StoreId { get; set; }

    public Department Department { get; set; }

    public int? LeadSourceId { get; set; }

    public int? TrackingNumberId { get; set; }

    /// <summary>The caller in E.164, or null when withheld or unparseable.</summary>
    public string? CallerE164 { get; set; }

    public string? CallerRaw { get; set; }

    public bool CallerWithheld { get; set; }

    public string? CallerName { get; set; }

    /// <summary>The number dialled, as sent.</summary>
    public string? DialedNumber { get; set; }

    public string? HuntGroup { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public DateTimeOffset LastEventAt { get; set; }

    public CallPhase Phase { get; set; }

    /// <summary>Null while the call is in progress.</summary>
    public CallOutcome? Outcome { get; set; }

    public int? WaitSeconds { get; set; }

    public int HoldSeconds { get; set; }

    public int HoldCount { get; set; }

    public int? TalkSeconds { get; set; }

    /// <summary>When the current hold began, while the caller is on hold (drives the board's timer).</summary>
    public DateTimeOffset? HoldStartedAt { get; set; }

    public string? AnsweredByAgent { get; set; }

    public int? AnsweredBySalespersonId { get; set; }

    public bool? VoicemailMessageLeft { get; set; }

    public string? RecordingUrl { get; set; }

    public bool ClosedAsStale { get; set; }

    public int EventCount { get; set; }

    /// <summary>
    /// When the caller's number, name and recording were taken out (retention or an erase request);
    /// null while the call still holds them. Not touched by <see cref="Refresh"/>: the call's stored
    /// events were rewritten too, so projecting them again yields the anonymous caller.
    /// </summary>
    public DateTimeOffset? AnonymizedAt { get; set; }

    public List<CallRing> Rings { get; set; } = [];

    public List<CallHold> Holds { get; set; } = [];

    /// <summary>
    /// Copies a freshly projected state into this row. <paramref name="salespersonOf"/> maps a
    /// phone-system agent identity to a salesperson, or null when the agent is not known.
    /// </summary>
    public void Refresh(CallState state, CallerNumber caller, StoreSettings settings, Func<string, int?> salespersonOf)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(salespersonOf);

        CallerE164 = caller.E164;
        CallerRaw = caller.Raw;
        CallerWithheld = caller.IsWithheld;
        CallerName = state.CallerName;
        DialedNumber = state.To;
        HuntGroup = state.Group;
        StartedAt = state.StartedAt;
        AnsweredAt = state.AnsweredAt;
        EndedAt = state.EndedAt;
        LastEventAt = state.LastEventAt;
        Phase = state.Phase;
        Outcome = state.Outcome(settings.ShortAbandon);
        WaitSeconds = state.Wait is { } wait ? ToSeconds(wait) : null;
        HoldSeconds = ToSeconds(state.HoldTime);
        HoldCount = state.Holds.Count;
        TalkSeconds = state.TalkTime is { } talk ? ToSeconds(talk) : null;
        HoldStartedAt = state.OpenHold?.StartedAt;
        AnsweredByAgent = state.AnsweredBy;
        AnsweredBySalespersonId = state.AnsweredBy is { } agent ? salespersonOf(agent) : null;
        VoicemailMessageLeft = state.VoicemailAt is null ? null : state.MessageLeft ?? false;
        RecordingUrl = state.RecordingUrl;
        ClosedAsStale = state.ClosedAsStale;
        EventCount = state.EventCount;

        Rings = state.Rings
            .Select((r, i) => new CallRing
            {
                CallId = Id,
                Ordinal = i,
                Agent = r.Agent,
                SalespersonId = salespersonOf(r.Agent),
                StartedAt = r.StartedAt,
                EndedAt = r.EndedAt,
                Result = r.Result,
            })
            .ToList();
        Holds = state.Holds
            .Select((h, i) => new CallHold { CallId = Id, Ordinal = i, StartedAt = h.StartedAt, EndedAt = h.EndedAt, Agent = h.Agent })
            .ToList();
    }

    private static int ToSeconds(TimeSpan span) => (int)Math.Round(span.TotalSeconds, MidpointRounding.AwayFromZero);
}

/// <summary>One phone of the hunt group ringing for a call (§3 "who rang, who missed, who answered").</summary>
public sealed class CallRing
{
    public long CallId { get; set; }

    public int Ordinal { get; set; }

    public required string Agent { get; set; }

    public int? SalespersonId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public RingResult Result { get; set; }
}

/// <summary>One stretch on hold.</summary>
public sealed class CallHold
{
    public long CallId { get; set; }

    public int Ordinal { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? Agent { get; set; }
}
