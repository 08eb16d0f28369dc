using System.Security.Claims;
using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wallboard.Domain.Metrics;
using Wallboard.Tests.Data;
using Wallboard.Web.Admin;
using Wallboard.Web.Auth;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Components.Pages.Admin;
using Wallboard.Web.Data;
using Wallboard.Web.Hosting;
using Wallboard.Web.Ingest;
using Wallboard.Web.Live;

namespace Wallboard.Tests.Components.Pages.Admin;

/// <summary>The admin forms with the real services on a real SQLite file holding the demo dealer group.</summary>
public sealed class AdminFormsTests : WallboardTestContext
{
    private const string AdminEmail = "pat.admin@lakeside.example";

    private TestDatabase _database = null!;
    private DemoCredentials _demo = null!;

    private int Lakeside => _demo.Stores[0].Id;

    private async Task UseDemoAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Wallboard:DataDirectory"] = _database.Folder })
            .Build();
        await new DemoSeeder(_database, configuration, TimeProvider.System, NullLogger<DemoSeeder>.Instance).SeedIfEmptyAsync(CancellationToken.None);
        _demo = JsonSerializer.Deserialize<DemoCredentials>(
            await File.ReadAllTextAsync(Path.Combine(_database.Folder, DemoSeeder.CredentialsFileName)), JsonSerializerOptions.Web)!;

