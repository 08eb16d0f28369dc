using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Tests.Live;
using Wallboard.Web.Auth;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;
using Wallboard.Web.Live;
using Wallboard.Web.Privacy;

namespace Wallboard.Tests.Privacy;

/// <summary>
/// <c>GET</c> and <c>DELETE /api/v1/privacy/callers/{number}</c> on the whole app over a real
/// loopback port: who may, what the export holds, what an erase leaves, and that the live board,
/// the call-back queue and later events of the same call all carry on.
/// </summary>
public class PrivacyApiTests(WallboardAppFactory app) : IClassFixture<WallboardAppFactory>
{
    private const string CarsComLine = "+16305550104";

    private readonly SignedIngestClient _ingest = new(app);

    private int Lakeside => _ingest.Credentials.Stores[0].Id;

    private string ManagerOf(int store) => _ingest.Credentials.ApiTokens.Single(t => t.Role == "Manager" && t.StoreId == store).Token;

    private HttpClient As(string? token)
    {
        var http = app.CreateHttpClient();
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    /// <summary>An admin's API token (the demo writes none), made as an admin would.</summary>
    private async Task<string> AdminTokenAsync()
    {
        var (token, hash) = ApiToken.NewToken();
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        db.ApiTokens.Add(new ApiToken { Name = "privacy-admin@example.com", TokenHash = hash, Role = WallboardRole.Admin, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        return token;
    }

    private static string Path(string number) => "api/v1/privacy/callers/" + Uri.EscapeDataString(number);

    private async Task PostAsync(IEnumerable<Wallboard.Domain.Calls.CallEvent> events) =>
        (await _ingest.PostEventsAsync(events)).EnsureSuccessStatusCode();

    /// <summary>Waits, without sleeping, until the database shows what <paramref name="done"/> asks for; looks again on every call-back change.</summary>
    private async Task EventuallyAsync(Func<WallboardDbContext, Task<bool>> done)
    {
        var signal = new SemaphoreSlim(0);
        using var subscription = app.Services.GetRequiredService<ICallbackChangeNotifier>()
            .Subscribe(_ => { signal.Release(); return ValueTask.CompletedTask; });
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            await using (var db = await factory.CreateDbContextAsync())
            {
                if (await done(db))
                {
                    return;
                }
            }

            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero || !await signal.WaitAsync(left))
            {
                throw new TimeoutException("The app never reached the state the test waits for.");
            }
        }
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Only_an_admin_may_export_or_erase_a_caller()
    {
        var salesperson = _ingest.Credentials.ApiTokens.First(t => t.Role == "Salesperson").Token;
        var admin = await AdminTokenAsync();
        var path = Path("+13125550180");

        await ProblemAsync(await As(null).GetAsync(path), HttpStatusCode.Unauthorized);
        await ProblemAsync(await As(null).DeleteAsync(path), HttpStatusCode.Unauthorized);
        await ProblemAsync(await As(ManagerOf(Lakeside)).GetAsync(path), HttpStatusCode.Forbidden);
        await ProblemAsync(await As(ManagerOf(Lakeside)).DeleteAsync(path), HttpStatusCode.Forbidden);
        await ProblemAsync(await As(salesperson).GetAsync(path), HttpStatusCode.Forbidden);
        await ProblemAsync(await As(salesperson).DeleteAsync(path), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await As(admin).GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task A_bad_number_is_a_400_problem_that_says_how_to_write_it()
    {
        var admin = As(await AdminTokenAsync());

        foreach (var bad in (string[])["hello", "12", "anonymous", new string('9', 80)])
        {
            var problem = await ProblemAsync(await admin.GetAsync(Path(bad)), HttpStatusCode.BadRequest);
            Assert.Equal("Not a phone number.", problem.GetProperty("title").GetString());
            Assert.Contains("country code", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            await ProblemAsync(await admin.DeleteAsync(Path(bad)), HttpStatusCode.BadRequest);
        }
    }

    [Fact]
    public async Task Export_downloads_every_call_event_and_call_back_of_the_number_written_in_any_format()
    {
        var admin = As(await AdminTokenAsync());
        var start = DateTimeOffset.UtcNow.AddMinutes(-40);
        await PostAsync(new CallBuilder("export-missed", start).Started(from: "3125550181", to: CarsComLine).Queued().Ended(45).Events
            .Select(e => e with { CallerName = "Rosa Export" }));
        await PostAsync(new CallBuilder("export-other", start.AddMinutes(1)).Started(from: "+13125550189", to: CarsComLine).Answered("101", 5).Ended(60).Events);
        await EventuallyAsync(db => db.Callbacks.AnyAsync(c => c.CallerE164 == "+13125550181"));
        await PostAsync(new CallBuilder("export-connected", start.AddMinutes(10)).Started(from: "+1 (312) 555-0181", to: CarsComLine).Answered("101", 8).Ended(90).Events);

        var response = await admin.GetAsync(Path("(312) 555-0181"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.DoesNotContain("5550181", response.Content.Headers.ContentDisposition?.FileName ?? "", StringComparison.Ordinal);
        var export = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("+13125550181", export.GetProperty("number").GetString());
        var calls = export.GetProperty("calls").EnumerateArray().ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal("+13125550181", c.GetProperty("callerNumber").GetString()));
        Assert.Equal("Rosa Export", calls[0].GetProperty("callerName").GetString());
        Assert.Equal(["Abandoned", "Connected"], calls.Select(c => c.GetProperty("outcome").GetString()));
        Assert.Equal(["call.started", "call.queued", "call.ended"], calls[0].GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        var callback = Assert.Single(export.GetProperty("callbacks").EnumerateArray());
        Assert.Equal("+13125550181", callback.GetProperty("callerNumber").GetString());
        Assert.Equal(calls[0].GetProperty("id").GetInt64(), Assert.Single(callback.GetProperty("callIds").EnumerateArray()).GetInt64());
        Assert.NotEmpty(callback.GetProperty("transitions").EnumerateArray());
        Assert.DoesNotContain("5550189", export.GetRawText(), StringComparison.Ordinal);

        // The same download for the number in E.164 and written the international way.
        var again = await admin.GetFromJsonAsync<JsonElement>(Path("0013125550181"));
        Assert.Equal(2, again.GetProperty("calls").GetArrayLength());
    }

    [Fact]
    public async Task Erase_anonymizes_every_trace_keeps_the_calls_and_is_audited_under_the_pseudonym()
    {
        var admin = As(await AdminTokenAsync());
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        await PostAsync(new CallBuilder("erase-missed-1", start).Started(from: "+13125550182", to: CarsComLine).Queued().Ended(45).Events
            .Select(e => e with { CallerName = "Sam Erase" }));
        await PostAsync(new CallBuilder("erase-missed-2", start.AddMinutes(2)).Started(from: "+13125550182", to: CarsComLine).Queued().Ended(30).Events);
        await EventuallyAsync(db => db.Callbacks.AnyAsync(c => c.CallerE164 == "+13125550182" && c.MissedCallCount == 2));
        var pseudonym = app.Services.GetRequiredService<PrivacyKey>().Pseudonym("+13125550182");

        var response = await admin.DeleteAsync(Path("312-555-0182"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var erased = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, erased.GetProperty("calls").GetInt32());
        Assert.Equal(1, erased.GetProperty("callbacks").GetInt32());
        Assert.Equal(1, erased.GetProperty("callbacksClosed").GetInt32());

        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var calls = await db.Calls.AsNoTracking().Where(c => c.ExternalId.StartsWith("erase-missed-")).ToListAsync();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.True(CallerPseudonym.IsPseudonym(c.CallerE164)));
        Assert.Single(calls.Select(c => c.CallerE164).Distinct());
        Assert.NotEqual(pseudonym, calls[0].CallerE164);
        Assert.All(calls, c => Assert.Null(c.CallerName));
        Assert.All(calls, c => Assert.Equal("Abandoned", c.Outcome.ToString()));
        var payloads = await db.CallEvents.AsNoTracking().Where(e => e.CallId.StartsWith("erase-missed-")).Select(e => e.Payload).ToListAsync();
        Assert.Equal(6, payloads.Count);
        Assert.All(payloads, p => Assert.DoesNotContain("5550182", p, StringComparison.Ordinal));
        Assert.All(payloads, p => Assert.DoesNotContain("Sam Erase", p, StringComparison.Ordinal));
        var callback = await db.Callbacks.AsNoTracking().Include(c => c.Transitions).SingleAsync(c => c.CallerE164 == calls[0].CallerE164);
        Assert.Equal(Wallboard.Domain.Callbacks.CallbackStatus.Closed, callback.Status);
        Assert.Equal(2, callback.MissedCallCount);
        Assert.Null(callback.CallerName);
        Assert.All(callback.Transitions, t => Assert.Equal(CallerPrivacy.EraseReason, t.Reason));
        Assert.False(await db.Callbacks.AnyAsync(c => c.CallerE164 == "+13125550182"));

        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.Action == "privacy.caller-erased").ToListAsync();
        var entry = Assert.Single(audit, a => a.EntityId == pseudonym);
        Assert.Equal("privacy-admin@example.com", entry.Actor);
        Assert.DoesNotContain("5550182", entry.After ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(await db.AuditEntries.AsNoTracking().Select(a => a.EntityId + a.Before + a.After).ToListAsync(),
            text => text.Contains("5550182", StringComparison.Ordinal));

        // Nothing is left to export, and erasing again finds nothing.
        var export = await admin.GetFromJsonAsync<JsonElement>(Path("+13125550182"));
        Assert.Equal(0, export.GetProperty("calls").GetArrayLength());
        Assert.Equal(0, export.GetProperty("callbacks").GetArrayLength());
        var again = await (await admin.DeleteAsync(Path("+13125550182"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, again.GetProperty("calls").GetInt32());
    }

    [Fact]
    public async Task Erasing_a_caller_on_a_live_call_updates_the_board_and_later_events_of_the_call_still_land()
    {
        var admin = As(await AdminTokenAsync());
        var board = new BoardKey(Lakeside, Department.Sales);
        var start = DateTimeOffset.UtcNow.AddSeconds(-20);
        await PostAsync(new CallBuilder("erase-live", start).Started(from: "+13125550183", to: CarsComLine).Ringing("101", 1).Events
            .Select(e => e with { CallerName = "Lee Live" }));
        await app.WaitForBoardAsync(board, b => b.Waiting.Calls.Any(c => c.Caller == "+13125550183"));

        (await admin.DeleteAsync(Path("+13125550183"))).EnsureSuccessStatusCode();

        var after = await app.WaitForBoardAsync(board, b => b.Waiting.Calls.Any(c => c.Caller == CallerPseudonym.Shown)
            && b.Waiting.Calls.All(c => c.Caller != "+13125550183"));
        Assert.Null(after.Waiting.Calls.Single(c => c.Caller == CallerPseudonym.Shown).CallerName);

        // The caller hangs up: the call ends missed, still anonymous, and no call-back is made for a number nobody holds.
        var late = await _ingest.PostEventsAsync(new CallBuilder("erase-live", start).RingNoAnswer("101", 20).Ended(25).Events
            .Select((e, i) => e with { EventId = $"erase-live-late-{i}", From = "+13125550183", CallerName = "Lee Live" }));
        late.EnsureSuccessStatusCode();
        Assert.Equal(2, (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        var ended = await app.WaitForBoardAsync(board, b => b.Waiting.Calls.All(c => c.Caller != CallerPseudonym.Shown));
        Assert.DoesNotContain(ended.Waiting.Calls, c => c.Caller == "+13125550183");

        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var call = await db.Calls.AsNoTracking().SingleAsync(c => c.ExternalId == "erase-live");
        Assert.Equal("Abandoned", call.Outcome.ToString());
        Assert.True(CallerPseudonym.IsPseudonym(call.CallerE164));
        Assert.Null(call.CallerName);
        Assert.Equal(4, call.EventCount);
        // The late events named the caller again; they were stored without the number.
        var payloads = await db.CallEvents.AsNoTracking().Where(e => e.CallId == "erase-live").Select(e => e.Payload).ToListAsync();
        Assert.Equal(4, payloads.Count);
        Assert.All(payloads, p => Assert.DoesNotContain("5550183", p, StringComparison.Ordinal));
        Assert.All(payloads, p => Assert.DoesNotContain("Lee Live", p, StringComparison.Ordinal));
        // Handed to the intake again now (whether or not its watcher got there first): nothing is made.
        Assert.Empty(await app.Services.GetRequiredService<CallbackIntake>().ProcessAsync([call.Id], CancellationToken.None));
        Assert.False(await db.CallbackCalls.AnyAsync(l => l.CallId == call.Id));
        Assert.False(await db.Callbacks.AnyAsync(c => c.CallerE164 == "+13125550183" || c.CallerE164 == call.CallerE164));
    }
}
