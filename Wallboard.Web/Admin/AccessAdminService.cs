using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Stores;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;

namespace Wallboard.Web.Admin;

public sealed record DisplayLinkRow(int Id, int StoreId, string StoreName, string StoreSlug, Department Department, string Name, string TokenHint, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A TV's address with its token: shown once, right after it is made.</summary>
public sealed record NewDisplayLink(int Id, string Address);

public sealed record ApiTokenRow(int Id, string Name, WallboardRole Role, int? StoreId, string? StoreName, string? SalespersonName, string TokenHint, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>An API token: shown once, right after it is made.</summary>
public sealed record NewApiToken(int Id, string Token);

/// <summary>What the API-token form sends.</summary>
public sealed class ApiTokenForm
{
    public string Name { get; set; } = string.Empty;

    public WallboardRole Role { get; set; } = WallboardRole.Manager;

    public int? StoreId { get; set; }

    public int? SalespersonId { get; set; }
}

/// <summary>
/// The ways in that are not accounts (§9): TV display links and API tokens. Only hashes are kept;
/// the token is handed back once. Revoking takes effect on the next request (nothing caches them).
/// </summary>
public sealed class AccessAdminService(IDbContextFactory<WallboardDbContext> dbFactory, AuditLog audit, TimeProvider time, DisplayLinkRevocations revocations, Cluster.ClusterSignals cluster)
{
    public async Task<IReadOnlyList<DisplayLinkRow>> ListDisplayLinksAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await (
            from l in db.DisplayLinks.AsNoTracking()
            join s in db.Stores on l.StoreId equals s.Id
            orderby l.RevokedAt != null, s.Name, l.Name
            select new DisplayLinkRow(l.Id, l.StoreId, s.Name, s.Slug, l.Department, l.Name, l.TokenHint, l.CreatedAt, l.RevokedAt))
            .ToListAsync(ct);
    }

    /// <param name="baseAddress">The app's address as the admin reaches it (ends with '/'), for the TV link.</param>
    public async Task<AdminResult<NewDisplayLink>> CreateDisplayLinkAsync(
        string actor, int storeId, Department department, string? name, string baseAddress, CancellationToken ct)
    {
        name = name?.Trim() ?? string.Empty;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var store = await db.Stores.AsNoTracking().SingleOrDefaultAsync(s => s.Id == storeId, ct);
        if (store is null)
        {
            errors[nameof(DisplayLink.StoreId)] = "Choose the store whose board the TV shows.";
        }

        if (!Enum.IsDefined(department))
        {
            errors[nameof(DisplayLink.Department)] = "Choose a department.";
        }

        if (name.Length is 0 or > 120)
        {
            errors[nameof(DisplayLink.Name)] = "Say where the screen hangs (up to 120 characters), e.g. \"Sales office TV\".";
        }

        if (errors.Count > 0)
        {
            return AdminResult.Invalid<NewDisplayLink>(errors);
        }

        var (token, hash) = DisplayLink.NewToken();
        var link = new DisplayLink { StoreId = storeId, Department = department, Name = name, TokenHash = hash, TokenHint = ApiToken.HintOf(token), CreatedAt = time.GetUtcNow() };
        db.DisplayLinks.Add(link);
        await audit.SaveAsync(db, actor, () => new AuditFact("display-link.created", nameof(DisplayLink), AdminEdits.Id(link.Id), storeId, null, View(link)), ct);
        // The token names the department; the address only the store.
        return AdminResult.Ok<NewDisplayLink>(new NewDisplayLink(link.Id, $"{baseAddress.TrimEnd('/')}/tv/{store!.Slug}?token={token}"));
    }

    public async Task<AdminResult> RevokeDisplayLinkAsync(string actor, int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var link = await db.DisplayLinks.SingleOrDefaultAsync(l => l.Id == id, ct);
        // A TV connected with the link goes blank now, not when it next reconnects.
        return await RevokeAsync(db, actor, link, "That display link no longer exists.", "display-link.revoked", l => l.StoreId, View, ct, then: _ =>
        {
            revocations.Revoked(id);
            cluster.Announce(Cluster.ChangeKind.DisplayLinkRevoked, id);
        });
    }

    public async Task<IReadOnlyList<ApiTokenRow>> ListApiTokensAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await (
            from t in db.ApiTokens.AsNoTracking()
            from s in db.Stores.Where(s => s.Id == t.StoreId).DefaultIfEmpty()
            from p in db.Salespeople.Where(p => p.Id == t.SalespersonId).DefaultIfEmpty()
            orderby t.RevokedAt != null, t.Name
            select new ApiTokenRow(t.Id, t.Name, t.Role, t.StoreId, s == null ? null : s.Name, p == null ? null : p.Name, t.TokenHint, t.CreatedAt, t.RevokedAt))
            .ToListAsync(ct);
    }

    public async Task<AdminResult<NewApiToken>> CreateApiTokenAsync(string actor, ApiTokenForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var name = form.Name?.Trim() ?? string.Empty;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (name.Length is 0 or > 120)
        {
            errors[nameof(ApiTokenForm.Name)] = "Name the token after the script or person that uses it (up to 120 characters).";
        }

        if (!Enum.IsDefined(form.Role))
        {
            errors[nameof(ApiTokenForm.Role)] = "Choose a role.";
        }

        if (form.StoreId is { } storeId)
        {
            if (!await db.Stores.AnyAsync(s => s.Id == storeId, ct))
            {
                errors[nameof(ApiTokenForm.StoreId)] = "That store no longer exists.";
            }
        }
        else if (form.Role != WallboardRole.Admin)
        {
            errors[nameof(ApiTokenForm.StoreId)] = "A manager's or salesperson's token belongs to one store: choose it.";
        }

        if (form.SalespersonId is { } personId)
        {
            var person = await db.Salespeople.AsNoTracking().SingleOrDefaultAsync(p => p.Id == personId, ct);
            if (person is null || person.StoreId != form.StoreId)
            {
                errors[nameof(ApiTokenForm.SalespersonId)] = "Choose someone from the token's store.";
            }
        }
        else if (form.Role == WallboardRole.Salesperson)
        {
            errors[nameof(ApiTokenForm.SalespersonId)] = "A salesperson's token acts as one person: choose who.";
        }

        if (errors.Count > 0)
        {
            return AdminResult.Invalid<NewApiToken>(errors);
        }

        var (token, hash) = ApiToken.NewToken();
        var row = new ApiToken
        {
            Name = name,
            TokenHash = hash,
            TokenHint = ApiToken.HintOf(token),
            Role = form.Role,
            StoreId = form.StoreId,
            SalespersonId = form.SalespersonId,
            CreatedAt = time.GetUtcNow(),
        };
        db.ApiTokens.Add(row);
        await audit.SaveAsync(db, actor, () => new AuditFact("api-token.created", nameof(ApiToken), AdminEdits.Id(row.Id), row.StoreId, null, View(row)), ct);
        return AdminResult.Ok<NewApiToken>(new NewApiToken(row.Id, token));
    }

    public async Task<AdminResult> RevokeApiTokenAsync(string actor, int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id, ct);
        return await RevokeAsync(db, actor, token, "That token no longer exists.", "api-token.revoked", t => t.StoreId, View, ct);
    }

    // Revoking twice is not a second change.
    private Task<AdminResult> RevokeAsync<T>(
        WallboardDbContext db, string actor, T? row, string missing, string action, Func<T, int?> storeOf, Func<T, object> view, CancellationToken ct, Action<T>? then = null)
        where T : class, IRevocable => audit.EditAsync(db, actor, row, new AdminEdit<T>
        {
            Missing = missing,
            Then = then,
            Apply = row =>
            {
                if (row.RevokedAt is not null)
                {
                    return null;
                }

                var before = view(row);
                row.RevokedAt = time.GetUtcNow();
                return new AuditFact(action, typeof(T).Name, AdminEdits.Id(row.Id), storeOf(row), before, view(row));
            },
        }, ct);

    // The hint (last four characters) only: never the token or its hash.
    private static object View(DisplayLink l) => new { l.StoreId, Department = l.Department.ToString(), l.Name, l.TokenHint, l.RevokedAt };

    private static object View(ApiToken t) => new { t.Name, Role = t.Role.ToString(), t.StoreId, t.SalespersonId, t.TokenHint, t.RevokedAt };
}
