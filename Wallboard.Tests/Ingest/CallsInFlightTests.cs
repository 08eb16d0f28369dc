using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wallboard.Domain.Calls;
using Wallboard.Tests.Callbacks;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Web.Hosting;
using Wallboard.Web.Ingest;
using Wallboard.Web.Live;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Ingest;

/// <summary>
/// The calls ingest keeps in memory (<see cref="CallsInFlight"/>): bounded, and only ever a
/// shortcut. Through the real pipeline on a real SQLite file, a call read back after a restart or
/// after being pushed out, and events repeated or out of order, give exactly the rows a full
/// projection from the stored events gives.
/// </summary>
public abstract class CallsInFlightTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : CallsInFlightTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : CallsInFlightTests(DatabaseProvider.Postgres);

    // Lakeside Toyota's Cars.com tracking number in the demo seed.
    private const string LakesideCarsCom = "+16305550104";
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 20, 0, 0, TimeSpan.Zero);

    private CallbackWorld _world = null!;

    public async Task InitializeAsync() => _world = await CallbackWorld.CreateAsync(Start.AddMinutes(10), provider: provider);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public void Keeps_at_most_its_capacity_and_lets_the_least_recently_touched_call_go_first()
    {
        var kept = new CallsInFlight(Options.Create(new IngestOptions { CallsInMemory = 2 }));
        kept.Set(Key("a"), Entry("a"));
        kept.Set(Key("b"), Entry("b"));
        Assert.True(kept.TryGet(Key("a"), out _)); // a is now the most recently touched

        kept.Set(Key("c"), Entry("c"));

        Assert.Equal(2, kept.Count);
        Assert.True(kept.TryGet(Key("a"), out _));
        Assert.False(kept.TryGet(Key("b"), out _));
        Assert.True(kept.TryGet(Key("c"), out _));
        // The same call id of another integration is another call.
        Assert.False(kept.TryGet(new CallKey(2, "a"), out _));
    }

    [Fact]
    public void A_call_with_more_events_than_the_limit_is_not_kept_and_replacing_it_drops_the_old_entry()
    {
        var kept = new CallsInFlight(Options.Create(new IngestOptions()));
        kept.Set(Key("a"), Entry("a"));

        kept.Set(Key("a"), Entry("a", CallsInFlight.MaxEventsPerCall + 1));

        Assert.False(kept.TryGet(Key("a"), out _));
        Assert.Equal(0, kept.Count);
        Assert.Equal(0, new CallsInFlight(Options.Create(new IngestOptions { CallsInMemory = 0 })).Capacity);
    }

    [Fact]
    public async Task After_a_restart_a_call_is_read_back_from_its_stored_events_and_ends_as_a_full_projection_makes_it()
    {
        var events = Answered("restart-1").Events;
        var before = new CallsInFlight(Options.Create(new IngestOptions()));
        await using (var first = await StartAsync(before))
        {
            await SubmitEachAsync(first.Pipeline, events.Take(5));
            Assert.Equal(1, before.Count);
        }

        // A new process: nothing in memory.
        var after = new CallsInFlight(Options.Create(new IngestOptions()));
        await using (var second = await StartAsync(after))
        {
            await SubmitEachAsync(second.Pipeline, events.Skip(5));
            Assert.True(after.TryGet(Key("restart-1"), out var kept));
            Assert.Equal(events.Count, kept!.Events.Count);
        }

        var stored = await StoredAsync("restart-1");
        Assert.Equal(CallOutcome.Connected, stored.Outcome);
        Assert.Equal(1, stored.HoldCount);
        Assert.Equal(events.Count, stored.EventCount);
        Assert.Equal([RingResult.NoAnswer, RingResult.Answered], stored.Rings.Select(r => r.Result));
        await AssertAsFullProjectionAsync("restart-1");
    }

    [Fact]
    public async Task Repeated_and_out_of_order_events_with_calls_pushed_out_between_them_give_the_call_a_full_projection_gives()
    {
        var answered = Answered("shuffled-answered").Events;
        var missed = new CallBuilder("shuffled-missed", Start.AddSeconds(30))
            .Started(from: "+13125550177", to: LakesideCarsCom).Queued().Ringing("101", 1).RingNoAnswer("101", 20)
            .Ringing("102", 21).RingNoAnswer("102", 40).Voicemail(41, messageLeft: true).Ended(70).Events;

        // Both calls' events interleaved, shuffled (a fixed seed), with every third one sent twice.
        var random = new Random(12);
        var sent = answered.Concat(missed).OrderBy(_ => random.Next()).ToList();
        sent = [.. sent, .. sent.Where((_, i) => i % 3 == 0)];

        // One call in memory at a time: every switch between the calls is a miss that reads back.
        var kept = new CallsInFlight(Options.Create(new IngestOptions { CallsInMemory = 1 }));
        await using (var running = await StartAsync(kept))
        {
            var results = await SubmitEachAsync(running.Pipeline, sent);
            Assert.Equal(answered.Count + missed.Count, results.Sum(r => r.Accepted));
            Assert.Equal(sent.Count - answered.Count - missed.Count, results.Sum(r => r.Duplicates));
        }

        var answeredRow = await StoredAsync("shuffled-answered");
        var inOrder = CallState.Project(answered);
        Assert.Equal(inOrder.Outcome(TimeSpan.FromSeconds(5)), answeredRow.Outcome);
        Assert.Equal(inOrder.Rings.Count, answeredRow.Rings.Count);
        Assert.Equal(inOrder.Holds.Count, answeredRow.Holds.Count);
        Assert.Equal(CallOutcome.Voicemail, (await StoredAsync("shuffled-missed")).Outcome);
        await AssertAsFullProjectionAsync("shuffled-answered");
        await AssertAsFullProjectionAsync("shuffled-missed");
    }

    [Fact]
    public async Task A_missed_sales_call_has_its_call_back_when_its_last_event_is_acknowledged()
    {
        var events = new CallBuilder("missed-callback", Start)
            .Started(from: "+13125550188", to: LakesideCarsCom).Queued().Ringing("101", 1).RingNoAnswer("101", 25).Ended(30).Events;
        await using (var running = await StartAsync(new CallsInFlight(Options.Create(new IngestOptions())), withCallbacks: true))
        {
            await SubmitEachAsync(running.Pipeline, events);

            // Asked right after the acknowledgement, before the pipeline is stopped: the call-back
            // was committed with the event.
            await using var db = _world.Database.CreateDbContext();
            var call = await db.Calls.AsNoTracking().SingleAsync(c => c.ExternalId == "missed-callback");
            Assert.Equal(CallOutcome.Abandoned, call.Outcome);
            Assert.Equal(1, await db.CallbackCalls.CountAsync(l => l.CallId == call.Id));
        }
    }

    private static CallKey Key(string callId) => new(1, callId);

    private static CallInFlight Entry(string callId, int events = 1) => new(
        Enumerable.Range(1, events).Select(i => new CallEvent { EventId = $"{callId}-{i}", CallId = callId, Type = CallEventType.Queued, At = Start, Sequence = i }).ToList(),
        new Call { ExternalId = callId });

    private static CallBuilder Answered(string callId) => new CallBuilder(callId, Start)
        .Started(from: "+13125550142", to: LakesideCarsCom).Queued().Ringing("101", 1).RingNoAnswer("101", 15)
        .Ringing("102", 16).Answered("102", 20).HoldStarted(60).HoldEnded(90).Ended(240, CallEndedBy.Agent);

    private async Task<RunningPipeline> StartAsync(CallsInFlight kept, bool withCallbacks = false)
    {
        var pipeline = new IngestPipeline(_world.Database, new AttributionCache(_world.Database, _world.Time),
            new Notifier<CallChange>(NullLogger<Notifier<CallChange>>.Instance), _world.Time, NullLogger<IngestPipeline>.Instance,
            kept, withCallbacks ? _world.Intake : null);
        await pipeline.StartAsync(CancellationToken.None);
        return new RunningPipeline(pipeline);
    }

    private async Task<List<IngestResult>> SubmitEachAsync(IngestPipeline pipeline, IEnumerable<CallEvent> events)
    {
        var results = new List<IngestResult>();
        foreach (var e in events)
        {
            results.Add(await pipeline.SubmitAsync(_world.Credentials.Integration.Id, [e with { Sequence = 0 }], CancellationToken.None));
        }

        return results;
    }

    private async Task<Call> StoredAsync(string callId)
    {
        await using var db = _world.Database.CreateDbContext();
        var call = await db.Calls.AsNoTracking().SingleAsync(c => c.ExternalId == callId);
        call.Rings = await db.CallRings.AsNoTracking().Where(r => r.CallId == call.Id).OrderBy(r => r.Ordinal).ToListAsync();
        call.Holds = await db.CallHolds.AsNoTracking().Where(h => h.CallId == call.Id).OrderBy(h => h.Ordinal).ToListAsync();
        return call;
    }

    /// <summary>The stored row, rings and holds are exactly what projecting the call from all its stored events writes.</summary>
    private async Task AssertAsFullProjectionAsync(string callId)
    {
        var incremental = JsonSerializer.Serialize(await StoredAsync(callId));
        var directory = await new AttributionCache(_world.Database, _world.Time).GetAsync(_world.Credentials.Integration.Id, CancellationToken.None);
        await using (var db = _world.Database.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await CallProjector.ProjectAsync(db, directory!, [callId], CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.Equal(JsonSerializer.Serialize(await StoredAsync(callId)), incremental);
    }

    private sealed class RunningPipeline(IngestPipeline pipeline) : IAsyncDisposable
    {
        public IngestPipeline Pipeline { get; } = pipeline;

        public async ValueTask DisposeAsync()
        {
            await Pipeline.StopAsync(CancellationToken.None);
            Pipeline.Dispose();
        }
    }
}
