using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Tests.Callbacks;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Web.Data;
using Wallboard.Web.Hosting;
using Wallboard.Web.Ingest;
using Wallboard.Web.Jobs;
using Wallboard.Web.Live;
using Wallboard.Web.Privacy;

namespace Wallboard.Tests.Jobs;

/// <summary>
/// The nightly retention job on a real SQLite file: calls go in through the real ingest pipeline
/// (events stored, calls projected), the clock is a <see cref="FakeTimeProvider"/> standing on
/// 27 November 2026, and the default retention of 13 months applies.
/// </summary>
public abstract class PrivacyRetentionJobTests(DatabaseProvider provider) : IAsyncLifetime, IDisposable
{
    public sealed class OnSqlite() : PrivacyRetentionJobTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : PrivacyRetentionJobTests(DatabaseProvider.Postgres);

    private const string OldCaller = "+13125550142";
    private const string YoungCaller = "+13125550199";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private CallbackWorld _world = null!;
    private IngestPipeline _pipeline = null!;
    private PrivacyKey _key = null!;

    public async Task InitializeAsync()
    {
        _world = await CallbackWorld.CreateAsync(Now, provider: provider);
        _pipeline = new IngestPipeline(_world.Database, new AttributionCache(_world.Database, _world.Time),
            new Notifier<CallChange>(NullLogger<Notifier<CallChange>>.Instance), _world.Time, NullLogger<IngestPipeline>.Instance);
        await _pipeline.StartAsync(CancellationToken.None);
        _key = PrivacyKey.LoadOrCreate(Path.Combine(_world.Database.Folder, PrivacyKey.DefaultFileName));
    }

    public async Task DisposeAsync()
    {
        await _pipeline.StopAsync(CancellationToken.None);
        await _world.DisposeAsync();
    }

    public void Dispose()
    {
        _pipeline?.Dispose();
        GC.SuppressFinalize(this);
    }

    private PrivacyRetentionJob Job(int batchSize = 500) => new(
        _world.Database, _key, Options.Create(new PrivacyOptions { BatchSize = batchSize }), _world.Time, NullLogger<PrivacyRetentionJob>.Instance);

    /// <summary>A sales call at Lakeside (Cars.com) from <paramref name="caller"/>, with a caller id name and a recording.</summary>
    private async Task<long> IngestAsync(string callId, DateTimeOffset start, string? caller, bool answered)
    {
        var builder = new CallBuilder(callId, start).Started(from: caller, to: "+16305550104").Queued().Ringing("101", 1);
        builder = answered
            ? builder.Answered("101", 12).HoldStarted(40).HoldEnded(75).Ended(300)
            : builder.RingNoAnswer("101", 20).Ended(45);
        var events = builder.Events.Select(e => e.Type switch
        {
            CallEventType.Started => e with { CallerName = "Jane Caller" },
            CallEventType.Ended when answered => e with { RecordingUrl = "https://recordings.example.com/" + callId + ".mp3" },
            _ => e,
        }).ToList();
        var result = await _pipeline.SubmitAsync(_world.Credentials.Integration.Id, events, CancellationToken.None);
        Assert.Equal(events.Count, result.Accepted);
        await using var db = _world.Database.CreateDbContext();
        return await db.Calls.Where(c => c.ExternalId == callId).Select(c => c.Id).SingleAsync();
    }

    private sealed record Figures(
        long Id, int StoreId, Wallboard.Domain.Stores.Department Department, int? LeadSourceId, int? TrackingNumberId, DateTimeOffset StartedAt,
        DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, CallOutcome? Outcome, int? WaitSeconds, int HoldSeconds, int HoldCount,
        int? TalkSeconds, string? AnsweredByAgent, int? AnsweredBySalespersonId, bool CallerWithheld, int EventCount, bool? VoicemailMessageLeft);

