using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Phones;
using Wallboard.Web.Data;

namespace Wallboard.Web.Auth;

/// <summary>
/// Knows each integration's live secrets (several while one is being rotated), cached briefly so
/// a busy phone system does not cost a database read per post.
/// </summary>
public sealed class IntegrationAuthenticator(IDbContextFactory<WallboardDbContext> dbFactory, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<int, (Integration? Integration, string[] Secrets, DateTimeOffset LoadedAt)> _cache = new();

    /// <summary>The enabled integration named by a header value and its live secrets, or null.</summary>
    public async Task<(Integration Integration, string[] Secrets)?> FindAsync(string? integrationHeader, CancellationToken ct)
    {
        if (!int.TryParse(integrationHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return null;
        }

        return await FindAsync(id, ct);
    }

    public async Task<(Integration Integration, string[] Secrets)?> FindAsync(int integrationId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(integrationId, out var entry) || now - entry.LoadedAt >= Lifetime)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var integration = await db.Integrations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == integrationId, ct);
            var secrets = await db.IntegrationCredentials.AsNoTracking()
                .Where(c => c.IntegrationId == integrationId && c.RevokedAt == null)
                .Select(c => c.Secret)
                .ToArrayAsync(ct);
            _cache[integrationId] = entry = (integration, secrets, now);
        }

        return entry.Integration is { IsEnabled: true } found && entry.Secrets.Length > 0 ? (found, entry.Secrets) : null;
    }

    /// <summary>Forgets cached secrets; call after rotating or revoking one.</summary>
    public void Invalidate() => _cache.Clear();
}
