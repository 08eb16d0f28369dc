using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Web.Cluster;
using Wallboard.Web.Data;

namespace Wallboard.Web.Ingest.Simulator;

/// <summary>
/// Plays realistic dealership traffic for every store through the ingest pipeline (§8), as the
/// demo phone system would post it, so a new install shows a live board at once. Each store's
/// sales and service lines are independent streams of calls, arriving on a clock that runs
/// <see cref="SimulatorOptions.Speed"/> times faster than real time; each call's events are sent
/// and stamped at the real moment they happen, many calls at a time (see <see cref="SimulationClock"/>).
/// Several app nodes on one database play it once: the node that holds the simulator's lease
/// (<see cref="ClusterLeases"/>) plays, the others wait and one of them takes over if it stops.
/// </summary>
public sealed partial class CallSimulator(
    IDbContextFactory<WallboardDbContext> dbFactory,
    IIngestPipeline pipeline,
    IOptions<SimulatorOptions> options,
    ClusterLeases leases,
    TimeProvider time,
    ILogger<CallSimulator> logger) : BackgroundService
{
    /// <summary>The simulator's lease: an advisory lock key of its own ("WBSimula").</summary>
    public const long LeaseKey = 0x5742_5369_6D75_6C61;

    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Task> _calls = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<bool> _running = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile TaskCompletionSource _playing = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes once the simulator has decided: true when it plays traffic, false when it is off
    /// (or stopped while another node played).
    /// </summary>
    internal Task<bool> Running => _running.Task;

    /// <summary>Whether this node plays right now (it holds the lease and its streams run).</summary>
    internal bool Playing => _playing.Task.IsCompleted;

    /// <summary>Completes when this node's streams run (at once if they do now).</summary>
    internal Task WhenPlaying => _playing.Task;

    /// <summary>Calls in progress right now.</summary>
    internal int CallsInFlight => _calls.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (!await IsOnAsync(stoppingToken))
            {
                _running.TrySetResult(false);
                return;
            }

            // One node plays: the lease is held for as long as this node plays, and taken again
            // after a loss (its connection failed; another node may have taken over meanwhile).
            var lost = false;
            while (!stoppingToken.IsCancellationRequested)
            {
                await using var lease = await leases.AcquireAsync(LeaseKey, "call simulator", stoppingToken, afterLoss: lost);
                using var playing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
                var setup = await PrepareAsync(stoppingToken);
                if (setup is null)
                {
                    _running.TrySetResult(false);
                    return;
                }

                try
                {
                    await PlayAsync(setup, playing.Token);
                }
                catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                {
                    // The lease is gone: stop here, and wait to take it again.
                }
                finally
                {
                    _playing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    // Calls this node started end before another node may start its own.
                    await Task.WhenAll(_calls.Values);
                }

                if (!lease.Lost.IsCancellationRequested)
                {
                    // The streams ended by themselves (no store has traffic): nothing to take over.
                    return;
                }

                lost = true;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            // A broken demo must not take the app down with it.
            LogFailed(logger, ex);
        }
        finally
        {
            _running.TrySetResult(false);
            await Task.WhenAll(_calls.Values);
        }
    }

    // Switched on, or left to the default and on the seeded demo.
    private async Task<bool> IsOnAsync(CancellationToken ct)
    {
        var settings = options.Value;
        if (settings.Enabled is false)
        {
            LogOff(logger, $"{SimulatorOptions.SectionName}:Enabled is false");
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (settings.Enabled is null && !await SimulatorSetup.IsDemoDatabaseAsync(db, ct))
        {
            LogOff(logger, $"the database is not the seeded demo; set {SimulatorOptions.SectionName}:Enabled=true to play traffic anyway");
            return false;
        }

        return true;
    }

    private async Task<SimulatorSetup?> PrepareAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var setup = await SimulatorSetup.LoadAsync(db, ct);
        if (setup is null || setup.Stores.Count == 0)
        {
            LogOff(logger, "there is no enabled JSON API integration, or no store with a tracking number");
            return null;
        }

        return setup;
    }

    private async Task PlayAsync(SimulatorSetup setup, CancellationToken ct)
    {
        var settings = options.Value;
        var seeds = new Random(settings.Seed ?? RandomNumberGenerator.GetInt32(int.MaxValue));
        // Call ids must differ from every earlier run's, or the pipeline would drop them as repeats.
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

        await SimulatedHistory.PlayAsync(setup, settings, pipeline, dbFactory, time.GetUtcNow(), seeds, run, logger, ct);

        var streams = new List<Task>();
        foreach (var store in setup.Stores)
        {
            var clock = new SimulationClock(time, settings.Speed, SimulatedStart(store, settings));
            foreach (var (department, perDay) in new[] { (Department.Sales, settings.SalesCallsPerOpenDay), (Department.Service, settings.ServiceCallsPerOpenDay) })
            {
                if (perDay <= 0 || store.LinesOf(department).Count == 0)
                {
                    continue;
                }

                var random = new Random(seeds.Next());
                var traffic = new TrafficModel(store.Calendar, department, perDay, clock.SimulatedNow);
                var generator = new CallScriptGenerator(store, department, random, $"sim-{run}");
                streams.Add(RunStreamAsync(setup.IntegrationId, traffic, generator, random, clock, ct));
            }
        }

        LogPlaying(logger, setup.Stores.Count, settings.Speed, setup.IntegrationId);
        _playing.TrySetResult();
        _running.TrySetResult(true);
        await Task.WhenAll(streams);
    }

    private DateTimeOffset? SimulatedStart(SimulatedStore store, SimulatorOptions settings)
    {
        var now = time.GetUtcNow();
        if (!settings.StartDuringBusinessHours || store.Calendar.IsOpen(now, Department.Sales))
        {
            return null;
        }

        return store.Calendar.NextOpening(now, Department.Sales) is { } opening ? opening.AddHours(1) : null;
    }

    // One store's department: wait for the next arrival, write its call, play it, and on.
    private async Task RunStreamAsync(
        int integrationId, TrafficModel traffic, CallScriptGenerator generator, Random random, SimulationClock clock, CancellationToken ct)
    {
        try
        {
            // Arrivals chain from the previous one, never from "now", so a late wake-up loses no call.
            var at = clock.SimulatedNow;
            while (traffic.NextArrival(at, random) is { } next)
            {
                at = next;
                await clock.WaitUntilAsync(clock.ToReal(at), ct);
                var script = generator.Next(at);
                var call = PlayCallAsync(integrationId, script, clock, ct);
                _calls[script.CallId] = call;
                _ = call.ContinueWith(
                    _ => _calls.TryRemove(script.CallId, out var _),
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            // One broken stream stops alone; the other stores play on.
            LogFailed(logger, ex);
        }
    }

    private async Task PlayCallAsync(int integrationId, CallScript script, SimulationClock clock, CancellationToken ct)
    {
        var sent = 0;
        var answered = false;
        // The call arrives on the simulated clock and plays in real time from there.
        var realStart = clock.ToReal(script.Start);
        try
        {
            var i = 0;
            while (i < script.Events.Count)
            {
                // Events of the same instant go together, as a phone system batches them.
                var simulatedAt = script.Events[i].At;
                var realAt = realStart + (simulatedAt - script.Start);
                var batch = new List<CallEvent>();
                for (; i < script.Events.Count && script.Events[i].At == simulatedAt; i++)
                {
                    batch.Add(script.Events[i] with { At = realAt });
                }

                await clock.WaitUntilAsync(realAt, ct);
                await SubmitAsync(integrationId, script.CallId, batch, ct);
                sent += batch.Count;
                answered |= batch.Any(e => e.Type == CallEventType.Answered);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            if (sent > 0)
            {
                await CloseAsync(integrationId, script, answered);
            }
        }
    }

    // The app is stopping mid-call: end the call now, so no row is left waiting on a board until
    // the stale-call sweep closes it hours later.
    private async Task CloseAsync(int integrationId, CallScript script, bool answered)
    {
        using var grace = new CancellationTokenSource(ShutdownGrace, time);
        var end = new CallEvent
        {
            EventId = script.CallId + "-closed",
            CallId = script.CallId,
            Type = CallEventType.Ended,
            At = time.GetUtcNow(),
            EndedBy = answered ? CallEndedBy.Agent : CallEndedBy.System,
        };
        try
        {
            await pipeline.SubmitAsync(integrationId, [end], grace.Token);
        }
        catch (Exception ex)
        {
            LogCloseFailed(logger, script.CallId, ex.Message);
        }
    }

    private async Task SubmitAsync(int integrationId, string callId, List<CallEvent> batch, CancellationToken ct)
    {
        // The same contract as every adapter: an event the API's reader would refuse is not sent.
        foreach (var unreadable in batch.Where(e => CallEventJson.Check(e) is not null).ToList())
        {
            LogUnreadable(logger, callId, unreadable.EventId, CallEventJson.Check(unreadable)!);
            batch.Remove(unreadable);
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await pipeline.SubmitAsync(integrationId, batch, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The call goes on without these events; the stale-call sweep closes it if its end is lost.
            LogSubmitFailed(logger, callId, batch[0].Type.ToWireName(), ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call simulator is off: {Reason}")]
    private static partial void LogOff(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call simulator is playing traffic for {StoreCount} stores at {Speed}x as integration {IntegrationId}")]
    private static partial void LogPlaying(ILogger logger, int storeCount, double speed, int integrationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call simulator could not submit {EventType} of call {CallId}")]
    private static partial void LogSubmitFailed(ILogger logger, string callId, string eventType, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call simulator made event {EventId} of call {CallId} that the event reader refuses: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string callId, string eventId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call simulator could not end call {CallId} on shutdown: {Reason}")]
    private static partial void LogCloseFailed(ILogger logger, string callId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call simulator stopped after an error")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
