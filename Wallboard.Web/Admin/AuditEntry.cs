namespace Wallboard.Web.Admin;

/// <summary>
/// One change made through the admin screens, the account screens or the privacy tools: who made
/// it, when, to what, and the record before and after (as JSON, secrets left out). Append-only.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The account's name (e-mail) or the command-line verb that made the change.</summary>
    public required string Actor { get; set; }

    /// <summary>What was done, e.g. <c>store.updated</c>, <c>integration.secret-rotated</c>, <c>user.created</c>.</summary>
    public required string Action { get; set; }

    /// <summary>The kind of record changed, e.g. <c>Store</c>, <c>TrackingNumber</c>, <c>User</c>.</summary>
    public required string EntityType { get; set; }

    public required string EntityId { get; set; }

    /// <summary>The store the change belongs to, when it belongs to one (for a manager's view of their stores).</summary>
    public int? StoreId { get; set; }

    /// <summary>The record before the change as JSON; null when it was created.</summary>
    public string? Before { get; set; }

    /// <summary>The record after the change as JSON; null when it was deleted.</summary>
    public string? After { get; set; }
}
