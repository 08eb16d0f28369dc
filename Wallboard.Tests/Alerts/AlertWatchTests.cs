using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Alerts;
using Wallboard.Domain.Calls;
using Wallboard.Tests.Callbacks;
using Wallboard.Tests.Domain.Callbacks;
using Wallboard.Web.Alerts;

namespace Wallboard.Tests.Alerts;

/// <summary>
/// The alerts the watch raises on its schedule, on a real database with a fake clock: a caller waiting
/// or on hold past the store's hold limit (once per call, at most N per store per rolling hour) and an
/// integration silent in business hours (once per silence); and, raised by the call-back sweep, a call-back
/// due and unclaimed (the opted-in salespeople on shift). The recipients are read from the deliveries
/// the dispatcher fans each alert out into.
/// </summary>
[Collection(Smtp4devGroup.Name)]
public sealed class AlertWatchTests(Smtp4dev smtp) : IAsyncLifetime
{
    private CallbackWorld _world = null!;

    public async Task InitializeAsync() => _world = await CallbackWorld.CreateAsync(alertSettings: new Dictionary<string, string?>(smtp.Settings));

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private AlertWatch Watch => _world.AlertServices.GetRequiredService<AlertWatch>();

    private DateTimeOffset Now => _world.Time.GetUtcNow();

