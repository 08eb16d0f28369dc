using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Admin;
using Wallboard.Web.Alerts;
using Wallboard.Web.Auth;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Data;

/// <summary>
/// The app's database. Create one per unit of work through <see cref="IDbContextFactory{T}"/>
/// (STYLE.md rule 7); each entity is configured in its own class under Configurations/. Accounts
/// are ASP.NET Core Identity's users (without Identity's role tables: an account has one
/// <see cref="WallboardRole"/>, a column of its own). Abstract: each database has its own context
/// type (<see cref="SqliteWallboardDbContext"/>, <see cref="PostgresWallboardDbContext"/>) so that
/// each has its own migrations (EF Core's "migrations with multiple providers"); code asks for a
/// <see cref="WallboardDbContext"/> and never cares which. The Data Protection key ring lives here
/// too, so every app node signs and reads cookies and antiforgery tokens with the same keys.
/// </summary>
public abstract class WallboardDbContext(DbContextOptions<WallboardDbContext> options) : IdentityUserContext<WallboardUser, int>(options), IDataProtectionKeyContext
{
    public DbSet<Store> Stores => Set<Store>();

    public DbSet<BusinessHours> BusinessHours => Set<BusinessHours>();

    public DbSet<ClosedDate> ClosedDates => Set<ClosedDate>();

    public DbSet<LeadSource> LeadSources => Set<LeadSource>();

    public DbSet<TrackingNumber> TrackingNumbers => Set<TrackingNumber>();

    public DbSet<Salesperson> Salespeople => Set<Salesperson>();

    public DbSet<AgentIdentity> AgentIdentities => Set<AgentIdentity>();

    public DbSet<Integration> Integrations => Set<Integration>();

    public DbSet<IntegrationCredential> IntegrationCredentials => Set<IntegrationCredential>();

    public DbSet<HuntGroupMapping> HuntGroupMappings => Set<HuntGroupMapping>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<DisplayLink> DisplayLinks => Set<DisplayLink>();

    public DbSet<StoredCallEvent> CallEvents => Set<StoredCallEvent>();

    public DbSet<Call> Calls => Set<Call>();

    public DbSet<CallRing> CallRings => Set<CallRing>();

    public DbSet<CallHold> CallHolds => Set<CallHold>();

    public DbSet<Callback> Callbacks => Set<Callback>();

    public DbSet<CallbackCall> CallbackCalls => Set<CallbackCall>();

    public DbSet<CallbackAttempt> CallbackAttempts => Set<CallbackAttempt>();

    public DbSet<CallbackTransition> CallbackTransitions => Set<CallbackTransition>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<AccountStore> AccountStores => Set<AccountStore>();

    public DbSet<MetricsSnapshot> MetricsSnapshots => Set<MetricsSnapshot>();

    public DbSet<MetricsDailyRollup> MetricsDailyRollups => Set<MetricsDailyRollup>();

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<AlertDelivery> AlertDeliveries => Set<AlertDelivery>();

    public DbSet<AlertPreference> AlertPreferences => Set<AlertPreference>();

    public DbSet<AlertProfile> AlertProfiles => Set<AlertProfile>();

    public DbSet<StoreAlertSettings> StoreAlertSettings => Set<StoreAlertSettings>();

    public DbSet<LeadSourceSpend> LeadSourceSpends => Set<LeadSourceSpend>();

    public DbSet<SalesCallValue> SalesCallValues => Set<SalesCallValue>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(WallboardDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        // Enums are stored as their numbers (each enum fixes them explicitly): the event and
        // call tables hold tens of millions of rows, and a number is one byte where a name is ten.
    }
}
