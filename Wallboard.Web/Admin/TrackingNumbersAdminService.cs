using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Admin;

/// <summary>A tracking number with the names of what it maps to.</summary>
public sealed record TrackingNumberRow(int Id, string E164, int StoreId, string StoreName, int LeadSourceId, string SourceName, Department Department, string Label);

/// <summary>What the tracking-number form sends: the number in any format a person types.</summary>
public sealed class TrackingNumberForm
{
    public string Number { get; set; } = string.Empty;

    public int StoreId { get; set; }

    public int LeadSourceId { get; set; }

    public Department Department { get; set; } = Department.Sales;

    public string Label { get; set; } = string.Empty;
}

/// <summary>A hunt group or queue of an integration and the tracking number its calls are for.</summary>
public sealed record HuntGroupRow(int Id, int IntegrationId, string IntegrationName, string Group, int TrackingNumberId, string TrackingNumber, string StoreName);

/// <summary>
/// Tracking numbers (each rings one store, one source, one department, §2) and the hunt-group
/// mappings that attribute calls which name only their queue. Numbers are read with
/// libphonenumber in the store's country and kept in E.164, unique across all stores.
/// </summary>
public sealed class TrackingNumbersAdminService(IDbContextFactory<WallboardDbContext> dbFactory, AuditLog audit, AdminChanges changes)
{
    public async Task<IReadOnlyList<TrackingNumberRow>> ListAsync(int? storeId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await (
            from n in db.TrackingNumbers.AsNoTracking()
            join s in db.Stores on n.StoreId equals s.Id
            join src in db.LeadSources on n.LeadSourceId equals src.Id
            where storeId == null || n.StoreId == storeId
            orderby s.Name, n.E164
            select new TrackingNumberRow(n.Id, n.E164, n.StoreId, s.Name, n.LeadSourceId, src.Name, n.Department, n.Label))
            .ToListAsync(ct);
    }

    public async Task<AdminResult<TrackingNumber>> CreateAsync(string actor, TrackingNumberForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (e164, errors) = await CheckAsync(db, form, null, ct);
        if (errors.Count > 0)
        {
            return AdminResult.Invalid<TrackingNumber>(errors);
        }

        var number = new TrackingNumber { E164 = e164!, StoreId = form.StoreId, LeadSourceId = form.LeadSourceId, Department = form.Department, Label = form.Label.Trim() };
        db.TrackingNumbers.Add(number);
        await audit.SaveAsync(db, actor, () => new AuditFact("tracking-number.created", nameof(TrackingNumber), AdminEdits.Id(number.Id), number.StoreId, null, View(number)), ct);
        changes.AttributionChanged();
        return AdminResult.Ok<TrackingNumber>(number);
    }

    public async Task<AdminResult<TrackingNumber>> UpdateAsync(string actor, int id, TrackingNumberForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var number = await db.TrackingNumbers.SingleOrDefaultAsync(n => n.Id == id, ct);
        if (number is null)
        {
            return AdminResult.Invalid<TrackingNumber>(AdminResult.General, "That tracking number no longer exists.");
        }

        var (e164, errors) = await CheckAsync(db, form, id, ct);
        if (errors.Count > 0)
        {
            return AdminResult.Invalid<TrackingNumber>(errors);
        }

        var before = View(number);
        var oldStore = number.StoreId;
        number.E164 = e164!;
        number.StoreId = form.StoreId;
        number.LeadSourceId = form.LeadSourceId;
        number.Department = form.Department;
        number.Label = form.Label.Trim();
        await audit.SaveAsync(db, actor, () => new AuditFact("tracking-number.updated", nameof(TrackingNumber), AdminEdits.Id(id), number.StoreId, before, View(number)), ct);
        changes.AttributionChanged();
        if (oldStore != number.StoreId)
        {
            changes.StoreChanged(oldStore);
        }

        return AdminResult.Ok<TrackingNumber>(number);
    }

    /// <summary>
    /// Deletes a number (and the hunt-group mappings that point at it). Calls keep their store and
    /// source; only the link to the dialled number goes.
    /// </summary>
    public async Task<AdminResult> DeleteAsync(string actor, int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await audit.EditAsync(db, actor, await db.TrackingNumbers.SingleOrDefaultAsync(n => n.Id == id, ct), new AdminEdit<TrackingNumber>
        {
            Apply = number => db.Delete(number, "tracking-number.deleted", id, number.StoreId, View(number)),
            Then = _ => changes.AttributionChanged(),
        }, ct);
    }

