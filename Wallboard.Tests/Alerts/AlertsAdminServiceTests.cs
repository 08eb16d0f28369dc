using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Alerts;
using Wallboard.Tests.Callbacks;
using Wallboard.Web.Alerts;

namespace Wallboard.Tests.Alerts;

/// <summary>The store's alert settings and a person's choices, checked and saved on a real database.</summary>
public sealed class AlertsAdminServiceTests : IAsyncLifetime
{
    private CallbackWorld _world = null!;

    public async Task InitializeAsync() => _world = await CallbackWorld.CreateAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private AlertsAdminService Service => _world.AlertServices.GetRequiredService<AlertsAdminService>();

    [Fact]
    public async Task Store_settings_out_of_range_are_refused_and_a_save_that_changes_nothing_writes_no_audit_line()
    {
        var refused = await Service.SaveStoreAsync("admin@demo.example", new StoreAlertSettings { StoreId = _world.Lakeside, CallerWaitingPerHour = 61, IntegrationSilentMinutes = 4 }, CancellationToken.None);
        Assert.Equal("Between 1 and 60 alerts an hour.", refused.ErrorFor(nameof(StoreAlertSettings.CallerWaitingPerHour)));
        Assert.Equal("Between 5 and 1440 minutes.", refused.ErrorFor(nameof(StoreAlertSettings.IntegrationSilentMinutes)));

        Assert.True((await Service.SaveStoreAsync("admin@demo.example", StoreAlertSettings.DefaultFor(_world.Lakeside), CancellationToken.None)).Succeeded);
        Assert.True((await Service.SaveStoreAsync("admin@demo.example", new StoreAlertSettings { StoreId = _world.Lakeside, Enabled = false }, CancellationToken.None)).Succeeded);
        await using var db = _world.Database.CreateDbContext();
        var audit = Assert.Single(await db.AuditEntries.Where(a => a.Action == "store.alerts-updated").ToListAsync());
        Assert.Contains("\"enabled\":false", audit.After, StringComparison.Ordinal);
        Assert.False((await Service.GetStoreAsync(_world.Lakeside, CancellationToken.None)).Enabled);
    }

    [Fact]
    public async Task A_salesperson_gets_nothing_until_they_opt_in_and_a_manager_gets_e_mails_by_default()
    {
        await using var db = _world.Database.CreateDbContext();
        var email = _world.Credentials.Accounts!.First(a => a.Role == "Salesperson").Email;
        var salesperson = await db.Users.SingleAsync(u => u.Email == email);
        var choices = await Service.GetChoicesAsync(salesperson.Id, AlertAudience.Salesperson, CancellationToken.None);
        Assert.Equal([AlertKind.CallbackUnclaimed], choices.Kinds.Keys);
        Assert.Equal((false, false), choices.Kinds[AlertKind.CallbackUnclaimed]);

        var manager = await Service.GetChoicesAsync(1, AlertAudience.Manager, CancellationToken.None);
        Assert.All(manager.Kinds.Values, k => Assert.Equal((true, false), k));

        choices.Kinds[AlertKind.CallbackUnclaimed] = (false, true);
        choices.Mobile = "call me";
        Assert.NotNull((await Service.SaveChoicesAsync(salesperson.Id, AlertAudience.Salesperson, choices, CancellationToken.None)).ErrorFor(nameof(AlertChoices.Mobile)));
        choices.Mobile = "312.555.0177";
        Assert.True((await Service.SaveChoicesAsync(salesperson.Id, AlertAudience.Salesperson, choices, CancellationToken.None)).Succeeded);
        var saved = await Service.GetChoicesAsync(salesperson.Id, AlertAudience.Salesperson, CancellationToken.None);
        Assert.Equal("+13125550177", saved.Mobile);
        Assert.Equal((false, true), saved.Kinds[AlertKind.CallbackUnclaimed]);
    }
}
