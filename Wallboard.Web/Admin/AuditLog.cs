using System.Text.Json;
using Wallboard.Web.Data;

namespace Wallboard.Web.Admin;

/// <summary>
/// Writes <see cref="AuditEntry"/> rows. Add the entry to the same <see cref="WallboardDbContext"/>
/// as the change and save once, so the change and its audit line commit together or not at all.
/// Never pass secrets, token values or password hashes in <c>before</c>/<c>after</c>: pass a
/// projection of the fields a person may read.
/// </summary>
public sealed class AuditLog(TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public AuditEntry Record(
        WallboardDbContext db,
        string actor,
        string action,
        string entityType,
        string entityId,
        int? storeId,
        object? before,
        object? after)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entry = new AuditEntry
        {
            At = time.GetUtcNow(),
            Actor = actor,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            StoreId = storeId,
            Before = before is null ? null : JsonSerializer.Serialize(before, Json),
            After = after is null ? null : JsonSerializer.Serialize(after, Json),
        };
        db.AuditEntries.Add(entry);
        return entry;
    }
}