    public async Task<IReadOnlyList<HuntGroupRow>> ListHuntGroupsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await (
            from g in db.HuntGroupMappings.AsNoTracking()
            join i in db.Integrations on g.IntegrationId equals i.Id
            join n in db.TrackingNumbers on g.TrackingNumberId equals n.Id
            join s in db.Stores on n.StoreId equals s.Id
            orderby i.Name, g.Group
            select new HuntGroupRow(g.Id, i.Id, i.Name, g.Group, n.Id, n.E164, s.Name))
            .ToListAsync(ct);
    }

    public async Task<AdminResult<HuntGroupMapping>> AddHuntGroupAsync(string actor, int integrationId, string? group, int trackingNumberId, CancellationToken ct)
    {
        group = group?.Trim() ?? string.Empty;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!await db.Integrations.AnyAsync(i => i.Id == integrationId, ct))
        {
            errors["IntegrationId"] = "Choose the phone system whose queue this is.";
        }

        var number = await db.TrackingNumbers.AsNoTracking().SingleOrDefaultAsync(n => n.Id == trackingNumberId, ct);
        if (number is null)
        {
            errors["TrackingNumberId"] = "Choose the tracking number whose calls this queue takes.";
        }

        if (group.Length is 0 or > 120)
        {
            errors["Group"] = "Type the queue or ring-group name exactly as the phone system writes it (up to 120 characters).";
        }
        else if ((await db.HuntGroupMappings.Where(g => g.IntegrationId == integrationId).Select(g => g.Group).ToListAsync(ct)).Contains(group, StringComparer.OrdinalIgnoreCase))
        {
            errors["Group"] = $"'{group}' is already mapped for this phone system.";
        }

        if (errors.Count > 0)
        {
            return AdminResult.Invalid<HuntGroupMapping>(errors);
        }

        var mapping = new HuntGroupMapping { IntegrationId = integrationId, Group = group, TrackingNumberId = trackingNumberId };
        db.HuntGroupMappings.Add(mapping);
        await audit.SaveAsync(db, actor, () => new AuditFact("hunt-group.created", nameof(HuntGroupMapping), AdminEdits.Id(mapping.Id), number!.StoreId, null,
            new { mapping.IntegrationId, mapping.Group, TrackingNumber = number.E164 }), ct);
        changes.AttributionChanged();
        return AdminResult.Ok<HuntGroupMapping>(mapping);
    }

    public async Task<AdminResult> RemoveHuntGroupAsync(string actor, int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var mapping = await db.HuntGroupMappings.SingleOrDefaultAsync(g => g.Id == id, ct);
        var number = mapping is null ? null : await db.TrackingNumbers.AsNoTracking().SingleAsync(n => n.Id == mapping.TrackingNumberId, ct);
        return await audit.EditAsync(db, actor, mapping, new AdminEdit<HuntGroupMapping>
        {
            Apply = mapping => db.Delete(mapping, "hunt-group.deleted", id, number!.StoreId, new { mapping.IntegrationId, mapping.Group, TrackingNumber = number.E164 }),
            Then = _ => changes.AttributionChanged(),
        }, ct);
    }

    private static async Task<(string? E164, Dictionary<string, string> Errors)> CheckAsync(
        WallboardDbContext db, TrackingNumberForm form, int? id, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var store = await db.Stores.AsNoTracking().SingleOrDefaultAsync(s => s.Id == form.StoreId, ct);
        if (store is null)
        {
            errors[nameof(TrackingNumberForm.StoreId)] = "Choose the store this number rings.";
        }

        var source = await db.LeadSources.AsNoTracking().SingleOrDefaultAsync(s => s.Id == form.LeadSourceId, ct);
        if (source is null || source.StoreId != form.StoreId)
        {
            errors[nameof(TrackingNumberForm.LeadSourceId)] = "Choose one of this store's lead sources.";
        }
        else if (!source.IsActive)
        {
            errors[nameof(TrackingNumberForm.LeadSourceId)] = $"'{source.Name}' is deactivated; activate it first or choose another source.";
        }

        if (!Enum.IsDefined(form.Department))
        {
            errors[nameof(TrackingNumberForm.Department)] = "Choose a department.";
        }

        if ((form.Label ?? string.Empty).Trim().Length > 80)
        {
            errors[nameof(TrackingNumberForm.Label)] = "A label has at most 80 characters.";
        }

        var e164 = CallerNumber.TryNormalize(form.Number, store?.CountryCode ?? "US");
        if (e164 is null)
        {
            errors[nameof(TrackingNumberForm.Number)] = string.IsNullOrWhiteSpace(form.Number)
                ? "Type the number callers dial."
                : $"'{form.Number.Trim()}' is not a phone number. Type it as callers dial it, e.g. (312) 555-0142 or +1 312 555 0142.";
            return (null, errors);
        }

        var taken = await (
            from n in db.TrackingNumbers
            join s in db.Stores on n.StoreId equals s.Id
            join src in db.LeadSources on n.LeadSourceId equals src.Id
            where n.E164 == e164 && n.Id != id
            select new { Store = s.Name, Source = src.Name })
            .FirstOrDefaultAsync(ct);
        if (taken is not null)
        {
            errors[nameof(TrackingNumberForm.Number)] = $"{e164} already rings {taken.Store} ({taken.Source}); a number maps to one store and source.";
        }

        return (e164, errors);
    }

    private static object View(TrackingNumber n) => new { n.E164, n.StoreId, n.LeadSourceId, Department = n.Department.ToString(), n.Label };
}
