using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Data;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;
using Wallboard.Web.Hosting;
using Wallboard.Web.Live;
using Wallboard.Web.Metrics;

namespace Wallboard.Tests.Live;

/// <summary>
/// A live board over a real, migrated SQLite database seeded with the demo dealer group, on a
/// clock the test moves. Calls go straight into the database as the ingest projection would
/// store them; <see cref="Publish"/> tells the board, as ingest does after a commit.
/// </summary>
internal sealed class BoardTestBed : IAsyncDisposable
{
    private readonly Dictionary<string, int> _agents;
    private readonly Dictionary<(int Store, string Source), int> _sources;

    private BoardTestBed(TestDatabase database, FakeTimeProvider clock, LiveBoardOptions options, int integrationId,
        Dictionary<string, int> agents, Dictionary<(int, string), int> sources, int lakeside, int bayview, ILogger<LiveBoard>? logger)
    {
        Database = database;
        Clock = clock;
        IntegrationId = integrationId;
        _agents = agents;
        _sources = sources;
        Lakeside = lakeside;
        Bayview = bayview;
        CallChanges = new Notifier<CallChange>(NullLogger<Notifier<CallChange>>.Instance);
        Notifier = new Notifier<BoardUpdate>(NullLogger<Notifier<BoardUpdate>>.Instance);
        CallbackChanges = new Notifier<CallbackChange>(NullLogger<Notifier<CallbackChange>>.Instance);
        Callbacks = new CallbackQueries(database, clock);
        MetricsChanges = new Notifier<MetricsReport>(NullLogger<Notifier<MetricsReport>>.Instance);
        Metrics = new MetricsReports(database, MetricsChanges, clock, NullLogger<MetricsReports>.Instance);
        Board = new LiveBoard(database, CallChanges, CallbackChanges, Callbacks, Notifier, MetricsChanges, clock, Options.Create(options), logger ?? NullLogger<LiveBoard>.Instance);
    }

    public TestDatabase Database { get; }

    public Notifier<MetricsReport> MetricsChanges { get; }

    public MetricsReports Metrics { get; }

    public FakeTimeProvider Clock { get; }

    public Notifier<CallChange> CallChanges { get; }

    public Notifier<CallbackChange> CallbackChanges { get; }

    public CallbackQueries Callbacks { get; }

    public Notifier<BoardUpdate> Notifier { get; }

    public LiveBoard Board { get; }

    public int IntegrationId { get; }

    /// <summary>Lakeside Toyota, America/Chicago.</summary>
    public int Lakeside { get; }

    /// <summary>Bayview Honda, America/New_York.</summary>
    public int Bayview { get; }

    public BoardKey LakesideSales => new(Lakeside, Department.Sales);

    /// <param name="window">The coalescing window; zero (the default here) builds on every request, which keeps computation tests free of the window.</param>
    /// <param name="selfCheck">The self-check's interval; zero (the default here) leaves it to the test.</param>
    public static async Task<BoardTestBed> CreateAsync(
        DateTimeOffset now, TimeSpan? window = null, TimeSpan? selfCheck = null, ILogger<LiveBoard>? logger = null, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Wallboard:DataDirectory"] = database.Folder })
            .Build();
        await new DemoSeeder(database, configuration, TimeProvider.System, NullLogger<DemoSeeder>.Instance).SeedIfEmptyAsync(CancellationToken.None);

        await using var db = database.CreateDbContext();
        var stores = await db.Stores.OrderBy(s => s.Id).ToListAsync();
        var integrationId = await db.Integrations.Where(i => i.Kind == IntegrationKind.JsonApi).Select(i => i.Id).SingleAsync();
        var agents = await db.AgentIdentities.Where(i => i.IntegrationId == integrationId).ToDictionaryAsync(i => i.Identity, i => i.SalespersonId);
        var sources = await db.LeadSources.ToDictionaryAsync(s => (s.StoreId, s.Name), s => s.Id);
        return new BoardTestBed(
            database, new FakeTimeProvider(now), new LiveBoardOptions { CoalescingWindow = window ?? TimeSpan.Zero, SelfCheckInterval = selfCheck ?? TimeSpan.Zero },
            integrationId, agents, sources, stores[0].Id, stores[1].Id, logger);
    }

