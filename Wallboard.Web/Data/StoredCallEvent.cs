using Wallboard.Domain.Calls;

namespace Wallboard.Web.Data;

/// <summary>
/// A raw call event as it was accepted, append-only: the durable record from which every call is
/// projected. <see cref="Id"/> is the arrival order; (integration, event id) is unique, which is
/// how repeats are recognised.
/// </summary>
public sealed class StoredCallEvent
{
    public long Id { get; set; }

    public int IntegrationId { get; set; }

    public required string EventId { get; set; }

    /// <summary>The phone system's call id.</summary>
    public required string CallId { get; set; }

    public CallEventType Type { get; set; }

    public DateTimeOffset At { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The normalized event as JSON (§4 shape), so the event can be replayed exactly.</summary>
    public required string Payload { get; set; }
}
