using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Web.Admin;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Admin;

/// <summary>The admin services in the running app, on its real SQLite database with the demo dealer group.</summary>
public abstract class AdminServicesTests(WallboardAppFactory app)
{
    public sealed class OnSqlite(WallboardAppFactory app) : AdminServicesTests(app), IClassFixture<WallboardAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory app) : AdminServicesTests(app), IClassFixture<PostgresAppFactory>;

    private const string Actor = "admin@lakeside.example";

    private readonly SignedIngestClient _ingest = new(app);

    private int Lakeside => _ingest.Credentials.Stores[0].Id;

    private int Bayview => _ingest.Credentials.Stores[1].Id;

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    private T Service<T>()
        where T : notnull => app.Services.GetRequiredService<T>();

    private async Task<WallboardDbContext> DbAsync() =>
        await app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync();

    private static Store NewStore(string name, string slug) => new()
    {
        Name = name,
        Slug = slug,
        City = "San Diego",
        TimeZoneId = "America/Los_Angeles",
        BusinessHours =
        [
            new BusinessHours { Department = Department.Sales, Day = DayOfWeek.Monday, Opens = new TimeOnly(9, 0), Closes = new TimeOnly(20, 0) },
            new BusinessHours { Department = Department.Sales, Day = DayOfWeek.Friday, Opens = new TimeOnly(18, 0), Closes = new TimeOnly(1, 0) },
        ],
        ClosedDates = [new ClosedDate { Date = new DateOnly(2026, 12, 25), Name = "Christmas" }],
    };

    [Fact]
    public async Task A_new_store_is_saved_with_its_hours_an_Unknown_source_and_an_audit_line_without_secrets()
    {
        var result = await Service<StoresAdminService>().CreateAsync(Actor, NewStore("Harbor Honda", "harbor-honda"), default);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        var id = result.Value!.Id;
        var saved = await Service<StoresAdminService>().GetAsync(id, default);
        Assert.Equal(2, saved!.BusinessHours.Count);
        Assert.Equal("Christmas", Assert.Single(saved.ClosedDates).Name);
        await using var db = await DbAsync();
        Assert.True(await db.LeadSources.AnyAsync(s => s.StoreId == id && s.Name == LeadSource.UnknownName));
        var entry = await db.AuditEntries.SingleAsync(e => e.EntityType == "Store" && e.EntityId == Key(id));
        Assert.Equal(Actor, entry.Actor);
        Assert.Equal("store.created", entry.Action);
        Assert.Null(entry.Before);
        Assert.Contains("Sales Friday 18:00-01:00", entry.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_slug_or_name_is_refused_next_to_its_field_and_nothing_is_saved()
    {
        var lakeside = await Service<StoresAdminService>().GetAsync(Lakeside, default);
        var copy = NewStore(lakeside!.Name, lakeside.Slug);

        var result = await Service<StoresAdminService>().CreateAsync(Actor, copy, default);

        Assert.False(result.Succeeded);
        Assert.Contains("already a store named", result.ErrorFor("Name"), StringComparison.Ordinal);
        Assert.Contains("is taken by another store", result.ErrorFor("Slug"), StringComparison.Ordinal);
        await using var db = await DbAsync();
        Assert.Equal(1, await db.Stores.CountAsync(s => s.Slug == lakeside.Slug));
    }

    [Fact]
    public async Task Editing_a_store_audits_before_and_after_and_an_unchanged_save_writes_nothing()
    {
        var service = Service<StoresAdminService>();
        var created = (await service.CreateAsync(Actor, NewStore("Mesa Kia", "mesa-kia"), default)).Value!;
        var form = (await service.GetAsync(created.Id, default))!;
        form.Settings.HoldLimitSeconds = 90;

        Assert.True((await service.UpdateAsync(Actor, created.Id, form, default)).Succeeded);
        Assert.True((await service.UpdateAsync(Actor, created.Id, form, default)).Succeeded);

        await using var db = await DbAsync();
        var updates = await db.AuditEntries.Where(e => e.EntityType == "Store" && e.EntityId == Key(created.Id) && e.Action == "store.updated").ToListAsync();
        var update = Assert.Single(updates);
        Assert.Equal(60, JsonDocument.Parse(update.Before!).RootElement.GetProperty("settings").GetProperty("holdLimitSeconds").GetInt32());
        Assert.Equal(90, JsonDocument.Parse(update.After!).RootElement.GetProperty("settings").GetProperty("holdLimitSeconds").GetInt32());
        Assert.Equal(90, (await db.Stores.SingleAsync(s => s.Id == created.Id)).Settings.HoldLimitSeconds);
    }

    [Fact]
    public async Task Overlapping_hours_and_a_bad_zone_are_refused_with_their_reasons()
    {
        var form = NewStore("Desert Mazda", "desert-mazda");
        form.TimeZoneId = "Mountain";
        form.BusinessHours.Add(new BusinessHours { Department = Department.Sales, Day = DayOfWeek.Monday, Opens = new TimeOnly(19, 0), Closes = new TimeOnly(21, 0) });

        var result = await Service<StoresAdminService>().CreateAsync(Actor, form, default);

        Assert.Contains("is not an IANA time zone", result.ErrorFor("TimeZoneId"), StringComparison.Ordinal);
        Assert.Contains("overlaps", result.ErrorFor("Hours"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(630) 555-0177", "+16305550177")]
    [InlineData("630.555.0178", "+16305550178")]
    [InlineData("+1 630 555 0179", "+16305550179")]
    public async Task A_tracking_number_typed_any_way_is_kept_in_E164(string typed, string e164)
    {
        var source = (await Service<LeadSourcesAdminService>().ListAsync(Lakeside, default)).First(s => s.Name == "Cars.com");

        var result = await Service<TrackingNumbersAdminService>().CreateAsync(Actor,
            new TrackingNumberForm { Number = typed, StoreId = Lakeside, LeadSourceId = source.Id, Label = "Test" }, default);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        Assert.Equal(e164, result.Value!.E164);
    }

    [Fact]
    public async Task Text_that_is_not_a_phone_number_and_a_number_another_store_has_are_refused()
    {
        var numbers = Service<TrackingNumbersAdminService>();
        var lakesideSource = (await Service<LeadSourcesAdminService>().ListAsync(Lakeside, default)).First(s => s.Name == "Cars.com");
        var bayviewSource = (await Service<LeadSourcesAdminService>().ListAsync(Bayview, default)).First(s => !s.IsUnknown);
        var taken = (await numbers.ListAsync(Lakeside, default))[0];

        var notANumber = await numbers.CreateAsync(Actor, new TrackingNumberForm { Number = "call us", StoreId = Lakeside, LeadSourceId = lakesideSource.Id }, default);
        var duplicate = await numbers.CreateAsync(Actor, new TrackingNumberForm { Number = taken.E164, StoreId = Bayview, LeadSourceId = bayviewSource.Id }, default);
        var wrongStore = await numbers.CreateAsync(Actor, new TrackingNumberForm { Number = "+16305550190", StoreId = Bayview, LeadSourceId = lakesideSource.Id }, default);

        Assert.Contains("is not a phone number", notANumber.ErrorFor(nameof(TrackingNumberForm.Number)), StringComparison.Ordinal);
        Assert.Equal($"{taken.E164} already rings {taken.StoreName} ({taken.SourceName}); a number maps to one store and source.", duplicate.ErrorFor(nameof(TrackingNumberForm.Number)));
        Assert.Equal("Choose one of this store's lead sources.", wrongStore.ErrorFor(nameof(TrackingNumberForm.LeadSourceId)));
    }

    [Fact]
    public async Task A_source_that_calls_name_cannot_be_deleted_but_can_be_deactivated()
    {
        var sources = Service<LeadSourcesAdminService>();
        var radio = (await sources.CreateAsync(Actor, Lakeside, "Radio WXRT", default)).Value!;
        var number = (await Service<TrackingNumbersAdminService>().CreateAsync(Actor,
            new TrackingNumberForm { Number = "+16305550181", StoreId = Lakeside, LeadSourceId = radio.Id }, default)).Value!;
        // Answered, so no call-back joins the count while the test reads it.
        await _ingest.PostEventsAsync(new CallBuilder("admin-radio-call", DateTimeOffset.UtcNow.AddMinutes(-5))
            .Started(to: number.E164).Ringing("101", 1).Answered("101", 5).Ended(30).Events);

        var deleted = await sources.DeleteAsync(Actor, radio.Id, default);
        var deactivated = await sources.SetActiveAsync(Actor, radio.Id, false, default);

        Assert.Equal("'Radio WXRT' cannot be deleted: 1 call and 1 tracking number refer to it. Deactivate it instead; its history stays.", deleted.ErrorFor(AdminResult.General));
        Assert.True(deactivated.Succeeded);
        Assert.False((await sources.ListAsync(Lakeside, default)).Single(s => s.Id == radio.Id).IsActive);
        var reuse = await Service<TrackingNumbersAdminService>().CreateAsync(Actor,
            new TrackingNumberForm { Number = "+16305550182", StoreId = Lakeside, LeadSourceId = radio.Id }, default);
        Assert.Contains("is deactivated", reuse.ErrorFor(nameof(TrackingNumberForm.LeadSourceId)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unused_source_is_deleted_and_duplicate_names_are_refused_whatever_their_case()
    {
        var sources = Service<LeadSourcesAdminService>();
        var billboard = (await sources.CreateAsync(Actor, Lakeside, "Billboard I-88", default)).Value!;

        var duplicate = await sources.CreateAsync(Actor, Lakeside, "billboard i-88", default);
        var deleted = await sources.DeleteAsync(Actor, billboard.Id, default);

        Assert.Contains("already has a lead source named", duplicate.ErrorFor(LeadSourcesAdminService.NameField), StringComparison.Ordinal);
        Assert.True(deleted.Succeeded);
        await using var db = await DbAsync();
        Assert.False(await db.LeadSources.AnyAsync(s => s.Id == billboard.Id));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "lead-source.deleted" && e.EntityId == Key(billboard.Id) && e.After == null));
    }

    [Fact]
    public async Task A_salesperson_who_answered_calls_is_deactivated_not_deleted_and_an_identity_names_one_person()
    {
        var people = Service<SalespeopleAdminService>();
        var created = (await people.CreateAsync(Actor, Lakeside, "Robin Vale", SalespersonRole.Salesperson, default)).Value!;
        var added = await people.AddIdentityAsync(Actor, created.Id, _ingest.IntegrationId, "177", default);
        var clash = await people.AddIdentityAsync(Actor, created.Id, _ingest.IntegrationId, "101", default);
        await _ingest.PostEventsAsync(new CallBuilder("admin-robin-call", DateTimeOffset.UtcNow.AddMinutes(-5))
            .Started(to: "+16305550104").Ringing("177", 1).Answered("177", 5).Ended(60).Events);

        var deleted = await people.DeleteAsync(Actor, created.Id, default);

        Assert.True(added.Succeeded);
        Assert.Contains("'101' already names", clash.ErrorFor("Identity"), StringComparison.Ordinal);
        Assert.Contains("Robin Vale cannot be deleted: 2 calls", deleted.ErrorFor(AdminResult.General), StringComparison.Ordinal);
        Assert.True((await people.UpdateAsync(Actor, created.Id, "Robin Vale", SalespersonRole.Salesperson, isActive: false, default)).Succeeded);
        await using var db = await DbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "salesperson.deactivated" && e.EntityId == Key(created.Id)));
    }

    [Fact]
    public async Task Integration_secrets_and_tokens_are_shown_once_and_never_reach_the_audit_trail()
    {
        var integration = (await Service<IntegrationsAdminService>().CreateAsync(Actor, "Audit PBX", IntegrationKind.AsteriskQueueLog, Lakeside, null, default)).Value!;
        var rotated = (await Service<IntegrationsAdminService>().RotateSecretAsync(Actor, integration.IntegrationId, null, default)).Value!;
        var token = (await Service<AccessAdminService>().CreateApiTokenAsync(Actor,
            new ApiTokenForm { Name = "Audit script", Role = WallboardRole.Manager, StoreId = Lakeside }, default)).Value!;
        var link = (await Service<AccessAdminService>().CreateDisplayLinkAsync(Actor, Lakeside, Department.Sales, "Audit TV", "http://localhost/", default)).Value!;

        await using var db = await DbAsync();
        var trail = string.Join("\n", await db.AuditEntries.Select(e => e.Before + " " + e.After).ToListAsync());
        Assert.Equal(64, integration.Secret.Length);
        Assert.NotEqual(integration.Secret, rotated.Secret);
        Assert.DoesNotContain(integration.Secret, trail, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated.Secret, trail, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Token, trail, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiToken.Hash(token.Token), trail, StringComparison.Ordinal);
        Assert.DoesNotContain(link.Address[(link.Address.IndexOf("token=", StringComparison.Ordinal) + 6)..], trail, StringComparison.Ordinal);
        var listed = (await Service<AccessAdminService>().ListApiTokensAsync(default)).Single(t => t.Id == token.Id);
        Assert.Equal(token.Token[^4..], listed.TokenHint);
        Assert.StartsWith("http://localhost/tv/", link.Address, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_salespersons_token_needs_a_store_and_a_person_of_that_store()
    {
        var access = Service<AccessAdminService>();
        var bayviewPerson = (await Service<SalespeopleAdminService>().ListAsync(Bayview, default))[0];

        var noStore = await access.CreateApiTokenAsync(Actor, new ApiTokenForm { Name = "x", Role = WallboardRole.Salesperson }, default);
        var wrongStore = await access.CreateApiTokenAsync(Actor,
            new ApiTokenForm { Name = "x", Role = WallboardRole.Salesperson, StoreId = Lakeside, SalespersonId = bayviewPerson.Id }, default);

        Assert.NotNull(noStore.ErrorFor(nameof(ApiTokenForm.StoreId)));
        Assert.NotNull(noStore.ErrorFor(nameof(ApiTokenForm.SalespersonId)));
        Assert.Equal("Choose someone from the token's store.", wrongStore.ErrorFor(nameof(ApiTokenForm.SalespersonId)));
    }

    [Fact]
    public async Task A_Twilio_integration_takes_the_accounts_auth_token_and_refuses_anything_else()
    {
        var service = Service<IntegrationsAdminService>();

        var bad = await service.CreateAsync(Actor, "Twilio West", IntegrationKind.Twilio, Bayview, "not-a-token", default);
        var good = await service.CreateAsync(Actor, "Twilio West", IntegrationKind.Twilio, Bayview, "0123456789abcdef0123456789abcdef", default);

        Assert.Contains("32 hexadecimal characters", bad.ErrorFor("TwilioAuthToken"), StringComparison.Ordinal);
        Assert.Equal("0123456789abcdef0123456789abcdef", good.Value!.Secret);
    }

    [Fact]
    public async Task The_audit_viewer_pages_newest_first_and_filters_by_type_store_and_actor()
    {
        var sources = Service<LeadSourcesAdminService>();
        for (var i = 0; i < 5; i++)
        {
            await sources.CreateAsync("paging@lakeside.example", Bayview, $"Paging source {i}", default);
        }

        var queries = Service<AuditQueries>();
        var first = await queries.PageAsync(new AuditFilter("LeadSource", Bayview, "paging@lakeside.example"), 0, 2, default);
        var last = await queries.PageAsync(new AuditFilter("LeadSource", Bayview, "paging@lakeside.example"), 2, 2, default);
        var choices = await queries.ChoicesAsync(default);

        Assert.Equal(5, first.Total);
        Assert.Equal(2, first.Entries.Count);
        Assert.True(first.Entries[0].At >= first.Entries[1].At);
        Assert.Contains("Paging source 4", first.Entries[0].After, StringComparison.Ordinal);
        Assert.Contains("Paging source 0", Assert.Single(last.Entries).After, StringComparison.Ordinal);
        Assert.Contains("paging@lakeside.example", choices.Actors);
        Assert.Contains("LeadSource", choices.EntityTypes);
    }
}
