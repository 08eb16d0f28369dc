using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Web.Callbacks;
using Scenario = Wallboard.Tests.Domain.Callbacks.CallbackScenario;
using Wallboard.Web.Data;
using Wallboard.Web.Jobs;

namespace Wallboard.Tests.Callbacks;

/// <summary>The sweep on a real database with a fake clock: lapses, reopenings, overdue, escalation, catch-up, idempotence.</summary>
public abstract class CallbackSweepJobTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : CallbackSweepJobTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : CallbackSweepJobTests(DatabaseProvider.Postgres);

    private CallbackWorld _world = null!;

    public async Task InitializeAsync() => _world = await CallbackWorld.CreateAsync(provider: provider);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<int> SweepAsync() => _world.Sweep.SweepAsync(CancellationToken.None);

    [Fact]
    public async Task Unattempted_claim_lapses_back_to_the_pool_after_the_claim_window()
    {
        var id = await _world.MissedAsync("+13125550142");
        await _world.Commands.ClaimAsync(id, await _world.UserAsync("Dana Whitfield"), CancellationToken.None);

        _world.Time.Advance(TimeSpan.FromMinutes(9));
        await SweepAsync();
        Assert.Equal(CallbackStatus.Claimed, (await _world.LoadAsync(id)).Status);

        _world.Time.Advance(TimeSpan.FromMinutes(1));
        _world.Published.Clear();
        await SweepAsync();

        var lapsed = await _world.LoadAsync(id);
        Assert.Equal(CallbackStatus.Open, lapsed.Status);
        Assert.Null(lapsed.ClaimedBySalespersonId);
        Assert.Contains(lapsed.Transitions, t => t.Action == CallbackAction.Lapsed && t.Reason.Contains("Dana Whitfield", StringComparison.Ordinal));
        Assert.Equal([new CallbackChange(_world.Lakeside, Department.Sales, id)], _world.Published);
    }

    [Fact]
    public async Task Overdue_is_marked_and_published_once_and_escalation_follows_at_the_hour()
    {
        var id = await _world.MissedAsync("+13125550142");

        _world.Time.Advance(TimeSpan.FromMinutes(16));
        _world.Published.Clear();
        Assert.Equal(1, await SweepAsync());
        Assert.Single(_world.Published);
        var overdue = await _world.LoadAsync(id);
        Assert.Equal(CallbackWorld.Tuesday2pm.AddMinutes(15), overdue.OverdueSince);
        Assert.Null(overdue.EscalatedAt);

        // Idempotent: a second run at the same time changes and publishes nothing.
        _world.Published.Clear();
        Assert.Equal(0, await SweepAsync());
        Assert.Empty(_world.Published);

        _world.AdvanceTo(CallbackWorld.Tuesday2pm.AddMinutes(60));
        Assert.Equal(1, await SweepAsync());
        var escalated = await _world.LoadAsync(id);
        Assert.Equal(CallbackWorld.Tuesday2pm.AddMinutes(60), escalated.EscalatedAt);
        Assert.Equal(
            [CallbackAction.Created, CallbackAction.BecameOverdue, CallbackAction.Escalated],
            escalated.Transitions.OrderBy(t => t.Id).Select(t => t.Action));

        var list = await _world.Queries.ListAsync(new CallbackFilter(_world.Lakeside) { OverdueOnly = true }, CancellationToken.None);
        var view = Assert.Single(list);
        Assert.True(view.Overdue);
        Assert.True(view.Escalated);
    }

    [Fact]
    public async Task No_answer_schedules_the_next_try_and_the_sweep_reopens_it_when_due()
    {
        var id = await _world.MissedAsync("+13125550142");
        var dana = await _world.UserAsync("Dana Whitfield");
        await _world.Commands.ClaimAsync(id, dana, CancellationToken.None);
        _world.Time.Advance(TimeSpan.FromMinutes(2));
        var attempt = await _world.Commands.LogAttemptAsync(id, dana, new AttemptInput(AttemptOutcome.LeftVoicemail), CancellationToken.None);
        Assert.Equal(CallbackStatus.Scheduled, attempt.Callback!.Status);
        Assert.Equal(CallbackWorld.Tuesday2pm.AddMinutes(62), attempt.Callback.NextAttemptAt);
        Assert.False(attempt.Callback.MayLeaveVoicemail);

        _world.AdvanceTo(CallbackWorld.Tuesday2pm.AddMinutes(61));
        await SweepAsync();
        Assert.Equal(CallbackStatus.Scheduled, (await _world.LoadAsync(id)).Status);

        _world.AdvanceTo(CallbackWorld.Tuesday2pm.AddMinutes(62));
        await SweepAsync();
        var reopened = await _world.LoadAsync(id);
        Assert.Equal(CallbackStatus.Open, reopened.Status);
        Assert.Null(reopened.EscalatedAt); // an attempt was logged in time

        // The second try may not leave another voicemail today.
        var second = await _world.Commands.LogAttemptAsync(id, dana, new AttemptInput(AttemptOutcome.LeftVoicemail), CancellationToken.None);
        Assert.Equal(CallbackRefusal.Invalid, second.Result.Refusal);
        Assert.Contains("at most one voicemail a day", second.Result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catch_up_makes_the_call_backs_the_live_path_never_saw()
    {
        // Stored while the app was down: a miss, and a number that missed and later got through.
        var at = CallbackWorld.Tuesday2pm.AddMinutes(-30);
        var lost = await _world.AddCallAsync("+13125550142", CallOutcome.Voicemail, at);
        var withheld = await _world.AddCallAsync(null, CallOutcome.Abandoned, at, withheld: true);
        var resolvedLater = await _world.MissedAsync("+13125550150", at);
        await _world.AddCallAsync("+13125550150", CallOutcome.Connected, at.AddMinutes(10));
        // Just now: the live path still has it.
        await _world.AddCallAsync("+13125550160", CallOutcome.Abandoned, CallbackWorld.Tuesday2pm);

        await SweepAsync();

        await using var db = _world.Database.CreateDbContext();
        Assert.True(await db.CallbackCalls.AnyAsync(l => l.CallId == lost));
        Assert.True(await db.CallbackCalls.AnyAsync(l => l.CallId == withheld));
        Assert.Equal(CallbackResolution.CallerCalledBack, (await _world.LoadAsync(resolvedLater)).Resolution);
        Assert.False(await db.Callbacks.AnyAsync(c => c.CallerE164 == "+13125550160"));

        // A second run finds nothing more to do.
        var count = await db.Callbacks.CountAsync();
        await SweepAsync();
        Assert.Equal(count, await db.Callbacks.CountAsync());
    }

    [Fact]
    public async Task The_scheduled_sweep_catches_up_at_start_every_five_minutes_and_soon_after_the_live_path_left_calls_behind()
    {
        var at = CallbackWorld.Tuesday2pm.AddMinutes(-30);
        async Task<bool> LinkedAsync(long callId)
        {
            await using var db = _world.Database.CreateDbContext();
            return await db.CallbackCalls.AnyAsync(l => l.CallId == callId);
        }

        Task RunAsync() => _world.Sweep.Execute(null!, CancellationToken.None).AsTask();

        // The first run after start looks.
        var first = await _world.AddCallAsync("+13125550171", CallOutcome.Voicemail, at);
        await RunAsync();
        Assert.True(await LinkedAsync(first));

        // Then not at every run: only five minutes after the last look.
        var second = await _world.AddCallAsync("+13125550172", CallOutcome.Voicemail, at);
        await RunAsync();
        Assert.False(await LinkedAsync(second));
        _world.Time.Advance(CallbackSweepJob.CatchUpEvery - TimeSpan.FromSeconds(1));
        await RunAsync();
        Assert.False(await LinkedAsync(second));
        _world.Time.Advance(TimeSpan.FromSeconds(1));
        await RunAsync();
        Assert.True(await LinkedAsync(second));

        // The live path left calls behind: the next run after they settle looks.
        var third = await _world.AddCallAsync("+13125550173", CallOutcome.Voicemail, at);
        _world.Intake.CatchUpWanted(_world.Time.GetUtcNow(), CallbackSweepJob.CatchUpGrace);
        await RunAsync();
        Assert.False(await LinkedAsync(third));
        _world.Time.Advance(CallbackSweepJob.CatchUpGrace);
        await RunAsync();
        Assert.True(await LinkedAsync(third));
    }

    [Fact]
    public async Task Miss_after_closing_is_not_overdue_overnight_and_is_due_after_the_next_opening()
    {
        var evening = Scenario.Local(2026, 11, 24, 21, 0);
        _world.AdvanceTo(evening);
        var id = await _world.MissedAsync("+13125550142", evening);

        _world.AdvanceTo(Scenario.Local(2026, 11, 25, 9, 14));
        await SweepAsync();
        Assert.Null((await _world.LoadAsync(id)).OverdueSince);

        _world.AdvanceTo(Scenario.Local(2026, 11, 25, 9, 15));
        await SweepAsync();
        Assert.Equal(Scenario.Local(2026, 11, 25, 9, 15), (await _world.LoadAsync(id)).OverdueSince);
    }
}
