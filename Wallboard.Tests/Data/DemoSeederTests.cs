using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Data;

public class DemoSeederTests
{
    private static DemoSeeder Seeder(TestDatabase database) => new(
        database,
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Wallboard:DataDirectory"] = database.Folder }).Build(),
        TimeProvider.System,
        NullLogger<DemoSeeder>.Instance);

    [Fact]
    public async Task Empty_database_gets_the_demo_dealer_group()
    {
        await using var database = await TestDatabase.CreateAsync();

        Assert.True(await Seeder(database).SeedIfEmptyAsync(CancellationToken.None));

        await using var db = database.CreateDbContext();
        var stores = await db.Stores.Include(s => s.BusinessHours).Include(s => s.ClosedDates).ToListAsync();
        Assert.Equal(2, stores.Count);
        Assert.Equal(2, stores.Select(s => s.TimeZoneId).Distinct().Count());
        Assert.All(stores, s => Assert.True(StoreCalendar.IsKnownTimeZone(s.TimeZoneId)));
        Assert.All(stores, s => Assert.Contains(s.BusinessHours, h => h.Department == Department.Sales));
        Assert.All(stores, s => Assert.NotEmpty(s.ClosedDates));

        foreach (var store in stores)
        {
            var sources = await db.LeadSources.CountAsync(x => x.StoreId == store.Id);
            Assert.InRange(sources, 6, 8);
            Assert.True(await db.LeadSources.AnyAsync(x => x.StoreId == store.Id && x.Name == LeadSource.UnknownName));
        }

        var numbers = await db.TrackingNumbers.ToListAsync();
        Assert.True(numbers.Count >= 10);
        Assert.All(numbers, n => Assert.Equal(n.E164, CallerNumber.TryNormalize(n.E164, "US")));
        Assert.Contains(numbers, n => n.Department == Department.Service);

        var people = await db.Salespeople.Include(p => p.Identities).ToListAsync();
        Assert.True(people.Count >= 8);
        Assert.All(people, p => Assert.NotEmpty(p.Identities));
        Assert.Equal(2, await db.Integrations.CountAsync());
    }

    [Fact]
    public async Task Credentials_file_holds_the_secrets_that_were_stored()
    {
        await using var database = await TestDatabase.CreateAsync();
        await Seeder(database).SeedIfEmptyAsync(CancellationToken.None);

        var json = await File.ReadAllTextAsync(Path.Combine(database.Folder, DemoSeeder.CredentialsFileName));
        var credentials = JsonSerializer.Deserialize<DemoCredentials>(json, JsonSerializerOptions.Web)!;

        await using var db = database.CreateDbContext();
        var pbx = await db.IntegrationCredentials.SingleAsync(c => c.IntegrationId == credentials.Integration.Id);
        var twilio = await db.IntegrationCredentials.SingleAsync(c => c.IntegrationId == credentials.Twilio.Id);
        Assert.Equal(pbx.Secret, credentials.Integration.Secret);
        Assert.Equal(twilio.Secret, credentials.Twilio.AuthToken);
        Assert.True(credentials.Integration.Secret.Length >= 40);
        Assert.Equal(IntegrationKind.Twilio, (await db.Integrations.FindAsync(credentials.Twilio.Id))!.Kind);
    }

    [Fact]
    public async Task Seeding_a_database_that_has_stores_changes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await Seeder(database).SeedIfEmptyAsync(CancellationToken.None);

        Assert.False(await Seeder(database).SeedIfEmptyAsync(CancellationToken.None));

        await using var db = database.CreateDbContext();
        Assert.Equal(2, await db.Stores.CountAsync());
        Assert.Equal(2, await db.IntegrationCredentials.CountAsync());
    }
}
