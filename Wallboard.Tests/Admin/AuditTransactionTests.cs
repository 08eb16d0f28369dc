using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Web.Admin;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Admin;

/// <summary>
/// A change and its audit line commit together or not at all (README, Admin): with the audit table
/// refusing every insert (a trigger in the app's real SQLite file), no admin change is left behind.
/// </summary>
public sealed class AuditTransactionTests(WallboardAppFactory app) : IClassFixture<WallboardAppFactory>, IAsyncLifetime
{
    private const string Actor = "admin@lakeside.example";

    private readonly SignedIngestClient _ingest = new(app);

    private int Lakeside => _ingest.Credentials.Stores[0].Id;

    private T Service<T>()
        where T : notnull => app.Services.GetRequiredService<T>();

    private async Task<WallboardDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync();

    public async Task InitializeAsync()
    {
        await using var db = await DbAsync();
        await db.Database.ExecuteSqlRawAsync(
            "CREATE TRIGGER audit_down BEFORE INSERT ON AuditEntries BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be written'); END;");
    }

    public async Task DisposeAsync()
    {
        await using var db = await DbAsync();
        await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS audit_down;");
    }

    private static async Task RefusedAsync(Func<Task> change) =>
        Assert.Contains("the audit trail cannot be written", (await Assert.ThrowsAsync<DbUpdateException>(change)).InnerException?.Message, StringComparison.Ordinal);

    [Fact]
    public async Task A_new_store_whose_audit_line_fails_is_not_saved()
    {
        var store = new Store { Name = "Audit Motors", Slug = "audit-motors", City = "Reno", TimeZoneId = "America/Los_Angeles" };

        await RefusedAsync(() => Service<StoresAdminService>().CreateAsync(Actor, store, default));

        await using var db = await DbAsync();
        Assert.False(await db.Stores.AnyAsync(s => s.Slug == "audit-motors"));
    }

    [Fact]
    public async Task New_sources_people_numbers_integrations_and_tokens_whose_audit_line_fails_are_not_saved()
    {
        await RefusedAsync(() => Service<LeadSourcesAdminService>().CreateAsync(Actor, Lakeside, "Audit Radio", default));
        await RefusedAsync(() => Service<SalespeopleAdminService>().CreateAsync(Actor, Lakeside, "Audit Person", SalespersonRole.Salesperson, default));
        var unknown = (await Service<LeadSourcesAdminService>().ListAsync(Lakeside, default)).Single(s => s.IsUnknown).Id;
        await RefusedAsync(() => Service<TrackingNumbersAdminService>().CreateAsync(
            Actor, new TrackingNumberForm { Number = "+1 312 555 0199", StoreId = Lakeside, LeadSourceId = unknown, Label = "audit" }, default));
        await RefusedAsync(() => Service<IntegrationsAdminService>().CreateAsync(Actor, "Audit PBX", IntegrationKind.JsonApi, Lakeside, null, default));
        await RefusedAsync(() => Service<AccessAdminService>().CreateApiTokenAsync(
            Actor, new ApiTokenForm { Name = "Audit script", Role = Web.Auth.WallboardRole.Manager, StoreId = Lakeside }, default));
        await RefusedAsync(() => Service<AccessAdminService>().CreateDisplayLinkAsync(Actor, Lakeside, Department.Sales, "Audit TV", "http://localhost/", default));

        await using var db = await DbAsync();
        Assert.False(await db.LeadSources.AnyAsync(s => s.Name == "Audit Radio"));
        Assert.False(await db.Salespeople.AnyAsync(p => p.Name == "Audit Person"));
        Assert.False(await db.TrackingNumbers.AnyAsync(n => n.E164 == "+13125550199"));
        Assert.False(await db.Integrations.AnyAsync(i => i.Name == "Audit PBX"));
        Assert.False(await db.IntegrationCredentials.AnyAsync(c => !db.Integrations.Any(i => i.Id == c.IntegrationId)));
        Assert.False(await db.ApiTokens.AnyAsync(t => t.Name == "Audit script"));
        Assert.False(await db.DisplayLinks.AnyAsync(l => l.Name == "Audit TV"));
    }

    [Fact]
    public async Task A_delete_whose_audit_line_fails_leaves_the_record()
    {
        var unknown = (await Service<LeadSourcesAdminService>().ListAsync(Lakeside, default)).Single(s => s.IsUnknown).Id;
        int numberId;
        await using (var db = await DbAsync())
        {
            var number = new TrackingNumber { E164 = "+13125550198", StoreId = Lakeside, LeadSourceId = unknown, Department = Department.Sales, Label = "keep" };
            db.TrackingNumbers.Add(number);
            await db.SaveChangesAsync();
            numberId = number.Id;
        }

        await RefusedAsync(() => Service<TrackingNumbersAdminService>().DeleteAsync(Actor, numberId, default));

        await using var check = await DbAsync();
        Assert.True(await check.TrackingNumbers.AnyAsync(n => n.Id == numberId));
    }
}