        // Disposed with the context: the file goes when the test ends.
        Services.AddSingleton(_database);
        Services.AddSingleton<IDbContextFactory<WallboardDbContext>>(_database);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<AuditLog>();
        Services.AddSingleton<AttributionCache>();
        Services.AddSingleton<IntegrationAuthenticator>();
        Services.AddSingleton<ICallChangeNotifier>(new Notifier<CallChange>(NullLogger<Notifier<CallChange>>.Instance));
        Services.AddSingleton<ICallbackChangeNotifier>(new Notifier<CallbackChange>(NullLogger<Notifier<CallbackChange>>.Instance));
        Services.AddSingleton<CallbackQueries>();
        Services.AddSingleton<IBoardNotifier>(new Notifier<BoardUpdate>(NullLogger<Notifier<BoardUpdate>>.Instance));
        Services.AddSingleton(Options.Create(new LiveBoardOptions()));
        Services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        Services.AddSingleton<IMetricsNotifier>(new Notifier<MetricsReport>(NullLogger<Notifier<MetricsReport>>.Instance));
        Services.AddSingleton<LiveBoard>();
        Services.AddSingleton<Wallboard.Web.Cluster.ClusterSignals>();
        Services.AddSingleton<AdminChanges>();
        Services.AddSingleton<StoresAdminService>();
        Services.AddSingleton<LeadSourcesAdminService>();
        Services.AddSingleton<TrackingNumbersAdminService>();
        Services.AddSingleton<SalespeopleAdminService>();
        Services.AddSingleton<IntegrationsAdminService>();
        Services.AddSingleton<DisplayLinkRevocations>();
        Services.AddSingleton<AccessAdminService>();
        Services.AddSingleton<AuditQueries>();
        SignInAs(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, AdminEmail), new Claim(ClaimTypes.Role, AuthExtensions.AdminRole)], "test")));
    }

    public static TheoryData<Type> AdminPages =>
        [typeof(AdminPage), typeof(StoresPage), typeof(StoreEditPage), typeof(IntegrationsPage), typeof(DisplayLinksPage), typeof(ApiTokensPage), typeof(AuditPage)];

    [Theory]
    [MemberData(nameof(AdminPages))]
    public void Every_admin_screen_is_for_admins_only(Type page)
    {
        var authorize = Assert.Single(page.GetCustomAttributes(typeof(AuthorizeAttribute), inherit: true).Cast<AuthorizeAttribute>());
        Assert.Equal(AuthExtensions.AdminRole, authorize.Roles);
        Assert.NotEmpty(page.GetCustomAttributes(typeof(RouteAttribute), inherit: false));
    }

    [Fact]
    public async Task A_new_store_without_a_name_and_with_a_taken_slug_shows_both_messages_next_to_their_fields()
    {
        await UseDemoAsync();
        var cut = Render<StoreEditPage>();
        cut.WaitForElement("#store-slug");

        cut.Find("#store-slug").Input(_demo.Stores[0].Slug);
        cut.Find("#save-store").Click();

        cut.WaitForAssertion(() =>
        {
            var name = cut.Find("#store-name").Closest(".mud-input-control")!;
            Assert.Contains("A store needs a name.", name.TextContent, StringComparison.Ordinal);
            var slug = cut.Find("#store-slug").Closest(".mud-input-control")!;
            Assert.Contains("is taken by another store", slug.TextContent, StringComparison.Ordinal);
        });
        Assert.Contains("Not saved", cut.Find("#store-errors").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hours_that_overlap_say_so_on_the_hours_tab()
    {
        await UseDemoAsync();
        var cut = Render<StoreEditPage>(p => p.Add(x => x.Id, Lakeside));
        cut.WaitForElement("#save-store");
        cut.FindAll("[role=tab]").Single(t => t.TextContent.Contains("Hours", StringComparison.OrdinalIgnoreCase)).Click();

        cut.WaitForElement("#add-weekdays").Click(); // the demo already opens Sales on these days
        cut.Find("#save-store").Click();

        cut.WaitForAssertion(() => Assert.Contains("overlaps", cut.Find("#hours-error").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tracking_number_that_is_not_a_phone_number_is_refused_next_to_the_number()
    {
        await UseDemoAsync();
        var cut = Render<TrackingNumbersPanel>(p => p.Add(x => x.StoreId, Lakeside));
        cut.WaitForElement("#number-value");

        cut.Find("#number-value").Input("ask for Sam");
        cut.Find("#save-number").Click();

        cut.WaitForAssertion(() => Assert.Contains(
            "'ask for Sam' is not a phone number.",
            cut.Find("#number-value").Closest(".mud-input-control")!.TextContent,
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_admins_adding_the_same_source_at_the_same_instant_the_second_is_told_and_keeps_the_form()
    {
        await UseDemoAsync();
        // The other admin's save commits on real SQLite after this admin's checks passed and just
        // before this admin's transaction starts: the database's unique index is what refuses the second.
        var racing = new RacingFactory(_database, async () =>
        {
            var other = new LeadSourcesAdminService(_database, Services.GetRequiredService<AuditLog>(), Services.GetRequiredService<AdminChanges>());
            Assert.True((await other.CreateAsync("other.admin@lakeside.example", Lakeside, "Trade show", CancellationToken.None)).Succeeded);
        });
        Services.AddSingleton<IDbContextFactory<WallboardDbContext>>(racing);
        var cut = Render<LeadSourcesPanel>(p => p.Add(x => x.StoreId, Lakeside));
        cut.WaitForElement("#sources-table");

        cut.Find("#new-source-name").Input("Trade show");
        cut.Find("#add-source").Click();

        cut.WaitForAssertion(() => Assert.Equal(AdminPageBase.ChangedBySomeoneElse, cut.Find("#sources-error").TextContent));
        Assert.True(racing.Raced);
        Assert.Equal("Trade show", cut.Find("#new-source-name").GetAttribute("value")); // the form is kept
        cut.Find("#add-source").Click(); // and the circuit lives: saving again gets the ordinary answer
        cut.WaitForAssertion(() => Assert.Contains(
            "This store already has a lead source named 'Trade show'.",
            cut.Find("#new-source-name").Closest(".mud-input-control")!.TextContent,
            StringComparison.Ordinal));
        await using var db = _database.CreateDbContext();
        Assert.Equal("other.admin@lakeside.example", (await db.AuditEntries.SingleAsync(e => e.Action == "lead-source.created")).Actor);
    }

    [Fact]
    public async Task Delete_and_revoke_ask_first_and_cancel_changes_nothing()
    {
        await UseDemoAsync();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var sources = Render<LeadSourcesPanel>(p => p.Add(x => x.StoreId, Lakeside));
        sources.WaitForElement("#sources-table");
        sources.Find("tr[data-source='Radio']").QuerySelectorAll("button").Single(b => b.TextContent.Contains("Delete", StringComparison.Ordinal)).Click();
        Assert.Contains("Delete this lead source?", dialogs.WaitForElement(".mud-message-box").TextContent, StringComparison.Ordinal);
        dialogs.Find(".mud-message-box__cancel-button").Click();

        var links = Render<DisplayLinksPage>();
        links.WaitForElement("#display-links-table");
        links.Find("#display-links-table tbody tr").QuerySelectorAll("button").Single(b => b.TextContent.Contains("Revoke", StringComparison.Ordinal)).Click();
        Assert.Contains("Revoke this display link?", dialogs.WaitForElement(".mud-message-box").TextContent, StringComparison.Ordinal);
        dialogs.Find(".mud-message-box__cancel-button").Click();

        await using var db = _database.CreateDbContext();
        Assert.True(await db.LeadSources.AnyAsync(s => s.StoreId == Lakeside && s.Name == "Radio"));
        Assert.False(await db.DisplayLinks.AnyAsync(l => l.RevokedAt != null));
        Assert.False(await db.AuditEntries.AnyAsync(e => e.Action == "lead-source.deleted" || e.Action == "display-link.revoked"));
    }

    /// <summary>Contexts on the test's SQLite file whose first insert of a lead source lets another admin's save commit first.</summary>
    private sealed class RacingFactory(TestDatabase database, Func<Task> otherAdmin) : IDbContextFactory<WallboardDbContext>
    {
        private int _raced;

        public bool Raced => _raced == 1;

        private Task OtherAdminAsync() => otherAdmin();

        public WallboardDbContext CreateDbContext() =>
            new SqliteWallboardDbContext(new DbContextOptionsBuilder<WallboardDbContext>().UseSqlite(database.ConnectionString).AddInterceptors(new Race(this)).Options);

        // The change and its audit entry are saved in one transaction (AuditLog.SaveAsync), which
        // holds SQLite's write lock: the other admin commits just before it starts, when this
        // admin's checks have passed and the insert is about to be made.
        private sealed class Race(RacingFactory owner) : Microsoft.EntityFrameworkCore.Diagnostics.DbTransactionInterceptor
        {
            public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbTransaction>> TransactionStartingAsync(
                System.Data.Common.DbConnection connection,
                Microsoft.EntityFrameworkCore.Diagnostics.TransactionStartingEventData eventData,
                Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbTransaction> result,
                CancellationToken cancellationToken = default)
            {
                if (eventData.Context!.ChangeTracker.Entries<Wallboard.Domain.Stores.LeadSource>().Any(e => e.State == EntityState.Added)
                    && Interlocked.Exchange(ref owner._raced, 1) == 0)
                {
                    await owner.OtherAdminAsync();
                }

                return result;
            }
        }
    }

    [Fact]
    public async Task Deleting_a_source_that_numbers_use_offers_to_deactivate_it_and_the_audit_names_the_signed_in_admin()
    {
        await UseDemoAsync();
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = Render<LeadSourcesPanel>(p => p.Add(x => x.StoreId, Lakeside));
        cut.WaitForElement("#sources-table");

        cut.Find("#new-source-name").Input("Trade show");
        cut.Find("#add-source").Click();
        cut.WaitForAssertion(() => Assert.Contains("Trade show", cut.Find("#sources-table").TextContent, StringComparison.Ordinal));
        cut.Find("tr[data-source='Cars.com']").QuerySelectorAll("button").Single(b => b.TextContent.Contains("Delete", StringComparison.Ordinal)).Click();
        dialogs.WaitForElement(".mud-message-box__yes-button").Click();

        cut.WaitForAssertion(() => Assert.Contains("Deactivate it instead", cut.Find("#sources-error").TextContent, StringComparison.Ordinal));
        await using var db = _database.CreateDbContext();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == "lead-source.created");
        Assert.Equal(AdminEmail, entry.Actor);
    }
}
