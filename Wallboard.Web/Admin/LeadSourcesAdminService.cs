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
        await audit.SaveAsync(db, actor, () => new AuditFact("lead-source.created", nameof(LeadSource), AdminEdits.Id(source.Id), storeId, null, View(source)), ct);
        changes.StoreChanged(storeId);
        return AdminResult.Ok<LeadSource>(source);
    }

    public async Task<AdminResult> RenameAsync(string actor, int id, string? name, CancellationToken ct)
    {
        name = name?.Trim() ?? string.Empty;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await EditAsync(db, actor, id, new AdminEdit<LeadSource>
        {
            Missing = "That lead source no longer exists.",
            Refuse = async source => source.Name == LeadSource.UnknownName
                ? AdminResult.Invalid(NameField, "\"Unknown\" takes the calls to numbers nobody set up; it keeps its name.")
                : await NameErrorAsync(db, source.StoreId, name, id, ct) is { } error ? AdminResult.Invalid(NameField, error) : null,
            Apply = source => Change(source, "lead-source.renamed", s => s.Name = name),
        }, ct);
    }

    /// <summary>An inactive source keeps its calls and numbers but is offered for no new number.</summary>
    public async Task<AdminResult> SetActiveAsync(string actor, int id, bool active, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await EditAsync(db, actor, id, new AdminEdit<LeadSource>
        {
            Missing = "That lead source no longer exists.",
            Refuse = source => Task.FromResult(!active && source.Name == LeadSource.UnknownName
                ? AdminResult.Invalid(AdminResult.General, "\"Unknown\" takes the calls to numbers nobody set up; it stays active.")
                : null),
            Apply = source => source.IsActive == active ? null : Change(source, active ? "lead-source.activated" : "lead-source.deactivated", s => s.IsActive = active),
        }, ct);
    }

    /// <summary>Deletes a source nothing refers to; one that calls, call-backs or numbers name is refused with the advice to deactivate it.</summary>
    public async Task<AdminResult> DeleteAsync(string actor, int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await EditAsync(db, actor, id, new AdminEdit<LeadSource>
        {
            Refuse = async source => source.Name == LeadSource.UnknownName
                ? AdminResult.Invalid(AdminResult.General, "\"Unknown\" takes the calls to numbers nobody set up; it cannot be deleted.")
                : AdminEdits.InUse($"'{source.Name}'", "it. Deactivate it instead; its history stays.",
                    (await db.Calls.CountAsync(c => c.LeadSourceId == id, ct), "call", "calls"),
                    (await db.Callbacks.CountAsync(c => c.LeadSourceId == id, ct), "call-back", "call-backs"),
                    (await db.TrackingNumbers.CountAsync(n => n.LeadSourceId == id, ct), "tracking number", "tracking numbers")),
            Apply = source => db.Delete(source, "lead-source.deleted", id, source.StoreId, View(source)),
        }, ct);
    }

    // Every change to a source is told to its store's board and to attribution.
    private async Task<AdminResult> EditAsync(WallboardDbContext db, string actor, int id, AdminEdit<LeadSource> edit, CancellationToken ct) =>
        await audit.EditAsync(db, actor, await db.LeadSources.SingleOrDefaultAsync(s => s.Id == id, ct), edit with { Then = source => changes.StoreChanged(source.StoreId) }, ct);

    private static AuditFact Change(LeadSource source, string action, Action<LeadSource> change)
    {
        var before = View(source);
        change(source);
        return new AuditFact(action, nameof(LeadSource), AdminEdits.Id(source.Id), source.StoreId, before, View(source));
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

    private static object View(LeadSource s) => new { s.Name, s.IsActive };
}
