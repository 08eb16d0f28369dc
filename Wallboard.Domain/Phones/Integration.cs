namespace Wallboard.Domain.Phones;

/// <summary>
/// A phone system (or script) allowed to post call events for its stores (§8, §9). Calls to a
/// number it does not know are attributed to source "Unknown" of <see cref="DefaultStoreId"/>.
/// </summary>
public sealed class Integration
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public IntegrationKind Kind { get; set; }

    /// <summary>The store that owns the integration.</summary>
    public int DefaultStoreId { get; set; }

    public bool IsEnabled { get; set; } = true;
}

public enum IntegrationKind
{
    JsonApi = 0,
    AsteriskQueueLog = 1,
    Twilio = 2,
}
