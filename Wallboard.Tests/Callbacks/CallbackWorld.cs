using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Data;
using Wallboard.Tests.Domain.Callbacks;
using Wallboard.Web.Admin;
using Wallboard.Web.Alerts;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;
using Wallboard.Web.Hosting;
using Wallboard.Web.Jobs;

namespace Wallboard.Tests.Callbacks;

/// <summary>
/// The demo dealer group in a real SQLite file, with the call-back services wired by hand to a
/// fake clock (by default from Tuesday 24 November 2026, 14:00 at Lakeside Toyota, Chicago, open until 20:00).
/// Calls are written as the projector would leave them.
/// </summary>
internal sealed class CallbackWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset Tuesday2pm = CallbackScenario.Local(2026, 11, 24, 14, 0);

    private long _nextCall;

    private readonly IReadOnlyDictionary<string, string?> _alertSettings;

    private CallbackWorld(TestDatabase database, DemoCredentials credentials, DateTimeOffset start, IReadOnlyDictionary<string, string?>? alertSettings)
    {
        Database = database;
        Credentials = credentials;
        Time = new FakeTimeProvider(start);
        _alertSettings = alertSettings ?? new Dictionary<string, string?>();
        AlertServices = BuildAlertServices();
        Notifier = new Notifier<CallbackChange>(NullLogger<Notifier<CallbackChange>>.Instance);
        Queries = new CallbackQueries(database, Time);
        Commands = new CallbackCommands(database, Queries, Notifier, Time, NullLogger<CallbackCommands>.Instance);
        Intake = new CallbackIntake(database, Notifier, Time, NullLogger<CallbackIntake>.Instance);
        Sweep = new CallbackSweepJob(database, Intake, Notifier, AlertServices.GetRequiredService<CallbackAlerts>(), Time, NullLogger<CallbackSweepJob>.Instance);
        Users = new CallbackUsers(database);
        Notifier.Subscribe(changes =>
        {
            lock (Published)
            {
                Published.AddRange(changes);
            }

            return ValueTask.CompletedTask;
        });
    }

    public TestDatabase Database { get; }

    public DemoCredentials Credentials { get; }

    public FakeTimeProvider Time { get; }

    public Notifier<CallbackChange> Notifier { get; }

    public CallbackQueries Queries { get; }

    public CallbackCommands Commands { get; }

    public CallbackIntake Intake { get; }

    public CallbackSweepJob Sweep { get; }

    public CallbackUsers Users { get; }

    /// <summary>The alert services on this world's database and clock (with no channel configured unless the world was made with alert settings).</summary>
    public ServiceProvider AlertServices { get; private set; }

    /// <summary>
    /// What a restart does to alerts: every alert service is thrown away and made again on the same
    /// database file, so nothing in memory carries over; the sweep keeps raising with the old ones.
    /// </summary>
    public async Task RestartAlertsAsync()
    {
        await AlertServices.DisposeAsync();
        AlertServices = BuildAlertServices();
    }

    /// <summary>A second, independent set of alert services on the same database and clock (a second server); the caller disposes it.</summary>
    public ServiceProvider NewAlertServices() => BuildAlertServices();

    private ServiceProvider BuildAlertServices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_alertSettings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<Microsoft.EntityFrameworkCore.IDbContextFactory<WallboardDbContext>>(Database);
        services.AddSingleton<AuditLog>();
        services.AddWallboardAlertServices(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>Every change published so far.</summary>
    public List<CallbackChange> Published { get; } = [];

    public int Lakeside => Credentials.Stores[0].Id;

    public int Bayview => Credentials.Stores[1].Id;

    /// <summary>A new world; its clock starts at <paramref name="start"/> (Tuesday 14:00 unless told) and only moves forward.</summary>
    public static async Task<CallbackWorld> CreateAsync(
        DateTimeOffset? start = null, IReadOnlyDictionary<string, string?>? alertSettings = null, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Wallboard:DataDirectory"] = database.Folder })
            .Build();
        await new DemoSeeder(database, configuration, TimeProvider.System, NullLogger<DemoSeeder>.Instance).SeedIfEmptyAsync(CancellationToken.None);
        var json = await File.ReadAllTextAsync(Path.Combine(database.Folder, DemoSeeder.CredentialsFileName));
        return new CallbackWorld(database, JsonSerializer.Deserialize<DemoCredentials>(json, JsonSerializerOptions.Web)!, start ?? Tuesday2pm, alertSettings);
    }

    /// <summary>Moves the clock forward to <paramref name="at"/>, firing the timers due on the way.</summary>
    public void AdvanceTo(DateTimeOffset at) => Time.Advance(at - Time.GetUtcNow());

    /// <summary>The user a demo token stands for: a salesperson by name, or a store's manager.</summary>
    public async Task<CallbackUser> UserAsync(string name)
    {
        return (await Users.FromPrincipalAsync(await PrincipalAsync(name), CancellationToken.None))!;
    }

    public string TokenOf(string name) => Credentials.ApiTokens.Single(t => t.Name == name).Token;

    /// <summary>The claims a demo token gives (an account of the same person carries the same).</summary>
    public async Task<System.Security.Claims.ClaimsPrincipal> PrincipalAsync(string name)
    {
        await using var db = Database.CreateDbContext();
        return (await Web.Auth.BearerTokenAuthentication.PrincipalOfAsync(db, TokenOf(name), CancellationToken.None))!;
    }

    public Task<CallbackUser> ManagerAsync(int storeId) =>
        UserAsync(Credentials.ApiTokens.Single(t => t.Role == "Manager" && t.StoreId == storeId).Name);

    /// <summary>Stores a finished sales call at Lakeside (or <paramref name="storeId"/>) and returns its id.</summary>
    public async Task<long> AddCallAsync(string? caller, CallOutcome outcome, DateTimeOffset endedAt, int? storeId = null, bool withheld = false, Department department = Department.Sales)
    {
        await using var db = Database.CreateDbContext();
        var store = storeId ?? Lakeside;
        var source = await db.LeadSources.Where(s => s.StoreId == store && s.Name == "Cars.com").Select(s => s.Id).SingleAsync();
        var number = await db.TrackingNumbers.Where(n => n.StoreId == store && n.Label == "Cars.com listing").Select(n => n.Id).SingleAsync();
        var call = new Call
        {
            ExternalId = $"world-{Interlocked.Increment(ref _nextCall)}",
            IntegrationId = Credentials.Integration.Id,
            StoreId = store,
            Department = department,
            LeadSourceId = source,
            TrackingNumberId = number,
            CallerE164 = caller,
            CallerRaw = caller ?? (withheld ? "anonymous" : null),
            CallerWithheld = withheld,
            StartedAt = endedAt.AddMinutes(-1),
            AnsweredAt = outcome == CallOutcome.Connected ? endedAt.AddSeconds(-50) : null,
            EndedAt = endedAt,
            LastEventAt = endedAt,
            Phase = CallPhase.Ended,
            Outcome = outcome,
        };
        db.Calls.Add(call);
        await db.SaveChangesAsync();
        return call.Id;
    }

    /// <summary>A missed call at Lakeside, turned into a call-back as the live path does; returns the call-back's id.</summary>
    public async Task<long> MissedAsync(string? caller, DateTimeOffset? endedAt = null, bool withheld = false)
    {
        var call = await AddCallAsync(caller, CallOutcome.Abandoned, endedAt ?? Time.GetUtcNow(), withheld: withheld);
        await Intake.ProcessAsync([call], CancellationToken.None);
        await using var db = Database.CreateDbContext();
        return await db.CallbackCalls.Where(l => l.CallId == call).Select(l => l.CallbackId).SingleAsync();
    }

    public async Task<Callback> LoadAsync(long id)
    {
        await using var db = Database.CreateDbContext();
        return await db.Callbacks.AsNoTracking().Include(c => c.Calls).Include(c => c.Attempts).Include(c => c.Transitions).SingleAsync(c => c.Id == id);
    }

    public async ValueTask DisposeAsync()
    {
        await AlertServices.DisposeAsync();
        await Database.DisposeAsync();
    }
}
