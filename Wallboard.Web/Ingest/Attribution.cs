using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest.Asterisk;

namespace Wallboard.Web.Ingest;

/// <summary>Where a call belongs: store, department, lead source, and the number that was dialled.</summary>
public sealed record CallAttribution(Store Store, Department Department, int? LeadSourceId, int? TrackingNumberId);

/// <summary>
/// An integration's view of the reference data that attributes its calls (§2): tracking numbers,
/// hunt groups, agent identities. Small, read on every batch, so it is cached (see
/// <see cref="AttributionCache"/>).
/// </summary>
public sealed class IntegrationDirectory
{
    private readonly Dictionary<int, Store> _stores;
    private readonly Dictionary<string, TrackingNumber> _numbersByE164;
    private readonly Dictionary<string, TrackingNumber> _numbersByGroup;
    private readonly Dictionary<int, int> _unknownSourceByStore;
    private readonly Dictionary<string, int> _salespersonByAgent;
    private AsteriskMappingOptions? _asteriskMapping;

    public IntegrationDirectory(
        Integration integration,
        IEnumerable<Store> stores,
        IEnumerable<TrackingNumber> numbers,
        IEnumerable<HuntGroupMapping> groups,
        IEnumerable<LeadSource> sources,
        IEnumerable<AgentIdentity> identities)
    {
        ArgumentNullException.ThrowIfNull(integration);
        Integration = integration;
        _stores = stores.ToDictionary(s => s.Id);
        _numbersByE164 = numbers.ToDictionary(n => n.E164, StringComparer.Ordinal);
        var numbersById = _numbersByE164.Values.ToDictionary(n => n.Id);
        _numbersByGroup = groups
            .Where(g => numbersById.ContainsKey(g.TrackingNumberId))
            .ToDictionary(g => g.Group, g => numbersById[g.TrackingNumberId], StringComparer.OrdinalIgnoreCase);
        _unknownSourceByStore = sources.Where(s => s.Name == LeadSource.UnknownName).ToDictionary(s => s.StoreId, s => s.Id);
        _salespersonByAgent = identities.ToDictionary(i => i.Identity, i => i.SalespersonId, StringComparer.OrdinalIgnoreCase);
    }

    public Integration Integration { get; }

    /// <summary>
    /// The queue log adapter's settings for this integration: queue name → tracking number, for a
    /// log that names only the queue a caller entered. Built once per cached directory.
    /// </summary>
    public AsteriskMappingOptions AsteriskMapping => _asteriskMapping ??= new AsteriskMappingOptions
    {
        QueueTrackingNumbers = _numbersByGroup.ToDictionary(pair => pair.Key, pair => pair.Value.E164, StringComparer.OrdinalIgnoreCase),
    };

    public int? SalespersonOf(string agent) => _salespersonByAgent.TryGetValue(agent, out var id) ? id : null;

    /// <summary>
    /// The dialled number decides; failing that, the hunt group; failing both, the call belongs to
    /// source "Unknown" of the store that owns the integration, in Sales (§2).
    /// </summary>
    public CallAttribution Attribute(CallState call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var number = FindNumber(call.To) ?? (call.Group is { } group && _numbersByGroup.TryGetValue(group, out var byGroup) ? byGroup : null);
        if (number is not null && _stores.TryGetValue(number.StoreId, out var store))
        {
            return new CallAttribution(store, number.Department, number.LeadSourceId, number.Id);
        }

        var owner = _stores[Integration.DefaultStoreId];
        return new CallAttribution(owner, Department.Sales, _unknownSourceByStore.TryGetValue(owner.Id, out var unknown) ? unknown : null, null);
    }

    private TrackingNumber? FindNumber(string? to)
    {
        if (string.IsNullOrWhiteSpace(to))
        {
            return null;
        }

        if (_numbersByE164.TryGetValue(to, out var exact))
        {
            return exact;
        }

        // Tracking numbers are stored in E.164; phone systems send the dialled number in any form.
        var normalized = CallerNumber.TryNormalize(to, _stores[Integration.DefaultStoreId].CountryCode);
        return normalized is not null && _numbersByE164.TryGetValue(normalized, out var found) ? found : null;
    }
}

/// <summary>
/// Caches each integration's directory for a short time, so ingest does not read the reference
/// tables on every batch while admin changes still take effect within seconds.
/// </summary>
public sealed class AttributionCache(IDbContextFactory<WallboardDbContext> dbFactory, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<int, (IntegrationDirectory? Directory, DateTimeOffset LoadedAt)> _entries = new();

    /// <summary>The integration's directory, or null for an integration that does not exist.</summary>
    public async Task<IntegrationDirectory?> GetAsync(int integrationId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(integrationId, out var entry) && now - entry.LoadedAt < Lifetime)
        {
            return entry.Directory;
        }

        var directory = await LoadAsync(integrationId, ct);
        _entries[integrationId] = (directory, now);
        return directory;
    }

    /// <summary>Forgets everything cached; call after changing stores, numbers, people or integrations.</summary>
    public void Invalidate() => _entries.Clear();

    private async Task<IntegrationDirectory?> LoadAsync(int integrationId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var integration = await db.Integrations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == integrationId, ct);
        if (integration is null)
        {
            return null;
        }

        return new IntegrationDirectory(
            integration,
            await db.Stores.AsNoTracking().ToListAsync(ct),
            await db.TrackingNumbers.AsNoTracking().ToListAsync(ct),
            await db.HuntGroupMappings.AsNoTracking().Where(g => g.IntegrationId == integrationId).ToListAsync(ct),
            await db.LeadSources.AsNoTracking().ToListAsync(ct),
            await db.AgentIdentities.AsNoTracking().Where(i => i.IntegrationId == integrationId).ToListAsync(ct));
    }
}
