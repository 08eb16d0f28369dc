using System.Globalization;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Callbacks;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Ingest.Simulator;
using Wallboard.Web.Data;
using Wallboard.Web.Hosting;
using Wallboard.Web.Ingest;
using Wallboard.Web.Live;
using Wallboard.Web.Metrics;

namespace Wallboard.Tests.Data;

/// <summary>
/// The writers beside ingest (the call-back sweep, today's metrics refresh) while ingest writes as
/// fast as it can, on a real database file: on SQLite the ingest writer holds the file's one write
/// lock nearly all the time and takes it again at once after each commit, and every other writer
/// must still get its turn, without "database is locked", and write the right things.
/// </summary>
public abstract class WritersUnderIngestLoadTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : WritersUnderIngestLoadTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : WritersUnderIngestLoadTests(DatabaseProvider.Postgres);

    // Lakeside Toyota's Cars.com line in the demo seed.
    private const string CarsComLine = "+16305550104";
    private const int DueCallbacks = 3;

    // Submissions waiting for ingest at any time: 6,000 events, more than one commit takes (5,000).
    private const int InFlight = 1_200;

    private CallbackWorld _world = null!;

    public async Task InitializeAsync() => _world = await CallbackWorld.CreateAsync(provider: provider);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Sweep_and_metrics_refresh_write_while_ingest_writes_flat_out_without_a_lock_error()
    {
        var due = await DueCallbacksAsync();

        var callChanges = new Notifier<CallChange>(NullLogger<Notifier<CallChange>>.Instance);
        using var pipeline = new IngestPipeline(_world.Database, new AttributionCache(_world.Database, _world.Time), callChanges, _world.Time,
            NullLogger<IngestPipeline>.Instance, callbacks: _world.Intake);
        var reportsPublished = Channel.CreateUnbounded<MetricsReport>();
        var metricsChanges = new Notifier<MetricsReport>(NullLogger<Notifier<MetricsReport>>.Instance);
        using var reportsSubscription = metricsChanges.Subscribe(reports =>
        {
            foreach (var report in reports)
            {
                reportsPublished.Writer.TryWrite(report);
            }

            return ValueTask.CompletedTask;
        });
        var reports = new MetricsReports(_world.Database, metricsChanges, _world.Time, NullLogger<MetricsReports>.Instance);
        var refresherLog = new RecordingLogger<MetricsLiveRefresher>();
        // No window: the refresh runs again as soon as it is done, as long as calls keep changing.
        await using var refresher = new MetricsLiveRefresher(reports, callChanges, _world.Notifier,
            Options.Create(new MetricsOptions { TodayRefreshWindow = TimeSpan.Zero }), _world.Time, refresherLog);
        await pipeline.StartAsync(CancellationToken.None);
        await refresher.StartAsync(CancellationToken.None);

        var flood = new Flood(pipeline, _world.Credentials.Integration.Id, _world.Time.GetUtcNow());
        try
        {
            var offering = flood.RunAsync();
            await flood.Acknowledged(InFlight / 4).WaitAsync(TimeSpan.FromMinutes(2));

            // The sweep, under the flood.
            var swept = await _world.Sweep.SweepAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));
            // The flood goes on a while after, so the refresh runs under it too.
            await flood.Acknowledged(flood.Submissions + (InFlight / 2)).WaitAsync(TimeSpan.FromMinutes(2));
            flood.Stop();
            await offering;

            Assert.Equal(DueCallbacks, swept);
            foreach (var id in due)
            {
                Assert.Equal(CallbackWorld.Tuesday2pm.AddMinutes(15), (await _world.LoadAsync(id)).OverdueSince);
            }
        }
        finally
        {
            flood.Stop();
            // Stopped once its last commit is published; the refresher it asked runs after that.
            await pipeline.StopAsync(CancellationToken.None);
        }

        // Every acknowledged event is stored, every missed call of the flood has its call-back.
        await using var db = _world.Database.CreateDbContext();
        Assert.Equal(flood.Events, await db.CallEvents.CountAsync(e => e.CallId.StartsWith("flood-")));
        var floodCalls = await db.Calls.Where(c => c.ExternalId.StartsWith("flood-")).Select(c => c.Id).ToListAsync();
        Assert.Equal(flood.Calls, floodCalls.Count);
        Assert.Equal(flood.Calls, await db.CallbackCalls.CountAsync(l => floodCalls.Contains(l.CallId)));

        // Today's snapshot caught up with every call, and no refresh failed on the way.
        var zone = await db.Stores.Where(s => s.Id == _world.Lakeside).Select(s => s.TimeZoneId).SingleAsync();
        var today = MetricsWindow.Today.Period(new StoreCalendar(zone), _world.Time.GetUtcNow());
        var stored = await db.Calls.CountAsync(c => c.StoreId == _world.Lakeside && c.Department == Department.Sales
            && c.StartedAt >= today.Start && c.StartedAt < today.End);
        Assert.Equal(DueCallbacks + flood.Calls, stored);
        await WaitForReportAsync(reportsPublished.Reader, r => r.StoreId == _world.Lakeside && r.Window == MetricsWindow.Today && r.Store.Offered == stored);
        Assert.Equal(0, refresherLog.Count(LogLevel.Error));
        Assert.Equal(0, refresherLog.Count(LogLevel.Warning));
    }

    [Fact]
    public async Task A_long_read_transaction_does_not_hold_up_an_ingest_write()
    {
        // A consistent read of several statements, as a report reads its figures, left open across the write.
        await using var reader = _world.Database.CreateDbContext();
        await using var read = await reader.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var before = await reader.Calls.CountAsync();

        var callChanges = new Notifier<CallChange>(NullLogger<Notifier<CallChange>>.Instance);
        using var pipeline = new IngestPipeline(_world.Database, new AttributionCache(_world.Database, _world.Time), callChanges, _world.Time,
            NullLogger<IngestPipeline>.Instance, callbacks: _world.Intake);
        await pipeline.StartAsync(CancellationToken.None);
        try
        {
            var events = new CallBuilder("during-a-read", _world.Time.GetUtcNow().AddSeconds(-50))
                .Started(from: "+13125550999", to: CarsComLine).Queued().Ringing("101", 1).RingNoAnswer("101", 20).Ended(45).Events;
            var result = await pipeline.SubmitAsync(_world.Credentials.Integration.Id, events, CancellationToken.None);
            Assert.Equal(events.Count, result.Accepted);
        }
        finally
        {
            await pipeline.StopAsync(CancellationToken.None);
        }

        // The write committed while the read was open; the read still sees what it saw.
        Assert.Equal(before, await reader.Calls.CountAsync());
        await read.CommitAsync();
        await using var db = _world.Database.CreateDbContext();
        Assert.Equal(before + 1, await db.Calls.CountAsync());
        Assert.True(await db.Calls.AnyAsync(c => c.ExternalId == "during-a-read"));
    }

    [Fact]
    public async Task A_writer_that_takes_the_lock_back_the_moment_it_commits_does_not_starve_the_sweep_or_the_metrics()
    {
        var due = await DueCallbacksAsync();
        var reports = new MetricsReports(_world.Database, new Notifier<MetricsReport>(NullLogger<Notifier<MetricsReport>>.Instance), _world.Time,
            NullLogger<MetricsReports>.Instance);

        // What the ingest writer does at saturation: a transaction of 300 ms, committed, and the
        // next one begun on the same connection at once (its next batch is already waiting).
        using var stop = new CancellationTokenSource();
        var transactions = 0;
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busy = Task.Run(async () =>
        {
            await using var db = _world.Database.CreateDbContext();
            await db.Database.OpenConnectionAsync();
            while (!stop.IsCancellationRequested)
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                await db.Database.ExecuteSqlRawAsync("UPDATE \"Stores\" SET \"Name\" = \"Name\" WHERE \"Id\" = {0}", _world.Bayview);
                await Task.Delay(TimeSpan.FromMilliseconds(300));
                await transaction.CommitAsync();
                Interlocked.Increment(ref transactions);
                committed.TrySetResult();
            }
        });
        try
        {
            await committed.Task.WaitAsync(TimeSpan.FromMinutes(1));
            var swept = await _world.Sweep.SweepAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
            var today = await reports.ComputeAsync([MetricsWindow.Today], _world.Lakeside, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));

            Assert.Equal(DueCallbacks, swept);
            Assert.Equal(DueCallbacks, today.Single().Store.Offered);
            Assert.False(busy.IsCompleted);
        }
        finally
        {
            await stop.CancelAsync();
            await busy;
        }

        Assert.True(Volatile.Read(ref transactions) > 0);
        foreach (var id in due)
        {
            Assert.Equal(CallbackWorld.Tuesday2pm.AddMinutes(15), (await _world.LoadAsync(id)).OverdueSince);
        }
    }

    // Call-backs the sweep must mark overdue: missed at 14:00, due at 14:15, and the clock at 14:16.
    private async Task<List<long>> DueCallbacksAsync()
    {
        var due = new List<long>();
        for (var i = 0; i < DueCallbacks; i++)
        {
            due.Add(await _world.MissedAsync(string.Create(CultureInfo.InvariantCulture, $"+131255501{i:D2}")));
        }

        _world.Time.Advance(TimeSpan.FromMinutes(16));
        return due;
    }

    private static async Task WaitForReportAsync(ChannelReader<MetricsReport> published, Func<MetricsReport, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!wanted(await published.ReadAsync(timeout.Token)))
        {
        }
    }

    /// <summary>
    /// Missed sales calls offered faster than ingest takes them, as the bench offers 500 events/s to
    /// a server that keeps up with fewer: more events wait than one commit takes, so the ingest
    /// writer starts its next transaction the moment it commits the last one, and never waits.
    /// </summary>
    private sealed class Flood(IngestPipeline pipeline, int integrationId, DateTimeOffset now)
    {
        private readonly Lock _gate = new();
        private readonly List<(int Count, TaskCompletionSource Reached)> _waits = [];
        private int _submissions;
        private int _events;
        private int _calls;
        private bool _stopped;

        public int Submissions => Volatile.Read(ref _submissions);

        public int Events => Volatile.Read(ref _events);

        public int Calls => Volatile.Read(ref _calls);

        public void Stop() => Volatile.Write(ref _stopped, true);

        /// <summary>Completes once this many submissions in all were acknowledged.</summary>
        public Task Acknowledged(int count)
        {
            lock (_gate)
            {
                if (_submissions >= count)
                {
                    return Task.CompletedTask;
                }

                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waits.Add((count, reached));
                return reached.Task;
            }
        }

        /// <summary>Offers calls, one to a submission, with <see cref="InFlight"/> waiting at any time, until stopped; then waits for the last answers.</summary>
        public async Task RunAsync()
        {
            using var slots = new SemaphoreSlim(InFlight);
            var submitted = new List<Task>();
            for (var n = 1; !Volatile.Read(ref _stopped); n++)
            {
                await slots.WaitAsync();
                // Ended five seconds ago: too recent for the sweep's catch-up, which leaves it to ingest.
                var events = new CallBuilder(string.Create(CultureInfo.InvariantCulture, $"flood-{n}"), now.AddSeconds(-50))
                    .Started(from: string.Create(CultureInfo.InvariantCulture, $"+1312{556 + (n / 10000)}{n % 10000:D4}"), to: CarsComLine)
                    .Queued().Ringing("101", 1).RingNoAnswer("101", 20).Ended(45).Events;
                submitted.Add(SubmitAsync(events, slots));
            }

            await Task.WhenAll(submitted);
        }

        private async Task SubmitAsync(IReadOnlyList<CallEvent> events, SemaphoreSlim slots)
        {
            try
            {
                var result = await pipeline.SubmitAsync(integrationId, events, CancellationToken.None);
                Assert.Equal(events.Count, result.Accepted);
                Interlocked.Add(ref _events, events.Count);
                Interlocked.Increment(ref _calls);
                lock (_gate)
                {
                    _submissions++;
                    foreach (var wait in _waits.Where(w => w.Count <= _submissions).ToList())
                    {
                        wait.Reached.TrySetResult();
                        _waits.Remove(wait);
                    }
                }
            }
            finally
            {
                slots.Release();
            }
        }
    }
}
