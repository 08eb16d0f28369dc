using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Admin;

/// <summary>A salesperson with their phone-system identities.</summary>
public sealed record SalespersonRow(int Id, int StoreId, string Name, SalespersonRole Role, bool IsActive, IReadOnlyList<IdentityRow> Identities);

public sealed record IdentityRow(int Id, int IntegrationId, string IntegrationName, string Identity);

/// <summary>
/// Salespeople per store and how each phone system names them (an extension, a queue member, a
/// cell a call is forwarded to; §2). Someone calls or call-backs refer to is deactivated, not deleted.
/// </summary>
public sealed class SalespeopleAdminService(IDbContextFactory<WallboardDbContext> dbFactory, AuditLog audit, AdminChanges changes)
{
    public async Task<IReadOnlyList<SalespersonRow>> ListAsync(int storeId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var integrations = await db.Integrations.AsNoTracking().ToDictionaryAsync(i => i.Id, i => i.Name, ct);
        var people = await db.Salespeople.AsNoTracking().Include(p => p.Identities)
            .Where(p => p.StoreId == storeId).OrderBy(p => p.Name).ToListAsync(ct);
        return people.Select(p => new SalespersonRow(
            p.Id, p.StoreId, p.Name, p.Role, p.IsActive,
            p.Identities.OrderBy(i => i.IntegrationId).ThenBy(i => i.Identity)
                .Select(i => new IdentityRow(i.Id, i.IntegrationId, integrations.GetValueOrDefault(i.IntegrationId, "?"), i.Identity)).ToList()))
            .ToList();
    }

    public async Task<AdminResult<Salesperson>> CreateAsync(string actor, int storeId, string? name, SalespersonRole role, CancellationToken ct)
    {
        name = name?.Trim() ?? string.Empty;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Stores.AnyAsync(s => s.Id == storeId, ct))
        {
            return AdminResult.Invalid<Salesperson>(AdminResult.General, "That store no longer exists.");
        }

        var errors = await CheckAsync(db, storeId, name, role, null, ct);
        if (errors.Count > 0)
        {
            return AdminResult.Invalid<Salesperson>(errors);
        }

