using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Data;
using Wallboard.Web.Cluster;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;
using Wallboard.Web.Ingest.Simulator;

namespace Wallboard.Tests.Ingest.Simulator;

public class CallSimulatorTests
{
    /// <summary>Wednesday 2 December 2026, 09:30 in Chicago and 10:30 in Tampa: both showrooms open.</summary>
    private static readonly DateTimeOffset Morning = new(2026, 12, 2, 15, 30, 0, TimeSpan.Zero);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static async Task<TestDatabase> DemoDatabaseAsync()
    {
        var database = await TestDatabase.CreateAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Wallboard:DataDirectory"] = database.Folder })
            .Build();
        await new DemoSeeder(database, configuration, TimeProvider.System, NullLogger<DemoSeeder>.Instance).SeedIfEmptyAsync(CancellationToken.None);
        return database;
    }

    private static CallSimulator Simulator(
        TestDatabase database, IIngestPipeline pipeline, TimeProvider time, SimulatorOptions options, ILogger<CallSimulator>? logger = null) =>
        new(database, pipeline, Options.Create(options), new ClusterLeases(time, NullLogger<ClusterLeases>.Instance), time, logger ?? NullLogger<CallSimulator>.Instance);

    private static void Run(FakeTimeProvider time, TimeSpan span, TimeSpan step)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += step)
        {
            time.Advance(step);
        }
    }

    [Fact]
    public async Task On_the_demo_database_the_simulator_plays_calls_of_every_store_through_the_pipeline_as_the_clock_runs()
    {
        await using var database = await DemoDatabaseAsync();
        var time = new FakeTimeProvider(Morning);
        var pipeline = new RecordingPipeline();
        var simulator = Simulator(database, pipeline, time, new SimulatorOptions { Speed = 60, Seed = 1 });

        await simulator.StartAsync(CancellationToken.None);
        Assert.True(await simulator.Running.WaitAsync(Patience));
        // Four minutes at 60x: four hours of a morning.
        Run(time, TimeSpan.FromMinutes(4), TimeSpan.FromSeconds(1));
        await pipeline.WaitUntilAsync(p => p.CompleteCalls >= 60, Patience);
        await simulator.StopAsync(CancellationToken.None);

        await using var db = database.CreateDbContext();
        var integration = await db.Integrations.SingleAsync(i => i.Kind == IntegrationKind.JsonApi);
        var numbers = await db.TrackingNumbers.ToListAsync();
        var events = pipeline.Events;
        Assert.All(events, e => Assert.Equal(integration.Id, e.IntegrationId));
        // Stamped in real time, as they were sent: not four simulated hours ahead.
        Assert.All(events, e => Assert.InRange(e.Event.At, Morning, time.GetUtcNow()));

        var dialled = events.Where(e => e.Event.Type == CallEventType.Started).Select(e => e.Event.To!).ToHashSet();
        Assert.All(dialled, to => Assert.Contains(numbers, n => n.E164 == to));
        Assert.Equal(2, numbers.Where(n => dialled.Contains(n.E164)).Select(n => n.StoreId).Distinct().Count());
        Assert.Contains(numbers, n => n.Department == Department.Service && dialled.Contains(n.E164));

        var extensions = await db.AgentIdentities.Where(i => i.IntegrationId == integration.Id).Select(i => i.Identity).ToListAsync();
        var rung = events.Where(e => e.Event.Type == CallEventType.Ringing).Select(e => e.Event.Agent!).ToHashSet();
        Assert.Contains("101", rung);
        Assert.Contains("201", rung);
        Assert.All(rung, agent => Assert.True(extensions.Contains(agent) || agent.Contains("-service-", StringComparison.Ordinal), agent));

        var outcomes = new List<CallOutcome>();
        foreach (var call in events.Select(e => e.Event).GroupBy(e => e.CallId))
        {
            var sent = call.ToList();
            Assert.Equal(CallEventType.Started, sent[0].Type);
            Assert.All(sent.Zip(sent.Skip(1)), pair => Assert.True(pair.First.At <= pair.Second.At));
            if (sent[^1].Type == CallEventType.Ended)
            {
                outcomes.Add(CallState.Project(sent).Outcome(TimeSpan.FromSeconds(5))!.Value);
            }
        }

        Assert.Contains(CallOutcome.Connected, outcomes);
        Assert.Contains(CallOutcome.Abandoned, outcomes);
    }

    [Fact]
    public void Calls_arrive_on_the_fast_clock_but_each_plays_in_real_time()
    {
        var time = new FakeTimeProvider(Morning);
        var clock = new SimulationClock(time, speed: 20);

        Assert.Equal(Morning.AddMinutes(1), clock.ToReal(Morning.AddMinutes(20)));
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(Morning.AddHours(1), clock.SimulatedNow);
    }

    [Fact]
    public async Task At_sixty_times_speed_rings_holds_and_abandons_keep_their_real_length()
    {
        await using var database = await DemoDatabaseAsync();
        var time = new FakeTimeProvider(Morning);
        var pipeline = new RecordingPipeline();
        var simulator = Simulator(database, pipeline, time, new SimulatorOptions { Speed = 60, Seed = 6 });

        await simulator.StartAsync(CancellationToken.None);
        Assert.True(await simulator.Running.WaitAsync(Patience));
        Run(time, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1));
        await pipeline.WaitUntilAsync(p => p.CompleteCalls >= 100, Patience);
        await simulator.StopAsync(CancellationToken.None);

        var calls = pipeline.Events.Select(e => e.Event).GroupBy(e => e.CallId).Select(g => CallState.Project(g)).ToList();
        var ringOuts = calls.SelectMany(c => c.Rings).Where(r => r.Result == RingResult.NoAnswer).ToList();
        Assert.NotEmpty(ringOuts);
        Assert.All(ringOuts, r => Assert.InRange(r.Duration!.Value.TotalSeconds, 15, 20));
        var talks = calls.Where(c => c.TalkTime is not null).Select(c => c.TalkTime!.Value).ToList();
        Assert.True(talks.Average(t => t.TotalSeconds) > 60, "talk times are minutes, not seconds");
        // Far more calls than one real ten-minute stretch would bring: they arrive at 60x.
        Assert.True(calls.Count > 100);
    }

    [Fact]
    public async Task Many_calls_are_in_progress_at_once_at_a_busy_hour()
    {
        await using var database = await DemoDatabaseAsync();
        var time = new FakeTimeProvider(Morning.AddMinutes(30));
        var pipeline = new RecordingPipeline();
        var simulator = Simulator(database, pipeline, time, new SimulatorOptions { Speed = 1, Seed = 2, SalesCallsPerOpenDay = 600 });

        await simulator.StartAsync(CancellationToken.None);
        Assert.True(await simulator.Running.WaitAsync(Patience));
        Run(time, TimeSpan.FromMinutes(20), TimeSpan.FromSeconds(1));
        await pipeline.WaitUntilAsync(p => p.CompleteCalls >= 20, Patience);
        await simulator.StopAsync(CancellationToken.None);

        // The most calls open at one instant, from their own start and end times.
        var open = 0;
        var most = 0;
        foreach (var e in pipeline.Events.Select(e => e.Event).Where(e => e.Type is CallEventType.Started or CallEventType.Ended).OrderBy(e => e.At).ThenBy(e => e.Type))
        {
            open += e.Type == CallEventType.Started ? 1 : -1;
            most = Math.Max(most, open);
        }

        Assert.True(most >= 3, $"at most {most} calls at once");
    }

    [Fact]
    public async Task Submit_failures_are_logged_and_the_simulator_plays_on()
    {
        await using var database = await DemoDatabaseAsync();
        var time = new FakeTimeProvider(Morning);
        var pipeline = new RecordingPipeline(failSubmission: n => n % 4 == 0);
        var logger = new RecordingLogger<CallSimulator>();
        var simulator = Simulator(database, pipeline, time, new SimulatorOptions { Speed = 60, Seed = 3 }, logger);

        await simulator.StartAsync(CancellationToken.None);
        Assert.True(await simulator.Running.WaitAsync(Patience));
        Run(time, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1));
        await pipeline.WaitUntilAsync(p => p.CompleteCalls >= 20 && p.Failures >= 10, Patience);

        Assert.False(simulator.ExecuteTask!.IsCompleted);
        Assert.True(logger.Count(LogLevel.Warning) >= 10);
        await simulator.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Stopping_the_app_ends_every_call_in_progress()
    {
        await using var database = await DemoDatabaseAsync();
        var time = new FakeTimeProvider(Morning);
        var pipeline = new RecordingPipeline();
        var simulator = Simulator(database, pipeline, time, new SimulatorOptions { Speed = 20, Seed = 4, SalesCallsPerOpenDay = 2_000 });

        await simulator.StartAsync(CancellationToken.None);
        Assert.True(await simulator.Running.WaitAsync(Patience));
        Run(time, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1));
        await pipeline.WaitUntilAsync(p => OpenCalls(p).Count > 0, Patience);
        await simulator.StopAsync(CancellationToken.None);

        Assert.Empty(OpenCalls(pipeline));
        var closed = pipeline.Events.Select(e => e.Event).Where(e => e.EventId.EndsWith("-closed", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(closed);
        Assert.All(closed, e => Assert.Equal(time.GetUtcNow(), e.At));
        Assert.Equal(0, simulator.CallsInFlight);
    }

    [Fact]
    public async Task Left_unset_the_simulator_stays_off_on_a_database_that_is_not_the_demo()
    {
        await using var database = await TestDatabase.CreateAsync();
        await AddStoreAsync(database, "northside-ford");
        var pipeline = new RecordingPipeline();
        var simulator = Simulator(database, pipeline, new FakeTimeProvider(Morning), new SimulatorOptions());

        await simulator.StartAsync(CancellationToken.None);

        Assert.False(await simulator.Running.WaitAsync(Patience));
        await simulator.StopAsync(CancellationToken.None);
        Assert.Empty(pipeline.Events);
    }

    [Fact]
    public async Task Enabled_false_keeps_the_simulator_off_even_on_the_demo()
    {
        await using var database = await DemoDatabaseAsync();
        var simulator = Simulator(database, new RecordingPipeline(), new FakeTimeProvider(Morning), new SimulatorOptions { Enabled = false });

        await simulator.StartAsync(CancellationToken.None);

        Assert.False(await simulator.Running.WaitAsync(Patience));
        await simulator.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Enabled_true_plays_traffic_on_any_database()
    {
        await using var database = await TestDatabase.CreateAsync();
        await AddStoreAsync(database, "northside-ford");
        var time = new FakeTimeProvider(Morning);
        var pipeline = new RecordingPipeline();
        var simulator = Simulator(database, pipeline, time, new SimulatorOptions { Enabled = true, Speed = 60, Seed = 5 });

        await simulator.StartAsync(CancellationToken.None);
        Assert.True(await simulator.Running.WaitAsync(Patience));
        Run(time, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(1));
        await pipeline.WaitUntilAsync(p => p.CompleteCalls >= 5, Patience);
        await simulator.StopAsync(CancellationToken.None);

        Assert.All(pipeline.Events.Where(e => e.Event.Type == CallEventType.Ringing), e => Assert.Equal("301", e.Event.Agent));
    }

    [Fact]
    public async Task Setup_reads_each_stores_numbers_and_rings_salespeople_by_extension_without_managers()
    {
        await using var database = await DemoDatabaseAsync();
        await using var db = database.CreateDbContext();

        Assert.True(await SimulatorSetup.IsDemoDatabaseAsync(db, CancellationToken.None));
        var setup = await SimulatorSetup.LoadAsync(db, CancellationToken.None);

        Assert.NotNull(setup);
        Assert.Equal(IntegrationKind.JsonApi, (await db.Integrations.FindAsync(setup.IntegrationId))!.Kind);
        Assert.Equal(2, setup.Stores.Count);
        var lakeside = setup.Stores.Single(s => s.Slug == "lakeside-toyota");
        Assert.Equal(["101", "102", "103", "104", "105"], lakeside.SalesAgents);
        Assert.Equal("630", lakeside.AreaCode);
        Assert.Equal(9, lakeside.LinesOf(Department.Sales).Count);
        Assert.Single(lakeside.LinesOf(Department.Service));
        Assert.Contains(lakeside.Lines, l => l.Source == "Radio");
        Assert.True(lakeside.Calendar.IsOpen(Morning, Department.Sales));
    }

    [Fact]
    public void Settings_bind_from_configuration_and_a_speed_of_zero_is_refused()
    {
        static SimulatorOptions Bind(Dictionary<string, string?> values)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(values);
            builder.AddWallboardSimulator();
            using var host = builder.Build();
            return host.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        }

        var unset = Bind([]);
        Assert.Null(unset.Enabled);
        Assert.Equal(1, unset.Speed);
        Assert.Equal(120, unset.SalesCallsPerOpenDay);

        var set = Bind(new() { ["Wallboard:Simulator:Enabled"] = "true", ["Wallboard:Simulator:Speed"] = "20" });
        Assert.True(set.Enabled);
        Assert.Equal(20, set.Speed);

        Assert.Throws<OptionsValidationException>(() => Bind(new() { ["Wallboard:Simulator:Speed"] = "0" }));
    }

    private static List<string> OpenCalls(RecordingPipeline pipeline) =>
        pipeline.Events.Select(e => e.Event).GroupBy(e => e.CallId)
            .Where(g => !g.Any(e => e.Type == CallEventType.Ended))
            .Select(g => g.Key)
            .ToList();

    private static async Task AddStoreAsync(TestDatabase database, string slug)
    {
        await using var db = database.CreateDbContext();
        var store = new Store { Name = "Northside Ford", Slug = slug, TimeZoneId = "America/Chicago" };
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            store.BusinessHours.Add(new BusinessHours { Department = Department.Sales, Day = day, Opens = new TimeOnly(8, 0), Closes = new TimeOnly(21, 0) });
        }

        db.Stores.Add(store);
        await db.SaveChangesAsync();
        var integration = new Integration { Name = "Northside PBX", Kind = IntegrationKind.JsonApi, DefaultStoreId = store.Id };
        var source = new LeadSource { StoreId = store.Id, Name = "Main line" };
        db.AddRange(integration, source);
        await db.SaveChangesAsync();
        db.TrackingNumbers.Add(new TrackingNumber { E164 = "+13125550100", StoreId = store.Id, LeadSourceId = source.Id });
        var person = new Salesperson { StoreId = store.Id, Name = "Pat Doyle" };
        person.Identities.Add(new AgentIdentity { IntegrationId = integration.Id, Identity = "SIP/301" });
        person.Identities.Add(new AgentIdentity { IntegrationId = integration.Id, Identity = "301" });
        db.Salespeople.Add(person);
        await db.SaveChangesAsync();
    }
}
