using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Ingest.Simulator;

/// <summary>
/// What the simulator plays with, read once from the database at start: the integration it posts
/// as (the JSON API integration, as the demo phone system) and every store with a number to call.
/// </summary>
public sealed record SimulatorSetup(int IntegrationId, IReadOnlyList<SimulatedStore> Stores)
{
    /// <summary>
    /// A store the demo seed creates (see <c>DemoSeeder</c>). Its presence marks the seeded demo
    /// database, the one the simulator runs on by default.
    /// </summary>
    public const string DemoStoreSlug = "lakeside-toyota";

    /// <summary>Service advisors are not in the demo's people; the service line rings this many phones.</summary>
    public const int ServiceDeskPhones = 2;

    public static Task<bool> IsDemoDatabaseAsync(WallboardDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Stores.AnyAsync(s => s.Slug == DemoStoreSlug, ct);
    }

    /// <summary>Null when there is no enabled JSON API integration to post as.</summary>
    public static async Task<SimulatorSetup?> LoadAsync(WallboardDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var integration = await db.Integrations.AsNoTracking()
            .Where(i => i.Kind == IntegrationKind.JsonApi && i.IsEnabled)
            .OrderBy(i => i.Id)
            .FirstOrDefaultAsync(ct);
        if (integration is null)
        {
            return null;
        }

        var stores = await db.Stores.AsNoTracking()
            .Include(s => s.BusinessHours)
            .Include(s => s.ClosedDates)
            .AsSplitQuery()
            .OrderBy(s => s.Id)
            .ToListAsync(ct);
        var sources = await db.LeadSources.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var numbers = await db.TrackingNumbers.AsNoTracking().OrderBy(n => n.Id).ToListAsync(ct);
        var people = await db.Salespeople.AsNoTracking()
            .Include(p => p.Identities)
            .Where(p => p.IsActive)
            .OrderBy(p => p.Id)
            .ToListAsync(ct);

        var simulated = new List<SimulatedStore>();
        foreach (var store in stores)
        {
            var lines = numbers
                .Where(n => n.StoreId == store.Id)
                .Select(n => new SimulatedLine(n.E164, sources.GetValueOrDefault(n.LeadSourceId, LeadSource.UnknownName), n.Department))
                .ToList();
            if (lines.Count == 0)
            {
                continue;
            }

            var staff = people.Where(p => p.StoreId == store.Id).ToList();
            // The sales hunt group is the salespeople; managers are rung only where there is nobody else.
            var hunt = staff.Where(p => p.Role == SalespersonRole.Salesperson).ToList() is { Count: > 0 } sellers ? sellers : staff;
            var agents = hunt
                .Select(p => PhoneOf(p, integration.Id))
                .OfType<string>()
                .ToList();
            var serviceDesk = Enumerable.Range(1, ServiceDeskPhones)
                .Select(i => string.Create(CultureInfo.InvariantCulture, $"{store.Slug}-service-{i}"))
                .ToList();

            simulated.Add(new SimulatedStore(
                store.Id, store.Name, store.Slug, store.Calendar, store.Settings.ShortAbandon, lines, agents, serviceDesk));
        }

        return new SimulatorSetup(integration.Id, simulated);
    }

    // A salesperson's phone as this integration names it in events: the extension ("101") when
    // there is one, as a PBX names the member that answered; otherwise the shortest identity.
    private static string? PhoneOf(Salesperson person, int integrationId)
    {
        var identities = person.Identities.Where(i => i.IntegrationId == integrationId).Select(i => i.Identity).ToList();
        return identities.FirstOrDefault(i => i.Length > 0 && i.All(char.IsAsciiDigit))
            ?? identities.OrderBy(i => i.Length).ThenBy(i => i, StringComparer.Ordinal).FirstOrDefault();
    }
}