    private async Task<List<Figures>> FiguresAsync()
    {
        await using var db = _world.Database.CreateDbContext();
        return await db.Calls.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new Figures(c.Id, c.StoreId, c.Department, c.LeadSourceId, c.TrackingNumberId, c.StartedAt, c.AnsweredAt, c.EndedAt,
                c.Outcome, c.WaitSeconds, c.HoldSeconds, c.HoldCount, c.TalkSeconds, c.AnsweredByAgent, c.AnsweredBySalespersonId,
                c.CallerWithheld, c.EventCount, c.VoicemailMessageLeft))
            .ToListAsync();
    }

    private async Task<(Call Call, List<string> Payloads)> LoadAsync(long id)
    {
        await using var db = _world.Database.CreateDbContext();
        var call = await db.Calls.AsNoTracking().Include(c => c.Rings).Include(c => c.Holds).SingleAsync(c => c.Id == id);
        var payloads = await db.CallEvents.AsNoTracking().Where(e => e.CallId == call.ExternalId).OrderBy(e => e.Id).Select(e => e.Payload).ToListAsync();
        return (call, payloads);
    }

    /// <summary>The missed call's call-back, finished, with a lead name, a note and a closing reason that name the caller.</summary>
    private async Task<long> FinishedCallbackAsync(long missedCallId)
    {
        await _world.Intake.ProcessAsync([missedCallId], CancellationToken.None);
        await using var db = _world.Database.CreateDbContext();
        var callback = await db.Callbacks.SingleAsync(c => c.Calls.Any(l => l.CallId == missedCallId));
        callback.Status = CallbackStatus.Closed;
        callback.LeadName = "Jane Caller";
        callback.ClosedAt = callback.LastMissedAt.AddDays(1);
        callback.ClosedReason = "Jane asked us to ring her husband on 312 555 0143";
        db.CallbackAttempts.Add(new CallbackAttempt
        {
            CallbackId = callback.Id, At = callback.LastMissedAt.AddHours(1), Outcome = AttemptOutcome.NoAnswer,
            Note = "Jane's cell is 312 555 0142, wants a Camry", By = "Mike Reynolds",
        });
        await db.SaveChangesAsync();
        return callback.Id;
    }

    [Fact]
    public async Task A_call_older_than_the_retention_is_anonymized_and_a_younger_one_is_not()
    {
        var old = await IngestAsync("old-answered", Now.AddMonths(-14), OldCaller, answered: true);
        var oldMissed = await IngestAsync("old-missed", Now.AddMonths(-14).AddDays(3), OldCaller, answered: false);
        var young = await IngestAsync("young-answered", Now.AddMonths(-12), YoungCaller, answered: true);
        var callback = await FinishedCallbackAsync(oldMissed);
        var before = await FiguresAsync();
        var youngBefore = await LoadAsync(young);

        var changed = await Job().RunAsync(CancellationToken.None);

        var (oldCall, oldPayloads) = await LoadAsync(old);
        var (oldMissedCall, oldMissedPayloads) = await LoadAsync(oldMissed);
        Assert.True(CallerPseudonym.IsPseudonym(oldCall.CallerE164), $"'{oldCall.CallerE164}' is not a pseudonym");
        // The same number is still the same caller.
        Assert.Equal(oldCall.CallerE164, oldMissedCall.CallerE164);
        Assert.Equal(_key.Pseudonym(OldCaller), oldCall.CallerE164);
        Assert.Null(oldCall.CallerRaw);
        Assert.Null(oldCall.CallerName);
        Assert.Null(oldCall.RecordingUrl);
        Assert.Equal(Now, oldCall.AnonymizedAt);
        foreach (var payload in oldPayloads.Concat(oldMissedPayloads))
        {
            Assert.DoesNotContain("5550142", payload, StringComparison.Ordinal);
            Assert.DoesNotContain("Jane", payload, StringComparison.Ordinal);
            Assert.DoesNotContain("recordings.example.com", payload, StringComparison.Ordinal);
        }

        // Times, outcomes, waits, talk, holds, source, salesperson: every figure is as it was.
        Assert.Equal(before, await FiguresAsync());
        Assert.Equal(2, oldCall.Holds.Count + oldCall.Rings.Count);

        var youngAfter = await LoadAsync(young);
        Assert.Equal(YoungCaller, youngAfter.Call.CallerE164);
        Assert.Equal("Jane Caller", youngAfter.Call.CallerName);
        Assert.NotNull(youngAfter.Call.RecordingUrl);
        Assert.Null(youngAfter.Call.AnonymizedAt);
        Assert.Equal(youngBefore.Payloads, youngAfter.Payloads);

        var anonymous = await _world.LoadAsync(callback);
        Assert.Equal(oldCall.CallerE164, anonymous.CallerE164);
        Assert.Null(anonymous.LeadName);
        Assert.Null(anonymous.CallerName);
        Assert.Equal(PrivacyRetentionJob.RetentionReason, anonymous.ClosedReason);
        Assert.All(anonymous.Attempts, a => Assert.Null(a.Note));
        Assert.All(anonymous.Transitions, t => Assert.Equal(PrivacyRetentionJob.RetentionReason, t.Reason));
        Assert.Equal(CallbackStatus.Closed, anonymous.Status);
        Assert.Equal(AttemptOutcome.NoAnswer, Assert.Single(anonymous.Attempts).Outcome);

        Assert.Equal(2, changed.Calls);
        Assert.Equal(1, changed.Callbacks);
        Assert.Equal(1, changed.Attempts);
        Assert.True(changed.Events >= 3, $"{changed.Events} events rewritten");
    }

    [Fact]
    public async Task Running_again_changes_nothing_even_in_small_batches()
    {
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await IngestAsync($"batch-{i}", Now.AddMonths(-15).AddHours(i), i % 2 == 0 ? OldCaller : $"+1312555020{i}", answered: i % 3 != 0));
        }

        var first = await Job(batchSize: 2).RunAsync(CancellationToken.None);
        var afterFirst = await Task.WhenAll(ids.Select(LoadAsync));
        var figures = await FiguresAsync();

        var second = await Job(batchSize: 2).RunAsync(CancellationToken.None);

        Assert.Equal(7, first.Calls);
        Assert.Equal(0, second.Total);
        var afterSecond = await Task.WhenAll(ids.Select(LoadAsync));
        Assert.Equal(afterFirst.Select(c => (c.Call.CallerE164, c.Call.AnonymizedAt)), afterSecond.Select(c => (c.Call.CallerE164, c.Call.AnonymizedAt)));
        Assert.Equal(afterFirst.SelectMany(c => c.Payloads), afterSecond.SelectMany(c => c.Payloads));
        Assert.Equal(figures, await FiguresAsync());
        Assert.All(afterSecond, c => Assert.True(CallerPseudonym.IsPseudonym(c.Call.CallerE164)));
        Assert.Equal(4, afterSecond.Select(c => c.Call.CallerE164).Distinct().Count());
    }

    [Fact]
    public async Task A_late_event_for_an_anonymized_call_projects_it_again_as_the_same_anonymous_caller()
    {
        var id = await IngestAsync("late-event", Now.AddMonths(-14), OldCaller, answered: false);
        await Job().RunAsync(CancellationToken.None);
        var anonymized = (await LoadAsync(id)).Call;

        var late = new CallBuilder("late-event", Now.AddMonths(-14)).Voicemail(50, messageLeft: true).Events.Select(e => e with { EventId = "late-event-voicemail" }).ToList();
        var result = await _pipeline.SubmitAsync(_world.Credentials.Integration.Id, late, CancellationToken.None);

        Assert.Equal(1, result.Accepted);
        var projected = (await LoadAsync(id)).Call;
        Assert.Equal(anonymized.CallerE164, projected.CallerE164);
        Assert.Null(projected.CallerName);
        Assert.False(projected.CallerWithheld);
        Assert.Equal(anonymized.EventCount + 1, projected.EventCount);
    }
}
