using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wallboard.Domain.Alerts;
using Wallboard.Tests.Callbacks;
using Wallboard.Web.Alerts;

namespace Wallboard.Tests.Alerts;

/// <summary>
/// Alerts end to end on a real database with a fake clock: the call-back sweep escalates, the outbox
/// row commits with it, the dispatcher delivers through a real SMTP server (smtp4dev, read back through
/// its API) and the real Twilio client (against a loopback server that checks Twilio's contract).
/// </summary>
[Collection(Smtp4devGroup.Name)]
public sealed class AlertDeliveryTests(Smtp4dev smtp) : IAsyncLifetime
{
    private const string LindaMobile = "+13125550199";
    private const string Caller = "+13125550142";

    private FakeTwilioApi _twilio = null!;
    private CallbackWorld _world = null!;

    public async Task InitializeAsync()
    {
        await smtp.ClearAsync();
        _twilio = await FakeTwilioApi.StartAsync();
        _world = await CreateWorldAsync(smtp.Settings);
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        await _twilio.DisposeAsync();
    }

    private async Task<CallbackWorld> CreateWorldAsync(IDictionary<string, string?> email)
    {
        var settings = new Dictionary<string, string?>(email)
        {
            ["Wallboard:Alerts:MaxTries"] = "3",
            ["Wallboard:Alerts:FirstRetryDelay"] = "00:00:30",
        };
        foreach (var (key, value) in _twilio.Settings)
        {
            settings[key] = value;
        }

        var world = await CallbackWorld.CreateAsync(alertSettings: settings);
        await OptInToTextsAsync(world, "Linda Park", LindaMobile, AlertKind.CallbackEscalated);
        return world;
    }

    private AlertDispatcher Dispatcher => _world.AlertServices.GetRequiredService<AlertDispatcher>();

    private static string EmailOf(CallbackWorld world, string name) => world.Credentials.Accounts!.Single(a => a.Name == name).Email;

    private static async Task OptInToTextsAsync(CallbackWorld world, string name, string mobile, AlertKind kind)
    {
        await using var db = world.Database.CreateDbContext();
        var email = EmailOf(world, name);
        var user = await db.Users.SingleAsync(u => u.Email == email);
        db.AlertProfiles.Add(new AlertProfile { UserId = user.Id, MobileE164 = mobile });
        db.AlertPreferences.Add(new AlertPreference { UserId = user.Id, Kind = kind, Email = true, Sms = true });
        await db.SaveChangesAsync();
    }

    /// <summary>A missed call at Tuesday 14:00 and the sweep at 15:00, when it escalates.</summary>
    private async Task EscalateAsync()
    {
        await _world.MissedAsync(Caller);
        _world.AdvanceTo(CallbackWorld.Tuesday2pm.AddMinutes(60));
        await _world.Sweep.SweepAsync(CancellationToken.None);
    }

    private async Task<IReadOnlyList<Smtp4devMessage>> EscalationMailsAsync() =>
        (await smtp.MessagesAsync()).Where(m => m.Subject.StartsWith("Escalated call-back", StringComparison.Ordinal)).ToList();

    private void AssertOneTextToLinda()
    {
        Assert.Empty(_twilio.Problems);
        var text = Assert.Single(_twilio.Accepted);
        Assert.Equal(LindaMobile, text.To);
        Assert.Equal(FakeTwilioApi.From, text.From);
        Assert.Contains("call-back escalated", text.Body, StringComparison.Ordinal);
        Assert.Contains("(312) 555-0142", text.Body, StringComparison.Ordinal);
        Assert.Contains("http://localhost:5080/callbacks/manage?store=", text.Body, StringComparison.Ordinal);
    }

