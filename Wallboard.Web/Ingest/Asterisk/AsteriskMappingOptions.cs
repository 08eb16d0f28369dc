namespace Wallboard.Web.Ingest.Asterisk;

/// <summary>
/// What the queue log does not say and the integration's settings must: which number a queue answers
/// (the log names the queue, the product attributes calls by tracking number) and who a queue member is.
/// </summary>
public sealed record AsteriskMappingOptions
{
    /// <summary>
    /// Queue name → tracking number (E.164) it answers, used as <c>call.started.to</c>. Queue names
    /// compare case-insensitively, as Asterisk compares them.
    /// </summary>
    public IReadOnlyDictionary<string, string> QueueTrackingNumbers { get; init; } =
        new Dictionary<string, string>();

    /// <summary>The tracking number for a queue missing from <see cref="QueueTrackingNumbers"/>; null leaves
    /// <c>to</c> empty, so the call is attributed to the store's "Unknown" source.</summary>
    public string? DefaultTrackingNumber { get; init; }

    /// <summary>
    /// Member → agent identity, for members whose normalized name is not the identity the store set up
    /// (see <see cref="QueueMemberNames"/>). Keys may be the member as logged (<c>SIP/101</c>) or normalized
    /// (<c>101</c>); both compare case-insensitively. Without an entry the normalized name is the identity.
    /// </summary>
    public IReadOnlyDictionary<string, string> MemberAgents { get; init; } = new Dictionary<string, string>();
}