    /// <summary>Starts the boards and waits until every store's sales board is open, as a running app has them.</summary>
    public async Task StartAsync()
    {
        await Board.StartAsync(CancellationToken.None);
        await Board.SalesBoardsOpened;
    }

    /// <summary>Stores a call as the ingest projection would: its events projected, attributed to a store and source ("Unknown": no source).</summary>
    public async Task<Call> AddCallAsync(CallBuilder events, int? storeId = null, string source = "Cars.com", Department department = Department.Sales) =>
        (await AddCallsAsync([events], storeId, source, department))[0];

    /// <summary>Stores many calls in one transaction.</summary>
    public async Task<List<Call>> AddCallsAsync(IEnumerable<CallBuilder> many, int? storeId = null, string source = "Cars.com", Department department = Department.Sales)
    {
        var calls = many.Select(events => NewCall(events, storeId ?? Lakeside, source, department)).ToList();
        await using var db = Database.CreateDbContext();
        db.Calls.AddRange(calls);
        await db.SaveChangesAsync();
        return calls;
    }

    private Call NewCall(CallBuilder events, int store, string source, Department department)
    {
        var state = events.Project();
        var call = new Call
        {
            ExternalId = $"{state.CallId}-{Guid.NewGuid():N}",
            IntegrationId = IntegrationId,
            StoreId = store,
            Department = department,
            LeadSourceId = source == LeadSource.UnknownName ? null : _sources[(store, source)],
        };
        call.Refresh(state, CallerNumber.Parse(state.From, "US"), new StoreSettings(), agent => _agents.TryGetValue(agent, out var id) ? id : null);
        return call;
    }

    /// <summary>Replaces a stored call with a newer projection of it (more events arrived).</summary>
    public async Task<Call> UpdateCallAsync(Call call, CallBuilder events)
    {
        await using var db = Database.CreateDbContext();
        var stored = await db.Calls.Include(c => c.Rings).Include(c => c.Holds).SingleAsync(c => c.Id == call.Id);
        stored.Refresh(events.Project(), CallerNumber.Parse(events.Project().From, "US"), new StoreSettings(), agent => _agents.TryGetValue(agent, out var id) ? id : null);
        await db.SaveChangesAsync();
        return stored;
    }

    /// <summary>Tells the board these calls changed, as the ingest pipeline does after a commit.</summary>
    public void Publish(params Call[] calls) =>
        CallChanges.Publish(calls.Select(c => new CallChange(c.Id, c.StoreId, c.Department, c.Phase, c.Outcome, c.LastEventAt)).ToList());

    /// <summary>Tells the board these calls changed with their committed state, as ingest does (no read back by id).</summary>
    public void PublishWithState(params Call[] calls) =>
        CallChanges.Publish(calls.Select(c => new CallChange(c.Id, c.StoreId, c.Department, c.Phase, c.Outcome, c.LastEventAt) { Row = c }).ToList());

    public SnapshotRecorder Record(BoardKey key, BoardAudience audience = BoardAudience.PublicScreen) => new(Notifier, key, audience);

    public async ValueTask DisposeAsync()
    {
        await Board.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>Every snapshot a board publishes for one audience, for a test to wait on.</summary>
internal sealed class SnapshotRecorder : IDisposable
{
    private readonly Channel<BoardSnapshot> _received = Channel.CreateUnbounded<BoardSnapshot>();
    private readonly IDisposable _subscription;
    private int _count;

    public SnapshotRecorder(Notifier<BoardUpdate> notifier, BoardKey key, BoardAudience audience) =>
        _subscription = notifier.Subscribe(key, audience, snapshot =>
        {
            Interlocked.Increment(ref _count);
            _received.Writer.TryWrite(snapshot);
            return ValueTask.CompletedTask;
        });

    /// <summary>How many snapshots arrived so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Waits for the first snapshot (from now on) that satisfies <paramref name="wanted"/>.</summary>
    public async Task<BoardSnapshot> WaitForAsync(Func<BoardSnapshot, bool> wanted, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            while (true)
            {
                var snapshot = await _received.Reader.ReadAsync(cts.Token);
                if (wanted(snapshot))
                {
                    return snapshot;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException("No board snapshot with the expected state arrived.");
        }
    }

    public void Dispose() => _subscription.Dispose();
}