    private async Task AssertOneMailToEachManagerAsync()
    {
        var mails = await EscalationMailsAsync();
        Assert.Equal(
            new[] { EmailOf(_world, "Linda Park"), EmailOf(_world, "Regional manager") }.Order(),
            mails.Select(m => Assert.Single(m.To)).Order());
        // Nothing else went out: the escalation is for the managers, not the admin or the salespeople.
        Assert.Equal(2, (await smtp.MessagesAsync()).Count);
        var body = await smtp.PlainTextAsync(mails[0]);
        Assert.Contains("(312) 555-0142 (Cars.com) called Lakeside Toyota once, first at 13:59", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Escalated_call_back_sends_one_email_to_each_manager_and_one_text_to_the_manager_who_opted_in()
    {
        await EscalateAsync();
        await using (var db = _world.Database.CreateDbContext())
        {
            var alert = Assert.Single(await db.Alerts.Where(a => a.Kind == AlertKind.CallbackEscalated).ToListAsync());
            Assert.NotNull(alert.CallbackId);
        }

        await Dispatcher.RunOnceAsync(CancellationToken.None);

        await AssertOneMailToEachManagerAsync();
        AssertOneTextToLinda();

        // Again and again: the sweep finds nothing new, the dispatcher nothing due.
        _world.Time.Advance(TimeSpan.FromMinutes(5));
        await _world.Sweep.SweepAsync(CancellationToken.None);
        await Dispatcher.RunOnceAsync(CancellationToken.None);
        await Dispatcher.RunOnceAsync(CancellationToken.None);
        await AssertOneMailToEachManagerAsync();
        AssertOneTextToLinda();
    }

    [Fact]
    public async Task A_restart_between_the_escalation_and_the_delivery_still_delivers_exactly_once()
    {
        await EscalateAsync();
        // Stopped before any delivery run: the alert is in the outbox, nothing went out.
        Assert.Empty(await smtp.MessagesAsync());
        await _world.RestartAlertsAsync();

        // Stopped again after the fan-out, before the sends.
        await Dispatcher.FanOutAsync(CancellationToken.None);
        await _world.RestartAlertsAsync();

        await Dispatcher.RunOnceAsync(CancellationToken.None);
        await Dispatcher.RunOnceAsync(CancellationToken.None);

        await AssertOneMailToEachManagerAsync();
        AssertOneTextToLinda();
        await using var db = _world.Database.CreateDbContext();
        Assert.All(await db.AlertDeliveries.ToListAsync(), d =>
        {
            Assert.Equal(AlertDeliveryStatus.Sent, d.Status);
            Assert.Equal(1, d.Tries);
        });
    }

    [Fact]
    public async Task Two_delivery_runs_at_once_send_each_delivery_once()
    {
        await EscalateAsync();
        await using var other = _world.NewAlertServices();

        await Task.WhenAll(
            Task.Run(() => other.GetRequiredService<AlertDispatcher>().RunOnceAsync(CancellationToken.None)),
            Task.Run(() => Dispatcher.RunOnceAsync(CancellationToken.None)));

        await AssertOneMailToEachManagerAsync();
        AssertOneTextToLinda();
    }

    [Fact]
    public async Task A_refusing_smtp_server_is_retried_with_backoff_and_the_failure_shows_on_the_delivery_log_and_health()
    {
        await using var refusing = new RefusingSmtpServer();
        await _world.DisposeAsync();
        _world = await CreateWorldAsync(new Dictionary<string, string?>(smtp.Settings)
        {
            ["Wallboard:Email:Smtp:Port"] = refusing.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await EscalateAsync();

        await Dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(2, refusing.Sessions);
        // Not due again before the backoff: 30 s after the first failure, 60 s after the second.
        _world.Time.Advance(TimeSpan.FromSeconds(29));
        await Dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(2, refusing.Sessions);
        _world.Time.Advance(TimeSpan.FromSeconds(1));
        await Dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(4, refusing.Sessions);
        _world.Time.Advance(TimeSpan.FromSeconds(59));
        await Dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(4, refusing.Sessions);
        _world.Time.Advance(TimeSpan.FromSeconds(1));
        await Dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(6, refusing.Sessions);

        // Three tries were the last: nothing more is sent, however long we wait.
        _world.Time.Advance(TimeSpan.FromHours(2));
        await Dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.Equal(6, refusing.Sessions);

        var (failed, total) = await _world.AlertServices.GetRequiredService<AlertsAdminService>().LogAsync(failedOnly: true, page: 1, CancellationToken.None);
        Assert.Equal(2, total);
        Assert.All(failed, row =>
        {
            Assert.Equal(AlertChannel.Email, row.Channel);
            Assert.Equal(AlertKind.CallbackEscalated, row.Kind);
            Assert.Equal(3, row.Tries);
            Assert.Contains("Relay access denied", row.LastError, StringComparison.Ordinal);
        });
        Assert.Equal(["Linda Park", "Regional manager"], failed.Select(r => r.Recipient).Order());
        // The text went out meanwhile: one channel failing does not hold the other.
        AssertOneTextToLinda();

        var health = await _world.AlertServices.GetRequiredService<AlertsHealthCheck>().CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains("2 alert deliveries failed", health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_twilio_error_answer_is_retried_and_its_code_and_message_reach_the_delivery_log()
    {
        _twilio.FailWith = (400, 21610, "Attempt to send to unsubscribed recipient");
        await EscalateAsync();

        for (var i = 0; i < 3; i++)
        {
            await Dispatcher.RunOnceAsync(CancellationToken.None);
            _world.Time.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.Empty(_twilio.Problems);
        Assert.Empty(_twilio.Accepted);
        var (failed, _) = await _world.AlertServices.GetRequiredService<AlertsAdminService>().LogAsync(failedOnly: true, page: 1, CancellationToken.None);
        var row = Assert.Single(failed);
        Assert.Equal(AlertChannel.Sms, row.Channel);
        Assert.Equal(3, row.Tries);
        Assert.Equal("Twilio refused (400, code 21610): Attempt to send to unsubscribed recipient", row.LastError);
        Assert.Equal(2, (await EscalationMailsAsync()).Count);
    }

    [Fact]
    public async Task Nothing_goes_out_in_the_stores_quiet_hours_and_it_goes_out_at_the_opening()
    {
        await _world.MissedAsync(Caller);
        // The sweep only runs again at 21:00, after the 20:00 closing (the app was down).
        _world.AdvanceTo(CallbackWorld.Tuesday2pm.AddHours(7));
        await _world.Sweep.SweepAsync(CancellationToken.None);

        await Dispatcher.RunOnceAsync(CancellationToken.None);
        var opening = Wallboard.Tests.Domain.Callbacks.CallbackScenario.Local(2026, 11, 25, 9, 0);
        _world.AdvanceTo(opening.AddMinutes(-1));
        await Dispatcher.RunOnceAsync(CancellationToken.None);
        Assert.Empty(await smtp.MessagesAsync());
        Assert.Empty(_twilio.Accepted);
        await using (var db = _world.Database.CreateDbContext())
        {
            Assert.All(await db.AlertDeliveries.ToListAsync(), d =>
            {
                Assert.Equal(AlertDeliveryStatus.Pending, d.Status);
                Assert.Equal(0, d.Tries);
                Assert.Equal(opening, d.NextAttemptAt);
            });
        }

        _world.AdvanceTo(opening);
        await Dispatcher.RunOnceAsync(CancellationToken.None);
        await AssertOneMailToEachManagerAsync();
        AssertOneTextToLinda();
    }

    [Fact]
    public async Task An_alert_about_a_call_back_dealt_with_before_delivery_is_skipped()
    {
        await EscalateAsync();
        var manager = await _world.ManagerAsync(_world.Lakeside);
        var id = (await _world.Queries.ListAsync(new Web.Callbacks.CallbackFilter(_world.Lakeside), CancellationToken.None)).Single().Id;
        await _world.Commands.CloseAsync(id, manager, "Spoke to them on the lot", CancellationToken.None);

        await Dispatcher.RunOnceAsync(CancellationToken.None);

        Assert.Empty(await smtp.MessagesAsync());
        Assert.Empty(_twilio.Accepted);
        await using var db = _world.Database.CreateDbContext();
        Assert.All(await db.AlertDeliveries.ToListAsync(), d => Assert.Equal(AlertDeliveryStatus.Skipped, d.Status));
    }

    [Fact]
    public async Task A_phone_marked_shared_gets_the_callers_last_four_digits_only()
    {
        await using (var db = _world.Database.CreateDbContext())
        {
            var profile = await db.AlertProfiles.SingleAsync();
            profile.MobileShared = true;
            await db.SaveChangesAsync();
        }

        await EscalateAsync();
        await Dispatcher.RunOnceAsync(CancellationToken.None);

        var text = Assert.Single(_twilio.Accepted);
        Assert.Contains("caller ending 0142", text.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("555", text.Body, StringComparison.Ordinal);
    }
}
