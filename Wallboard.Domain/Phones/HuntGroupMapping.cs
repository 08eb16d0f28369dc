namespace Wallboard.Domain.Phones;

/// <summary>
/// Maps a phone system's hunt group or queue name to the tracking number whose calls it takes, so
/// a call that only names its queue (an Asterisk queue log does) is attributed to a store, a
/// department and a lead source.
/// </summary>
public sealed class HuntGroupMapping
{
    public int Id { get; set; }

    public int IntegrationId { get; set; }

    public required string Group { get; set; }

    public int TrackingNumberId { get; set; }
}