    /// <summary>A sales caller still in the queue since <paramref name="since"/> (or on hold since <paramref name="onHoldSince"/>), as the projector leaves a live call.</summary>
    private async Task<long> LiveCallAsync(DateTimeOffset since, DateTimeOffset? onHoldSince = null, int? storeId = null)
    {
        var id = await _world.AddCallAsync("+13125550142", CallOutcome.Connected, since.AddMinutes(1), storeId);
        await using var db = _world.Database.CreateDbContext();
        await db.Calls.Where(c => c.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.StartedAt, since)
            .SetProperty(c => c.AnsweredAt, onHoldSince == null ? null : since)
            .SetProperty(c => c.EndedAt, (DateTimeOffset?)null)
            .SetProperty(c => c.Outcome, (CallOutcome?)null)
            .SetProperty(c => c.Phase, onHoldSince == null ? CallPhase.Waiting : CallPhase.OnHold)
            .SetProperty(c => c.HoldStartedAt, onHoldSince)
            .SetProperty(c => c.LastEventAt, onHoldSince ?? since));
        return id;
    }

    private async Task<List<Alert>> AlertsAsync(AlertKind kind)
    {
        await using var db = _world.Database.CreateDbContext();
        return await db.Alerts.AsNoTracking().Where(a => a.Kind == kind).OrderBy(a => a.Id).ToListAsync();
    }

    /// <summary>Fans the outbox out and returns each alert's recipients as "name channel", ordered.</summary>
    private async Task<Dictionary<long, string[]>> RecipientsAsync()
    {
        await _world.AlertServices.GetRequiredService<AlertDispatcher>().FanOutAsync(CancellationToken.None);
        await using var db = _world.Database.CreateDbContext();
        var deliveries = await db.AlertDeliveries.AsNoTracking().ToListAsync();
        return deliveries.GroupBy(d => d.AlertId).ToDictionary(g => g.Key, g => g.Select(d => $"{d.RecipientName} {d.Channel}").Order().ToArray());
    }

    private static readonly string[] LakesideManagers = ["Linda Park Email", "Regional manager Email"];

    [Fact]
    public async Task A_caller_waiting_or_on_hold_past_the_hold_limit_alerts_the_stores_managers_once_per_call()
    {
        // The hold limit is 60 s: one caller has waited 61 s, one is on hold for 61 s, one has waited 59 s.
        var waiting = await LiveCallAsync(Now.AddSeconds(-61));
        var onHold = await LiveCallAsync(Now.AddMinutes(-5), onHoldSince: Now.AddSeconds(-61));
        var underLimit = await LiveCallAsync(Now.AddSeconds(-59));

        Assert.Equal(2, await Watch.RunOnceAsync(CancellationToken.None));

        var alerts = await AlertsAsync(AlertKind.CallerWaiting);
        Assert.Equal([waiting, onHold], alerts.Select(a => a.CallId!.Value).Order());
        Assert.All(alerts, a => Assert.Equal(_world.Lakeside, a.StoreId));
        Assert.Contains("on hold", alerts.Single(a => a.CallId == onHold).Text, StringComparison.OrdinalIgnoreCase);

        // The managers of the store, and nobody else (not the admin, not the salesperson).
        var recipients = await RecipientsAsync();
        Assert.All(alerts, a => Assert.Equal(LakesideManagers, recipients[a.Id]));

        // The same callers still waiting a minute later: nothing new for them; the third is now over.
        _world.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Watch.RunOnceAsync(CancellationToken.None));
        Assert.Equal(1, (await AlertsAsync(AlertKind.CallerWaiting)).Count(a => a.CallId == underLimit));
        Assert.Equal(0, await Watch.RunOnceAsync(CancellationToken.None));
        Assert.Equal(3, (await AlertsAsync(AlertKind.CallerWaiting)).Count);
    }

    [Fact]
    public async Task Caller_waiting_alerts_stop_at_the_stores_limit_per_rolling_hour_and_other_stores_are_not_held_back()
    {
        await using (var db = _world.Database.CreateDbContext())
        {
            db.StoreAlertSettings.Add(new StoreAlertSettings { StoreId = _world.Lakeside, CallerWaitingPerHour = 2 });
            await db.SaveChangesAsync();
        }

        var first = await LiveCallAsync(Now.AddSeconds(-90));
        var second = await LiveCallAsync(Now.AddSeconds(-80));
        var third = await LiveCallAsync(Now.AddSeconds(-70));
        Assert.Equal(2, await Watch.RunOnceAsync(CancellationToken.None));
        Assert.Equal([first, second], (await AlertsAsync(AlertKind.CallerWaiting)).Select(a => a.CallId!.Value));

        // 59 minutes on: still within the hour of the first two, the third caller raises nothing;
        // a caller at the other store is not held back by Lakeside's limit.
        _world.Time.Advance(TimeSpan.FromMinutes(59));
        var bayview = await LiveCallAsync(Now.AddSeconds(-70), storeId: _world.Bayview);
        await Watch.RunOnceAsync(CancellationToken.None);
        var raised = await AlertsAsync(AlertKind.CallerWaiting);
        Assert.Equal([first, second, bayview], raised.Select(a => a.CallId!.Value));
        Assert.Equal(_world.Bayview, raised[^1].StoreId);

        // Once the hour has rolled past the first two, the third caller (still waiting) is alerted.
        // (The watch counts every kind it raises; the phone system has also gone silent by now.)
        _world.Time.Advance(TimeSpan.FromMinutes(1));
        await Watch.RunOnceAsync(CancellationToken.None);
        Assert.Equal([first, second, bayview, third], (await AlertsAsync(AlertKind.CallerWaiting)).Select(a => a.CallId!.Value));
    }

    [Fact]
    public async Task An_integration_silent_in_business_hours_alerts_admins_and_managers_once_per_silence()
    {
        // The default is 30 minutes of silence; the phone system's last call ended at 14:00.
        await _world.AddCallAsync("+13125550142", CallOutcome.Connected, Now);
        _world.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, await Watch.RunOnceAsync(CancellationToken.None));
        Assert.Empty(await AlertsAsync(AlertKind.IntegrationSilent));

        _world.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Watch.RunOnceAsync(CancellationToken.None));
        var alert = Assert.Single(await AlertsAsync(AlertKind.IntegrationSilent));
        Assert.Equal(_world.Lakeside, alert.StoreId);
        Assert.Equal(_world.Credentials.Integration.Id, alert.IntegrationId);
        var recipients = await RecipientsAsync();
        Assert.Equal(["Demo admin Email", .. LakesideManagers], recipients[alert.Id]);

        // Still silent an hour later: the same silence, no second alert.
        _world.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await Watch.RunOnceAsync(CancellationToken.None));
        Assert.Single(await AlertsAsync(AlertKind.IntegrationSilent));

        // A call comes in, then silence again: a new silence, a new alert.
        await _world.AddCallAsync("+13125550143", CallOutcome.Connected, Now);
        _world.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(1, await Watch.RunOnceAsync(CancellationToken.None));
        Assert.Equal(2, (await AlertsAsync(AlertKind.IntegrationSilent)).Count);
    }

    [Fact]
    public async Task An_integration_silent_while_the_store_is_closed_raises_nothing_and_closed_time_does_not_count()
    {
        // The last call ends at 19:50 on Tuesday; the store closes at 20:00 and opens at 09:00.
        _world.AdvanceTo(CallbackWorld.Tuesday2pm.AddHours(5).AddMinutes(50));
        await _world.AddCallAsync("+13125550142", CallOutcome.Connected, Now);
        _world.AdvanceTo(CallbackWorld.Tuesday2pm.AddHours(9));
        await Watch.RunOnceAsync(CancellationToken.None);
        Assert.Empty(await AlertsAsync(AlertKind.IntegrationSilent));

        // 10 open minutes on Tuesday and 19 on Wednesday morning: 29, not yet 30.
        var opening = CallbackScenario.Local(2026, 11, 25, 9, 0);
        _world.AdvanceTo(opening.AddMinutes(19));
        await Watch.RunOnceAsync(CancellationToken.None);
        Assert.Empty(await AlertsAsync(AlertKind.IntegrationSilent));

        _world.AdvanceTo(opening.AddMinutes(20));
        await Watch.RunOnceAsync(CancellationToken.None);
        Assert.Equal(_world.Lakeside, Assert.Single(await AlertsAsync(AlertKind.IntegrationSilent)).StoreId);
    }

    [Fact]
    public async Task An_integration_that_fell_silent_before_closing_is_not_alerted_at_night_but_at_the_opening()
    {
        // Silent from 19:00; the watch next runs at 21:00 (the store closed at 20:00): an hour of open
        // silence, but nobody is at the store to act on it.
        _world.AdvanceTo(CallbackWorld.Tuesday2pm.AddHours(5));
        await _world.AddCallAsync("+13125550142", CallOutcome.Connected, Now);
        _world.AdvanceTo(CallbackWorld.Tuesday2pm.AddHours(7));
        await Watch.RunOnceAsync(CancellationToken.None);
        Assert.Empty(await AlertsAsync(AlertKind.IntegrationSilent));

        var opening = CallbackScenario.Local(2026, 11, 25, 9, 0);
        _world.AdvanceTo(opening.AddMinutes(-1));
        await Watch.RunOnceAsync(CancellationToken.None);
        Assert.Empty(await AlertsAsync(AlertKind.IntegrationSilent));

        _world.AdvanceTo(opening);
        await Watch.RunOnceAsync(CancellationToken.None);
        Assert.Equal(_world.Lakeside, Assert.Single(await AlertsAsync(AlertKind.IntegrationSilent)).StoreId);
    }

    [Fact]
    public async Task A_call_back_due_and_unclaimed_alerts_the_opted_in_salespeople_on_shift_only()
    {
        // Mike Reynolds (Lakeside's salesperson with an account) opts in to e-mails for this kind.
        var mike = _world.Credentials.Accounts!.Single(a => a.Name == "Mike Reynolds").SalespersonId!.Value;
        await using (var db = _world.Database.CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.SalespersonId == mike);
            db.AlertPreferences.Add(new AlertPreference { UserId = user.Id, Kind = AlertKind.CallbackUnclaimed, Email = true });
            await db.SaveChangesAsync();
        }

        // Rung on Monday only: not on shift on Tuesday. The first call-back falls due 15 minutes on.
        await RingAsync(mike, CallbackWorld.Tuesday2pm.AddDays(-1));
        await _world.MissedAsync("+13125550142");
        _world.Time.Advance(TimeSpan.FromMinutes(16));
        await _world.Sweep.SweepAsync(CancellationToken.None);
        var first = Assert.Single(await AlertsAsync(AlertKind.CallbackUnclaimed));
        Assert.Equal(_world.Lakeside, first.StoreId);
        Assert.False((await RecipientsAsync()).ContainsKey(first.Id));

        // Rung today: on shift. The next call-back that falls due goes to him, and to nobody else.
        await RingAsync(mike, Now);
        await _world.MissedAsync("+13125550143");
        _world.Time.Advance(TimeSpan.FromMinutes(16));
        await _world.Sweep.SweepAsync(CancellationToken.None);
        var second = (await AlertsAsync(AlertKind.CallbackUnclaimed)).Single(a => a.Id != first.Id);
        Assert.NotNull(second.CallbackId);
        Assert.Equal(["Mike Reynolds Email"], (await RecipientsAsync())[second.Id]);
    }

    /// <summary>A Lakeside sales call that rang <paramref name="salespersonId"/>, who answered it at <paramref name="at"/>.</summary>
    private async Task RingAsync(int salespersonId, DateTimeOffset at)
    {
        var call = await _world.AddCallAsync("+13125550177", CallOutcome.Connected, at.AddMinutes(1));
        await using var db = _world.Database.CreateDbContext();
        db.CallRings.Add(new CallRing { CallId = call, Ordinal = 1, Agent = "Mike Reynolds", SalespersonId = salespersonId, StartedAt = at, EndedAt = at.AddSeconds(10), Result = RingResult.Answered });
        await db.SaveChangesAsync();
    }
}
