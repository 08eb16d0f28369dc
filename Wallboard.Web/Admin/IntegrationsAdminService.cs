using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;

namespace Wallboard.Web.Admin;

public sealed record IntegrationRow(int Id, string Name, IntegrationKind Kind, int DefaultStoreId, string StoreName, bool IsEnabled, DateTimeOffset? SecretSince);

/// <summary>A secret an admin sees once: right after making the integration or rotating its secret.</summary>
public sealed record IntegrationSecret(int IntegrationId, IntegrationKind Kind, string Secret);

/// <summary>
/// Phone systems allowed to post events (§8, §9): make one, see its secret once, rotate it (the
/// old one stops working at once), disable and enable. A Twilio integration signs with the
/// account's own auth token, so the admin types that in instead of getting one made.
/// </summary>
public sealed class IntegrationsAdminService(IDbContextFactory<WallboardDbContext> dbFactory, AuditLog audit, AdminChanges changes, TimeProvider time)
{
    public async Task<IReadOnlyList<IntegrationRow>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (
            from i in db.Integrations.AsNoTracking()
            join s in db.Stores on i.DefaultStoreId equals s.Id
            orderby i.Name
            select new { i.Id, i.Name, i.Kind, i.DefaultStoreId, Store = s.Name, i.IsEnabled })
            .ToListAsync(ct);
        var since = (await db.IntegrationCredentials.AsNoTracking().Where(c => c.RevokedAt == null)
                .Select(c => new { c.IntegrationId, c.CreatedAt }).ToListAsync(ct))
            .GroupBy(c => c.IntegrationId).ToDictionary(g => g.Key, g => g.Max(c => c.CreatedAt));
        return rows.Select(r => new IntegrationRow(r.Id, r.Name, r.Kind, r.DefaultStoreId, r.Store, r.IsEnabled, since.TryGetValue(r.Id, out var at) ? at : null)).ToList();
    }

    public async Task<AdminResult<IntegrationSecret>> CreateAsync(
        string actor, string? name, IntegrationKind kind, int defaultStoreId, string? twilioAuthToken, CancellationToken ct)
    {
        name = name?.Trim() ?? string.Empty;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (name.Length is 0 or > 120)
        {
            errors[nameof(Integration.Name)] = "Name the phone system (up to 120 characters), e.g. \"Main PBX\".";
        }
        else if ((await db.Integrations.Select(i => i.Name).ToListAsync(ct)).Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            errors[nameof(Integration.Name)] = $"There is already an integration named '{name}'.";
        }

        if (!Enum.IsDefined(kind))
        {
            errors[nameof(Integration.Kind)] = "Choose what kind of phone system it is.";
        }

        if (!await db.Stores.AnyAsync(s => s.Id == defaultStoreId, ct))
        {
            errors[nameof(Integration.DefaultStoreId)] = "Choose the store that owns it (calls to unknown numbers are counted there).";
        }

        var secret = SecretFor(kind, twilioAuthToken, errors);
        if (errors.Count > 0)
        {
            return AdminResult.Invalid<IntegrationSecret>(errors);
        }

        var integration = new Integration { Name = name, Kind = kind, DefaultStoreId = defaultStoreId };
        db.Integrations.Add(integration);
        if (!await db.LeadSources.AnyAsync(s => s.StoreId == defaultStoreId && s.Name == LeadSource.UnknownName, ct))
        {
            db.LeadSources.Add(new LeadSource { StoreId = defaultStoreId, Name = LeadSource.UnknownName });
        }

        await audit.SaveAsync(db, actor, () =>
        {
            db.IntegrationCredentials.Add(new IntegrationCredential { IntegrationId = integration.Id, Secret = secret!, CreatedAt = time.GetUtcNow() });
            return new AuditFact("integration.created", nameof(Integration), AdminEdits.Id(integration.Id), defaultStoreId, null, View(integration));
        }, ct);
        changes.IntegrationChanged();
        return AdminResult.Ok<IntegrationSecret>(new IntegrationSecret(integration.Id, kind, secret!));
    }

    /// <summary>A new secret; the old ones are revoked in the same save, so they are refused from the next post on.</summary>
    public async Task<AdminResult<IntegrationSecret>> RotateSecretAsync(string actor, int id, string? twilioAuthToken, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var integration = await db.Integrations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (integration is null)
        {
            return AdminResult.Invalid<IntegrationSecret>(AdminResult.General, "That integration no longer exists.");
        }

        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var secret = SecretFor(integration.Kind, twilioAuthToken, errors);
        if (errors.Count > 0)
        {
            return AdminResult.Invalid<IntegrationSecret>(errors);
        }

        var now = time.GetUtcNow();
        await foreach (var old in db.IntegrationCredentials.Where(c => c.IntegrationId == id && c.RevokedAt == null).AsAsyncEnumerable().WithCancellation(ct))
        {
            old.RevokedAt = now;
        }

        db.IntegrationCredentials.Add(new IntegrationCredential { IntegrationId = id, Secret = secret!, CreatedAt = now });
        await audit.SaveAsync(db, actor, () => new AuditFact("integration.secret-rotated", nameof(Integration), AdminEdits.Id(id), integration.DefaultStoreId, null, View(integration)), ct);
        changes.IntegrationChanged();
        return AdminResult.Ok<IntegrationSecret>(new IntegrationSecret(id, integration.Kind, secret!));
    }

    /// <summary>A disabled integration's posts are refused (401) until it is enabled again.</summary>
    public async Task<AdminResult> SetEnabledAsync(string actor, int id, bool enabled, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await audit.EditAsync(db, actor, await db.Integrations.SingleOrDefaultAsync(i => i.Id == id, ct), new AdminEdit<Integration>
        {
            Missing = "That integration no longer exists.",
            Apply = integration =>
            {
                if (integration.IsEnabled == enabled)
                {
                    return null;
                }

                var before = View(integration);
                integration.IsEnabled = enabled;
                return new AuditFact(enabled ? "integration.enabled" : "integration.disabled", nameof(Integration), AdminEdits.Id(id), integration.DefaultStoreId, before, View(integration));
            },
            Then = _ => changes.IntegrationChanged(),
        }, ct);
    }

    private static string? SecretFor(IntegrationKind kind, string? twilioAuthToken, Dictionary<string, string> errors)
    {
        if (kind != IntegrationKind.Twilio)
        {
            return Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        }

        var token = twilioAuthToken?.Trim() ?? string.Empty;
        if (token.Length != 32 || !token.All(char.IsAsciiHexDigit))
        {
            errors["TwilioAuthToken"] = "Paste the Twilio account's auth token (32 hexadecimal characters, from the Twilio console): Twilio signs its posts with it.";
            return null;
        }

        return token;
    }

    // Never the secret.
    private static object View(Integration i) => new { i.Name, Kind = i.Kind.ToString(), i.DefaultStoreId, i.IsEnabled };
}
