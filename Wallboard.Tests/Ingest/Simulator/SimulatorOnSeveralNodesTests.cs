using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Wallboard.Domain.Calls;
using Wallboard.Tests.Data;
using Wallboard.Web.Cluster;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest.Simulator;

namespace Wallboard.Tests.Ingest.Simulator;

/// <summary>
/// Two app nodes on one PostgreSQL demo database, both with the simulator on (as a demo deployed
/// on several nodes has it): one plays, the other waits, and it takes over when the first loses its
/// database session (as when it dies) or stops, so the demo's calls are never doubled nor stopped.
/// </summary>
public sealed class SimulatorOnSeveralNodesTests
{
    /// <summary>Wednesday 2 December 2026, 09:30 in Chicago and 10:30 in Tampa: both showrooms open.</summary>
    private static readonly DateTimeOffset Morning = new(2026, 12, 2, 15, 30, 0, TimeSpan.Zero);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task One_node_plays_the_demo_and_another_takes_over_when_it_loses_its_session_or_stops()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Wallboard:DataDirectory"] = database.Folder })
            .Build();
        await new DemoSeeder(database, configuration, TimeProvider.System, NullLogger<DemoSeeder>.Instance).SeedIfEmptyAsync(CancellationToken.None);
        var options = new ClusterOptions { LeaseInterval = TimeSpan.FromMilliseconds(200) };
        await using var a = new Node(database, new ClusterNode(database.ConnectionString, options), seed: 1);
        await using var b = new Node(database, new ClusterNode(database.ConnectionString, options), seed: 2);

        await a.Simulator.StartAsync(CancellationToken.None);
        Assert.True(await a.Simulator.Running.WaitAsync(Patience));
        await b.Simulator.StartAsync(CancellationToken.None);
        await b.Log.WaitForAsync("Another node holds the call simulator lease", 1, Patience);

        // A morning's first hour at 60x: A plays it, B sends nothing.
        a.Run(TimeSpan.FromMinutes(1));
        b.Run(TimeSpan.FromMinutes(1));
        await a.Pipeline.WaitUntilAsync(p => p.CompleteCalls >= 3, Patience);
        Assert.True(a.Simulator.Playing);
        Assert.False(b.Simulator.Playing);
        Assert.False(b.Simulator.Running.IsCompleted);
        Assert.Empty(b.Pipeline.Events);

        // A's session ends (a node killed, a cut connection): B takes over, A ends its calls and waits.
        await TerminateLeaseSessionAsync(database.ConnectionString, a.Cluster.Id);
        await a.Log.WaitForAsync("Lost the call simulator lease", 1, Patience);
        Assert.True(await b.Simulator.Running.WaitAsync(Patience));
        await a.Log.WaitForAsync("Another node holds the call simulator lease", 1, Patience);
        Assert.False(a.Simulator.Playing);
        Assert.Equal(0, a.Simulator.CallsInFlight);
        var fromA = a.Pipeline.Events;
        Assert.All(fromA.GroupBy(e => e.Event.CallId), call => Assert.Contains(call, e => e.Event.Type == CallEventType.Ended));

        b.Run(TimeSpan.FromMinutes(1));
        a.Run(TimeSpan.FromMinutes(1));
        await b.Pipeline.WaitUntilAsync(p => p.CompleteCalls >= 3, Patience);
        Assert.Equal(fromA.Count, a.Pipeline.Events.Count);

        // B stops (a deploy): A plays again.
        await b.Simulator.StopAsync(CancellationToken.None);
        await a.Log.WaitForAsync($"Node {a.Cluster.Id} holds the call simulator lease", 2, Patience);
        await a.Simulator.WhenPlaying.WaitAsync(Patience);
        var beforeTakeOver = a.Pipeline.Events.Count;
        a.Run(TimeSpan.FromMinutes(1));
        await a.Pipeline.WaitUntilAsync(p => p.Events.Count > beforeTakeOver, Patience);
        Assert.True(a.Simulator.Playing);
    }

    private static async Task TerminateLeaseSessionAsync(string connectionString, string nodeId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var kill = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", connection)
        {
            Parameters = { new() { Value = $"wallboard-lease-{nodeId}" } },
        };
        Assert.Equal(1L, await kill.ExecuteScalarAsync());
    }

    /// <summary>One node's simulator: its own clock, pipeline, cluster identity and lease log.</summary>
    private sealed class Node : IAsyncDisposable
    {
        public Node(TestDatabase database, ClusterNode cluster, int seed)
        {
            Cluster = cluster;
            Simulator = new CallSimulator(database, Pipeline, Options.Create(new SimulatorOptions { Speed = 60, Seed = seed }),
                new ClusterLeases(TimeProvider.System, Log, cluster), Time, NullLogger<CallSimulator>.Instance);
        }

        public ClusterNode Cluster { get; }

        public FakeTimeProvider Time { get; } = new(Morning);

        public RecordingPipeline Pipeline { get; } = new();

        public WaitingLogger<ClusterLeases> Log { get; } = new();

        public CallSimulator Simulator { get; }

        /// <summary>Moves this node's clock on, a second at a time.</summary>
        public void Run(TimeSpan span)
        {
            for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += TimeSpan.FromSeconds(1))
            {
                Time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Simulator.StopAsync(CancellationToken.None);
            Simulator.Dispose();
            await Cluster.DisposeAsync();
        }
    }
}

/// <summary>A logger a test can wait on: until an entry containing some text has been written so many times.</summary>
internal sealed class WaitingLogger<T> : ILogger<T>
{
    private readonly Lock _gate = new();
    private readonly List<string> _messages = [];
    private readonly List<(string Text, int Times, TaskCompletionSource Done)> _waiters = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            _messages.Add(formatter(state, exception));
            Notify();
        }
    }

    public Task WaitForAsync(string text, int times, TimeSpan limit)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((text, times, done));
            Notify();
        }

        return done.Task.WaitAsync(limit);
    }

    private void Notify()
    {
        foreach (var waiter in _waiters.ToList())
        {
            if (_messages.Count(m => m.Contains(waiter.Text, StringComparison.Ordinal)) >= waiter.Times)
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }
}
