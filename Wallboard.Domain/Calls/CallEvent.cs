namespace Wallboard.Domain.Calls;

/// <summary>
/// One timestamped fact about a call (§4), as every adapter produces it. One flat record for all
/// types: each type uses the fields the design lists for it and leaves the others null.
/// </summary>
public sealed record CallEvent
{
    /// <summary>Unique per integration; a repeat is ignored.</summary>
    public required string EventId { get; init; }

    /// <summary>The phone system's id of the call (unique per integration).</summary>
    public required string CallId { get; init; }

    public required CallEventType Type { get; init; }

    /// <summary>When it happened, as the phone system says (UTC).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Order of arrival, to break ties between events with the same <see cref="At"/>.</summary>
    public long Sequence { get; init; }

    // call.started
    public string? From { get; init; }
    public string? To { get; init; }
    public string? CallerName { get; init; }

    // call.queued
    public string? Group { get; init; }

    // call.ringing, call.ring_no_answer, call.answered, call.hold_*
    public string? Agent { get; init; }
    public double? RingSeconds { get; init; }

    // call.transferred
    public string? FromAgent { get; init; }
    public string? ToAgent { get; init; }
    public string? ToGroup { get; init; }

    // call.voicemail (messageLeft may also come on call.ended)
    public string? Mailbox { get; init; }
    public bool? MessageLeft { get; init; }

    // call.ended
    public CallEndedBy? EndedBy { get; init; }
    public string? RecordingUrl { get; init; }
}
