using System.Globalization;
using Wallboard.Web.Data;

namespace Wallboard.Web.Admin;

/// <summary>
/// An admin change to a record that is already there, in the one shape they all take: look it up
/// (the caller does, and hands the row or null to <see cref="AdminEdits.EditAsync"/>), refuse if a
/// rule says no, make the change, save it and its audit line in one transaction, tell the caches.
/// </summary>
public sealed record AdminEdit<T>
    where T : class
{
    /// <summary>What to say when the row is gone; null when a missing row is already the wanted end (a delete).</summary>
    public string? Missing { get; init; }

    /// <summary>A refusal (it is in use, it is the "Unknown" source), or null to go on.</summary>
    public Func<T, Task<AdminResult?>>? Refuse { get; init; }

    /// <summary>Makes the change on the tracked row and says what to audit; null when nothing changes (nothing is saved).</summary>
    public required Func<T, AuditFact?> Apply { get; init; }

    /// <summary>After the commit: tell the caches that read this record.</summary>
    public Action<T>? Then { get; init; }
}

public static class AdminEdits
{
    public static async Task<AdminResult> EditAsync<T>(this AuditLog audit, WallboardDbContext db, string actor, T? row, AdminEdit<T> edit, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(edit);
        if (row is null)
        {
            return edit.Missing is null ? AdminResult.Done : AdminResult.Invalid(AdminResult.General, edit.Missing);
        }

        if (edit.Refuse is not null && await edit.Refuse(row) is { } refused)
        {
            return refused;
        }

        if (edit.Apply(row) is not { } fact)
        {
            return AdminResult.Done;
        }

        await audit.SaveAsync(db, actor, () => fact, ct);
        edit.Then?.Invoke(row);
        return AdminResult.Done;
    }

    /// <summary>
    /// The refusal for deleting a record that others refer to: "'X' cannot be deleted: 3 calls and
    /// 1 call-back refer to it. …", naming only the kinds that do; null when nothing refers to it.
    /// </summary>
    public static AdminResult? InUse(string subject, string advice, params (int Count, string One, string Many)[] uses)
    {
        ArgumentNullException.ThrowIfNull(uses);
        var named = uses.Where(u => u.Count > 0).Select(u => Count(u.Count, u.One, u.Many)).ToList();
        return named.Count == 0
            ? null
            : AdminResult.Invalid(AdminResult.General, $"{subject} cannot be deleted: {Join(named)} refer to {advice}");
    }

    /// <summary>Removes a row and says what the audit trail keeps of it (<paramref name="before"/>, never secrets).</summary>
    public static AuditFact Delete<T>(this WallboardDbContext db, T row, string action, int id, int? storeId, object before)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        db.Remove(row);
        return new AuditFact(action, typeof(T).Name, Id(id), storeId, before, null);
    }

    public static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Join(List<string> parts) =>
        parts.Count == 1 ? parts[0] : $"{string.Join(", ", parts[..^1])} and {parts[^1]}";

    private static string Count(int n, string one, string many) => string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");
}
