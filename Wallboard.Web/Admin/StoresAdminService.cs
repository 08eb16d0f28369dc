using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Admin;

/// <summary>A store as the admin list shows it.</summary>
public sealed record StoreListRow(int Id, string Name, string Slug, string City, string TimeZoneId, int Sources, int TrackingNumbers, int Salespeople);

/// <summary>
/// Makes and edits stores: name, slug, zone, thresholds, business hours and closed dates (§2, §3,
/// §5, §6). Every save is checked (<see cref="StoreValidation"/> plus unique names and slugs),
/// audited, and told to the live boards and attribution at once.
/// </summary>
public sealed class StoresAdminService(IDbContextFactory<WallboardDbContext> dbFactory, AuditLog audit, AdminChanges changes)
{
    public async Task<IReadOnlyList<StoreListRow>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Stores.AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new StoreListRow(
                s.Id, s.Name, s.Slug, s.City, s.TimeZoneId,
                db.LeadSources.Count(x => x.StoreId == s.Id),
                db.TrackingNumbers.Count(x => x.StoreId == s.Id),
                db.Salespeople.Count(x => x.StoreId == s.Id && x.IsActive)))
            .ToListAsync(ct);
    }

    /// <summary>A store with its hours and closed dates, detached: a form edits it and hands it back to save.</summary>
    public async Task<Store?> GetAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Stores.AsNoTracking()
            .Include(s => s.BusinessHours)
            .Include(s => s.ClosedDates)
            .AsSplitQuery()
            .SingleOrDefaultAsync(s => s.Id == id, ct);
    }

    /// <summary>A new store, with its "Unknown" lead source (calls to numbers nobody set up land there).</summary>
    public async Task<AdminResult<Store>> CreateAsync(string actor, Store form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        Normalize(form);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = await CheckAsync(db, form, id: null, ct);
        if (errors.Count > 0)
        {
            return AdminResult.Invalid<Store>(errors);
        }

        var store = new Store { Name = form.Name, Slug = form.Slug, TimeZoneId = form.TimeZoneId };
        Copy(form, store);
        db.Stores.Add(store);
        await audit.SaveAsync(db, actor, () =>
        {
            db.LeadSources.Add(new LeadSource { StoreId = store.Id, Name = LeadSource.UnknownName });
            return new AuditFact("store.created", nameof(Store), AdminEdits.Id(store.Id), store.Id, null, View(store));
        }, ct);
        changes.StoreChanged(store.Id);
        return AdminResult.Ok<Store>(store);
    }

    public async Task<AdminResult<Store>> UpdateAsync(string actor, int id, Store form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        Normalize(form);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var store = await db.Stores.Include(s => s.BusinessHours).Include(s => s.ClosedDates).AsSplitQuery().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (store is null)
        {
            return AdminResult.Invalid<Store>(AdminResult.General, "That store no longer exists.");
        }

        var errors = await CheckAsync(db, form, id, ct);
        if (errors.Count > 0)
        {
            return AdminResult.Invalid<Store>(errors);
        }

        var before = View(store);
        Copy(form, store);
        var after = View(store);
        if (System.Text.Json.JsonSerializer.Serialize(before) == System.Text.Json.JsonSerializer.Serialize(after))
        {
            return AdminResult.Ok<Store>(store);
        }

        await audit.SaveAsync(db, actor, () => new AuditFact("store.updated", nameof(Store), AdminEdits.Id(store.Id), store.Id, before, after), ct);
        changes.StoreChanged(store.Id);
        return AdminResult.Ok<Store>(store);
    }

    private static async Task<Dictionary<string, string>> CheckAsync(WallboardDbContext db, Store form, int? id, CancellationToken ct)
    {
        var errors = StoreValidation.Check(form);
        if (!errors.ContainsKey(nameof(Store.Name)) && await db.Stores.AnyAsync(s => s.Name == form.Name && s.Id != id, ct))
        {
            errors[nameof(Store.Name)] = $"There is already a store named '{form.Name}'.";
        }

        if (!errors.ContainsKey(nameof(Store.Slug)) && await db.Stores.AnyAsync(s => s.Slug == form.Slug && s.Id != id, ct))
        {
            errors[nameof(Store.Slug)] = $"The slug '{form.Slug}' is taken by another store; TV links use it, so it must be unique.";
        }

        return errors;
    }

    private static void Normalize(Store form)
    {
        form.Name = (form.Name ?? string.Empty).Trim();
        form.Slug = (form.Slug ?? string.Empty).Trim();
        form.City = (form.City ?? string.Empty).Trim();
        form.TimeZoneId = (form.TimeZoneId ?? string.Empty).Trim();
        form.CountryCode = (form.CountryCode ?? string.Empty).Trim().ToUpperInvariant();
        form.Settings.CallbackCadence = (form.Settings.CallbackCadence ?? string.Empty).Trim();
        foreach (var closed in form.ClosedDates)
        {
            closed.Name = (closed.Name ?? string.Empty).Trim();
        }
    }

    // Hours and closed dates are replaced as a whole: the form edits the full week.
    private static void Copy(Store from, Store to)
    {
        to.Name = from.Name;
        to.Slug = from.Slug;
        to.City = from.City;
        to.TimeZoneId = from.TimeZoneId;
        to.CountryCode = from.CountryCode;
        to.Settings = new StoreSettings
        {
            ShortAbandonSeconds = from.Settings.ShortAbandonSeconds,
            StaleCallMinutes = from.Settings.StaleCallMinutes,
            HoldWarningSeconds = from.Settings.HoldWarningSeconds,
            HoldLimitSeconds = from.Settings.HoldLimitSeconds,
            AnswerRateTarget = from.Settings.AnswerRateTarget,
            ServiceLevelSeconds = from.Settings.ServiceLevelSeconds,
            CallbackSlaMinutes = from.Settings.CallbackSlaMinutes,
            ManagerFollowUpMinutes = from.Settings.ManagerFollowUpMinutes,
            ClaimWindowMinutes = from.Settings.ClaimWindowMinutes,
            CallbackCadence = from.Settings.CallbackCadence,
        };
        var sameHours = to.BusinessHours.Count == from.BusinessHours.Count
            && to.BusinessHours.OrderBy(Key).Select(Key).SequenceEqual(from.BusinessHours.OrderBy(Key).Select(Key));
        if (!sameHours)
        {
            to.BusinessHours.Clear();
            to.BusinessHours.AddRange(from.BusinessHours.Select(h => new BusinessHours { Department = h.Department, Day = h.Day, Opens = h.Opens, Closes = h.Closes }));
        }

        var sameDates = to.ClosedDates.Count == from.ClosedDates.Count
            && to.ClosedDates.OrderBy(d => d.Date).Select(d => (d.Date, d.Name)).SequenceEqual(from.ClosedDates.OrderBy(d => d.Date).Select(d => (d.Date, d.Name)));
        if (!sameDates)
        {
            to.ClosedDates.Clear();
            to.ClosedDates.AddRange(from.ClosedDates.Select(d => new ClosedDate { Date = d.Date, Name = d.Name }));
        }
    }

    private static string Key(BusinessHours h) => $"{(int)h.Department}|{(int)h.Day}|{h.Opens:HH\\:mm}|{h.Closes:HH\\:mm}";

    /// <summary>What the audit trail keeps of a store: everything an admin can edit, hours as text.</summary>
    private static object View(Store s) => new
    {
        s.Name,
        s.Slug,
        s.City,
        s.TimeZoneId,
        s.CountryCode,
        Settings = new
        {
            s.Settings.ShortAbandonSeconds,
            s.Settings.StaleCallMinutes,
            s.Settings.HoldWarningSeconds,
            s.Settings.HoldLimitSeconds,
            s.Settings.AnswerRateTarget,
            s.Settings.ServiceLevelSeconds,
            s.Settings.CallbackSlaMinutes,
            s.Settings.ManagerFollowUpMinutes,
            s.Settings.ClaimWindowMinutes,
            s.Settings.CallbackCadence,
        },
        Hours = s.BusinessHours.OrderBy(h => h.Department).ThenBy(h => h.Day).ThenBy(h => h.Opens)
            .Select(h => $"{h.Department} {h.Day} {h.Opens:HH\\:mm}-{h.Closes:HH\\:mm}").ToArray(),
        ClosedDates = s.ClosedDates.OrderBy(d => d.Date).Select(d => $"{d.Date:yyyy-MM-dd} {d.Name}".Trim()).ToArray(),
    };
}