        var person = new Salesperson { StoreId = storeId, Name = name, Role = role };
        db.Salespeople.Add(person);
        await audit.SaveAsync(db, actor, () => new AuditFact("salesperson.created", nameof(Salesperson), AdminEdits.Id(person.Id), storeId, null, View(person)), ct);
        changes.StoreChanged(storeId);
        return AdminResult.Ok<Salesperson>(person);
    }

    public async Task<AdminResult> UpdateAsync(string actor, int id, string? name, SalespersonRole role, bool isActive, CancellationToken ct)
    {
        name = name?.Trim() ?? string.Empty;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await audit.EditAsync(db, actor, await db.Salespeople.SingleOrDefaultAsync(p => p.Id == id, ct), new AdminEdit<Salesperson>
        {
            Missing = "That salesperson no longer exists.",
            Refuse = async person => await CheckAsync(db, person.StoreId, name, role, id, ct) is { Count: > 0 } errors ? AdminResult.Invalid(errors) : null,
            Apply = person =>
            {
                var before = View(person);
                person.Name = name;
                person.Role = role;
                person.IsActive = isActive;
                var action = before.IsActive != isActive ? (isActive ? "salesperson.activated" : "salesperson.deactivated") : "salesperson.updated";
                return new AuditFact(action, nameof(Salesperson), AdminEdits.Id(id), person.StoreId, before, View(person));
            },
            Then = person => changes.StoreChanged(person.StoreId),
        }, ct);
    }

    /// <summary>Deletes someone nothing refers to; otherwise refuses and says to deactivate them instead.</summary>
    public async Task<AdminResult> DeleteAsync(string actor, int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await audit.EditAsync(db, actor, await db.Salespeople.SingleOrDefaultAsync(p => p.Id == id, ct), new AdminEdit<Salesperson>
        {
            Refuse = async person => AdminEdits.InUse(person.Name, "them. Deactivate them instead; their history stays.",
                (await db.Calls.CountAsync(c => c.AnsweredBySalespersonId == id, ct) + await db.CallRings.CountAsync(r => r.SalespersonId == id, ct), "call", "calls"),
                (await db.Callbacks.CountAsync(c => c.ClaimedBySalespersonId == id, ct) + await db.CallbackAttempts.CountAsync(a => a.SalespersonId == id, ct),
                    "call-back record", "call-back records")),
            Apply = person => db.Delete(person, "salesperson.deleted", id, person.StoreId, View(person)),
            Then = person => changes.StoreChanged(person.StoreId),
        }, ct);
    }

    public async Task<AdminResult<AgentIdentity>> AddIdentityAsync(string actor, int salespersonId, int integrationId, string? identity, CancellationToken ct)
    {
        identity = identity?.Trim() ?? string.Empty;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await db.Salespeople.AsNoTracking().SingleOrDefaultAsync(p => p.Id == salespersonId, ct);
        if (person is null)
        {
            return AdminResult.Invalid<AgentIdentity>(AdminResult.General, "That salesperson no longer exists.");
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var integration = await db.Integrations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == integrationId, ct);
        if (integration is null)
        {
            errors["IntegrationId"] = "Choose the phone system that uses this name.";
        }

        if (identity.Length is 0 or > 120)
        {
            errors["Identity"] = "Type the extension, queue member or number exactly as the phone system sends it (up to 120 characters).";
        }
        else if (integration is not null)
        {
            var holder = (await (
                from i in db.AgentIdentities
                join p in db.Salespeople on i.SalespersonId equals p.Id
                where i.IntegrationId == integrationId
                select new { i.Identity, p.Name }).ToListAsync(ct))
                .FirstOrDefault(x => string.Equals(x.Identity, identity, StringComparison.OrdinalIgnoreCase))?.Name;
            if (holder is not null)
            {
                errors["Identity"] = $"'{identity}' already names {holder} in {integration.Name}; one identity names one person per phone system.";
            }
        }

        if (errors.Count > 0)
        {
            return AdminResult.Invalid<AgentIdentity>(errors);
        }

        var row = new AgentIdentity { SalespersonId = salespersonId, IntegrationId = integrationId, Identity = identity };
        db.AgentIdentities.Add(row);
        await audit.SaveAsync(db, actor, () => new AuditFact("agent-identity.added", nameof(AgentIdentity), AdminEdits.Id(row.Id), person.StoreId, null,
            new { Salesperson = person.Name, row.IntegrationId, row.Identity }), ct);
        changes.AttributionChanged();
        return AdminResult.Ok<AgentIdentity>(row);
    }

    public async Task<AdminResult> RemoveIdentityAsync(string actor, int identityId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.AgentIdentities.SingleOrDefaultAsync(i => i.Id == identityId, ct);
        var person = row is null ? null : await db.Salespeople.AsNoTracking().SingleAsync(p => p.Id == row.SalespersonId, ct);
        return await audit.EditAsync(db, actor, row, new AdminEdit<AgentIdentity>
        {
            Apply = row => db.Delete(row, "agent-identity.removed", row.Id, person!.StoreId, new { Salesperson = person.Name, row.IntegrationId, row.Identity }),
            Then = _ => changes.AttributionChanged(),
        }, ct);
    }

    private static async Task<Dictionary<string, string>> CheckAsync(WallboardDbContext db, int storeId, string name, SalespersonRole role, int? id, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (name.Length == 0)
        {
            errors[nameof(Salesperson.Name)] = "A salesperson needs a name.";
        }
        else if (name.Length > 120)
        {
            errors[nameof(Salesperson.Name)] = "A name has at most 120 characters.";
        }
        else if ((await db.Salespeople.Where(p => p.StoreId == storeId && p.Id != id).Select(p => p.Name).ToListAsync(ct)).Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            errors[nameof(Salesperson.Name)] = $"This store already has someone named '{name}'; add a surname or initial so the board tells them apart.";
        }

        if (!Enum.IsDefined(role))
        {
            errors[nameof(Salesperson.Role)] = "Choose a role.";
        }

        return errors;
    }

    private static PersonView View(Salesperson p) => new(p.Name, p.Role.ToString(), p.IsActive);

    private sealed record PersonView(string Name, string Role, bool IsActive);
}
