using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Admin;

/// <summary>A lead source with how much refers to it (a source that calls name cannot be deleted).</summary>
public sealed record LeadSourceRow(int Id, int StoreId, string Name, bool IsActive, int TrackingNumbers, int Calls)
{
    public bool IsUnknown => Name == LeadSource.UnknownName;
}

/// <summary>Lead sources per store (§2): add, rename, deactivate, and delete only while nothing refers to them.</summary>
public sealed class LeadSourcesAdminService(IDbContextFactory<WallboardDbContext> dbFactory, AuditLog audit, AdminChanges changes)
{
    public const string NameField = nameof(LeadSource.Name);

    public async Task<IReadOnlyList<LeadSourceRow>> ListAsync(int storeId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LeadSources.AsNoTracking().Where(s => s.StoreId == storeId).OrderBy(s => s.Name)
            .Select(s => new LeadSourceRow(
                s.Id, s.StoreId, s.Name, s.IsActive,
                db.TrackingNumbers.Count(n => n.LeadSourceId == s.Id),
                db.Calls.Count(c => c.LeadSourceId == s.Id)))
            .ToListAsync(ct);
    }

    public async Task<AdminResult<LeadSource>> CreateAsync(string actor, int storeId, string? name, CancellationToken ct)
    {
        name = name?.Trim() ?? string.Empty;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Stores.AnyAsync(s => s.Id == storeId, ct))
        {
            return AdminResult.Invalid<LeadSource>(AdminResult.General, "That store no longer exists.");
        }

        if (await NameErrorAsync(db, storeId, name, null, ct) is { } error)
        {
            return AdminResult.Invalid<LeadSource>(NameField, error);
        }

        var source = new LeadSource { StoreId = storeId, Name = name };
        db.LeadSources.Add(source);
        await db.SaveChangesAsync(ct);
        audit.Record(db, actor, "lead-source.created", nameof(LeadSource), Id(source.Id), storeId, null, View(source));
        await db.SaveChangesAsync(ct);
        changes.StoreChanged(storeId);
        return AdminResult.Ok<LeadSource>(source);
    }

    public async Task<AdminResult> RenameAsync(string actor, int id, string? name, CancellationToken ct)
    {
        name = name?.Trim() ?? string.Empty;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.LeadSources.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return AdminResult.Invalid(AdminResult.General, "That lead source no longer exists.");
        }

        if (source.Name == LeadSource.UnknownName)
        {
            return AdminResult.Invalid(NameField, "\"Unknown\" takes the calls to numbers nobody set up; it keeps its name.");
        }

        if (await NameErrorAsync(db, source.StoreId, name, id, ct) is { } error)
        {
            return AdminResult.Invalid(NameField, error);
        }

        var before = View(source);
        source.Name = name;
        audit.Record(db, actor, "lead-source.renamed", nameof(LeadSource), Id(id), source.StoreId, before, View(source));
        await db.SaveChangesAsync(ct);
        changes.StoreChanged(source.StoreId);
        return AdminResult.Done;
    }

    /// <summary>An inactive source keeps its calls and numbers but is offered for no new number.</summary>
    public async Task<AdminResult> SetActiveAsync(string actor, int id, bool active, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.LeadSources.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return AdminResult.Invalid(AdminResult.General, "That lead source no longer exists.");
        }

        if (!active && source.Name == LeadSource.UnknownName)
        {
            return AdminResult.Invalid(AdminResult.General, "\"Unknown\" takes the calls to numbers nobody set up; it stays active.");
        }

        if (source.IsActive == active)
        {
            return AdminResult.Done;
        }

        var before = View(source);
        source.IsActive = active;
        audit.Record(db, actor, active ? "lead-source.activated" : "lead-source.deactivated", nameof(LeadSource), Id(id), source.StoreId, before, View(source));
        await db.SaveChangesAsync(ct);
        changes.StoreChanged(source.StoreId);
        return AdminResult.Done;
    }

    /// <summary>Deletes a source nothing refers to; one that calls, call-backs or numbers name is refused with the advice to deactivate it.</summary>
    public async Task<AdminResult> DeleteAsync(string actor, int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.LeadSources.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return AdminResult.Done;
        }

        if (source.Name == LeadSource.UnknownName)
        {
            return AdminResult.Invalid(AdminResult.General, "\"Unknown\" takes the calls to numbers nobody set up; it cannot be deleted.");
        }

        var calls = await db.Calls.CountAsync(c => c.LeadSourceId == id, ct);
        var callbacks = await db.Callbacks.CountAsync(c => c.LeadSourceId == id, ct);
        var numbers = await db.TrackingNumbers.CountAsync(n => n.LeadSourceId == id, ct);
        if (calls + callbacks + numbers > 0)
        {
            var uses = new List<string>();
            if (calls > 0)
            {
                uses.Add(Count(calls, "call", "calls"));
            }

            if (callbacks > 0)
            {
                uses.Add(Count(callbacks, "call-back", "call-backs"));
            }

            if (numbers > 0)
            {
                uses.Add(Count(numbers, "tracking number", "tracking numbers"));
            }

            return AdminResult.Invalid(AdminResult.General,
                $"'{source.Name}' cannot be deleted: {string.Join(", ", uses)} refer to it. Deactivate it instead; its history stays.");
        }

        audit.Record(db, actor, "lead-source.deleted", nameof(LeadSource), Id(id), source.StoreId, View(source), null);
        db.LeadSources.Remove(source);
        await db.SaveChangesAsync(ct);
        changes.StoreChanged(source.StoreId);
        return AdminResult.Done;
    }

    private static async Task<string?> NameErrorAsync(WallboardDbContext db, int storeId, string name, int? id, CancellationToken ct)
    {
        if (name.Length == 0)
        {
            return "A lead source needs a name.";
        }

        if (name.Length > 80)
        {
            return "A name has at most 80 characters.";
        }

        var taken = (await db.LeadSources.Where(s => s.StoreId == storeId && s.Id != id).Select(s => s.Name).ToListAsync(ct)).Contains(name, StringComparer.OrdinalIgnoreCase);
        return taken ? $"This store already has a lead source named '{name}'." : null;
    }

    internal static string Count(int n, string one, string many) => string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static object View(LeadSource s) => new { s.Name, s.IsActive };
}
