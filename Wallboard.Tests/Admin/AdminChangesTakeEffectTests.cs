using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Tests.Live;
using Wallboard.Web.Admin;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;
using Wallboard.Web.Live;

namespace Wallboard.Tests.Admin;

/// <summary>
/// An admin's change is in force on the very next request, though ingest caches attribution and
/// integration secrets for 15 seconds and the live board keeps each store's settings in memory.
/// </summary>
public sealed class AdminChangesTakeEffectTests(WallboardAppFactory app) : IClassFixture<WallboardAppFactory>
{
    private const string Actor = "admin@lakeside.example";

    private readonly SignedIngestClient _ingest = new(app);

    private int Lakeside => _ingest.Credentials.Stores[0].Id;

    private T Service<T>()
        where T : notnull => app.Services.GetRequiredService<T>();

    private static string Body(string callId, string to) =>
        "[" + string.Join(",", new CallBuilder(callId, DateTimeOffset.UtcNow.AddMinutes(-5)).Started(to: to).Ended(30).Events.Select(CallEventJson.Serialize)) + "]";

    private async Task<Call> StoredCallAsync(string externalId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync();
        return await db.Calls.SingleAsync(c => c.ExternalId == externalId);
    }

    [Fact]
    public async Task A_new_tracking_number_attributes_the_next_posted_call()
    {
        const string Number = "+16305550166";
        await _ingest.PostAsync(Body("admin-before-number", Number));
        Assert.Null((await StoredCallAsync("admin-before-number")).TrackingNumberId); // the cache now holds a directory without it

        var source = (await Service<LeadSourcesAdminService>().CreateAsync(Actor, Lakeside, "Podcast ads", default)).Value!;
        var number = (await Service<TrackingNumbersAdminService>().CreateAsync(Actor,
            new TrackingNumberForm { Number = "(630) 555-0166", StoreId = Lakeside, LeadSourceId = source.Id }, default)).Value!;
        var response = await _ingest.PostAsync(Body("admin-after-number", Number));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = await StoredCallAsync("admin-after-number");
        Assert.Equal(number.Id, call.TrackingNumberId);
        Assert.Equal(source.Id, call.LeadSourceId);
    }

    [Fact]
    public async Task A_rotated_secret_refuses_the_old_one_at_once_and_the_new_one_works()
    {
        var made = (await Service<IntegrationsAdminService>().CreateAsync(Actor, "Rotation PBX", IntegrationKind.JsonApi, Lakeside, null, default)).Value!;
        var id = made.IntegrationId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.OK, (await _ingest.PostAsync(Body("admin-rotate-1", "+16305550104"), made.Secret, integration: id)).StatusCode);

        var rotated = (await Service<IntegrationsAdminService>().RotateSecretAsync(Actor, made.IntegrationId, null, default)).Value!;

        Assert.Equal(HttpStatusCode.Unauthorized, (await _ingest.PostAsync(Body("admin-rotate-2", "+16305550104"), made.Secret, integration: id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _ingest.PostAsync(Body("admin-rotate-3", "+16305550104"), rotated.Secret, integration: id)).StatusCode);
    }

    [Fact]
    public async Task A_disabled_integration_gets_401_until_it_is_enabled_again()
    {
        var made = (await Service<IntegrationsAdminService>().CreateAsync(Actor, "Switchable PBX", IntegrationKind.JsonApi, Lakeside, null, default)).Value!;
        var id = made.IntegrationId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.OK, (await _ingest.PostAsync(Body("admin-switch-1", "+16305550104"), made.Secret, integration: id)).StatusCode);

        await Service<IntegrationsAdminService>().SetEnabledAsync(Actor, made.IntegrationId, false, default);
        var whileDisabled = await _ingest.PostAsync(Body("admin-switch-2", "+16305550104"), made.Secret, integration: id);
        await Service<IntegrationsAdminService>().SetEnabledAsync(Actor, made.IntegrationId, true, default);
        var enabledAgain = await _ingest.PostAsync(Body("admin-switch-3", "+16305550104"), made.Secret, integration: id);

        Assert.Equal(HttpStatusCode.Unauthorized, whileDisabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, enabledAgain.StatusCode);
    }

    [Fact]
    public async Task A_revoked_display_link_can_no_longer_subscribe()
    {
        var access = Service<AccessAdminService>();
        var link = (await access.CreateDisplayLinkAsync(Actor, Lakeside, Department.Sales, "Break room TV", app.BaseAddress.ToString(), default)).Value!;
        var token = link.Address[(link.Address.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..];
        await using (var before = await HubClient.ConnectAsync(app, token))
        {
            await before.Connection.InvokeAsync("Subscribe", Lakeside, "Sales");
        }

        await access.RevokeDisplayLinkAsync(Actor, link.Id, default);

        await using var after = HubClient.Build(app, token);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => after.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task New_thresholds_and_a_new_name_change_the_board_at_once()
    {
        var key = new BoardKey(Lakeside, Department.Sales);
        await app.WaitForBoardAsync(key, _ => true);
        var stores = Service<StoresAdminService>();
        var form = (await stores.GetAsync(Lakeside, default))!;
        form.Name = "Lakeside Toyota North";
        form.Settings.HoldWarningSeconds = 40;
        form.Settings.HoldLimitSeconds = 75;

        Assert.True((await stores.UpdateAsync(Actor, Lakeside, form, default)).Succeeded);

        var board = await app.WaitForBoardAsync(key, b => b.OnHold.LimitSeconds == 75);
        Assert.Equal(40, board.OnHold.WarningSeconds);
        Assert.Equal("Lakeside Toyota North", board.StoreName);
    }
}
