using System.Text.Json;
using Wallboard.Web.Data;

namespace Wallboard.Web.Admin;

/// <summary>What one change leaves in the audit trail (who made it is passed beside it).</summary>
/// <param name="Before">The record before, null when it was created; never secrets, token values or password hashes.</param>
/// <param name="After">The record after, null when it was deleted; the same care as <paramref name="Before"/>.</param>
public sealed record AuditFact(string Action, string EntityType, string EntityId, int? StoreId, object? Before, object? After);

/// <summary>
/// Writes <see cref="AuditEntry"/> rows. A change and its audit line commit together or not at
/// all: <see cref="SaveAsync"/> saves both in one transaction, and every admin change goes through it.
/// </summary>
public sealed class AuditLog(TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Saves what <paramref name="db"/> tracks and the audit entry <paramref name="describe"/> gives
    /// in one transaction. <paramref name="describe"/> runs after the change is saved inside that
    /// transaction, so a new row has its id; rows it adds (those that need that id) are saved with
    /// the entry. If the entry cannot be written, nothing of the change remains.
    /// </summary>
    public async Task SaveAsync(WallboardDbContext db, string actor, Func<AuditFact> describe, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(describe);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        Record(db, actor, describe());
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Adds the entry to <paramref name="db"/> without saving: for a caller that already holds a
    /// transaction around its change (account changes through Identity, privacy erasure).
    /// </summary>
    public AuditEntry Record(WallboardDbContext db, string actor, AuditFact fact)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(fact);
        var entry = new AuditEntry
        {
            At = time.GetUtcNow(),
            Actor = actor,
            Action = fact.Action,
            EntityType = fact.EntityType,
            EntityId = fact.EntityId,
            StoreId = fact.StoreId,
            Before = fact.Before is null ? null : JsonSerializer.Serialize(fact.Before, Json),
            After = fact.After is null ? null : JsonSerializer.Serialize(fact.After, Json),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }
}
