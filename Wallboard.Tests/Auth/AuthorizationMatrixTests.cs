using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Callbacks;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Tests.Live;
using Wallboard.Web.Auth;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;
using Wallboard.Web.Ingest.Twilio;

namespace Wallboard.Tests.Auth;

/// <summary>
/// Who may do what (§9), for every endpoint the app maps: each row names an endpoint as the app's
/// endpoint data source lists it, a request for store A (own) and store B (other), and the answer
/// each caller gets. A new or changed endpoint without a row fails the test; so does a row whose
/// endpoint is gone; and every protected row has a caller who must be refused, so removing a check
/// fails it too. Accounts call pages with their sign-in cookie and the API with their API token
/// (and, for reading, with their cookie too: it must answer the same).
/// </summary>
public sealed class AuthorizationMatrixTests(WallboardAppFactory app) : IClassFixture<WallboardAppFactory>
{
    /// <summary>The callers of the matrix.</summary>
    public enum Who
    {
        Anonymous,
        Admin,
        ManagerA,
        SalespersonA,
        DisplayA,
        Integration,
    }

    // Claiming is a salesperson's act: a manager reassigns instead (docs/callbacks.md).
    // Answers, by kind: ok = 2xx; sign-in = 401, or a page's redirect to the sign-in page;
    // denied = 403, or a page's redirect to "not allowed"; acted = got past every check to the
    // call-back rules (2xx, or 400/409 when the call-back's state says no); missing = 404.
    private sealed record Row(string Endpoint, Func<Fixture, int, HttpRequestMessage> Request, string Expected, bool Api = false);

    private static readonly Row[] Rows =
    [
        // Pages.
        new("GET,POST /", (_, _) => Get(""), "anon=ok admin=ok manager=ok sales=ok display=ok integration=ok"),
        new("GET,POST /manager", (_, _) => Get("manager"), "anon=sign-in admin=ok manager=ok sales=denied display=denied integration=sign-in"),
        new("GET,POST /manager/live/{StoreId:int}", (_, s) => Get($"manager/live/{s}"), "anon=sign-in admin=ok manager=ok/denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /callbacks", (_, s) => Get($"callbacks?store={s}"), "anon=sign-in admin=ok manager=ok/denied sales=ok/denied display=denied integration=sign-in"),
        new("GET,POST /callbacks/manage", (_, s) => Get($"callbacks/manage?store={s}"), "anon=sign-in admin=ok manager=ok/denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /admin", (_, _) => Get("admin"), "anon=sign-in admin=ok manager=denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /admin/users", (_, _) => Get("admin/users"), "anon=sign-in admin=ok manager=denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /admin/stores", (_, _) => Get("admin/stores"), "anon=sign-in admin=ok manager=denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /admin/stores/new", (_, _) => Get("admin/stores/new"), "anon=sign-in admin=ok manager=denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /admin/stores/{Id:int}", (_, s) => Get($"admin/stores/{s}"), "anon=sign-in admin=ok manager=denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /admin/integrations", (_, _) => Get("admin/integrations"), "anon=sign-in admin=ok manager=denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /admin/display-links", (_, _) => Get("admin/display-links"), "anon=sign-in admin=ok manager=denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /admin/api-tokens", (_, _) => Get("admin/api-tokens"), "anon=sign-in admin=ok manager=denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /admin/audit", (_, _) => Get("admin/audit"), "anon=sign-in admin=ok manager=denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /admin/alerts", (_, _) => Get("admin/alerts"), "anon=sign-in admin=ok manager=denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /account", (_, _) => Get("account"), "anon=sign-in admin=ok manager=ok sales=ok display=denied integration=sign-in"),
        new("GET,POST /admin/privacy", (_, _) => Get("admin/privacy"), "anon=sign-in admin=ok manager=denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /manager/calls", (_, s) => Get($"manager/calls?store={s}"), "anon=sign-in admin=ok manager=ok/denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /manager/calls/{CallId:long}", (f, s) => Get($"manager/calls/{f.CallOf(s)}"), "anon=sign-in admin=ok manager=ok/denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /manager/staffing", (_, s) => Get($"manager/staffing?store={s}"), "anon=sign-in admin=ok manager=ok/denied sales=denied display=denied integration=sign-in"),
        new("GET,POST /manager/reports", (_, s) => Get($"manager/reports?store={s}"), "anon=sign-in admin=ok manager=ok/denied sales=denied display=denied integration=sign-in"),
        // The TV takes its display token in its address, and only its own store's.
        new("GET,POST /tv/{StoreSlug}", (f, s) => Get($"tv/{f.Slug(s)}?token={Uri.EscapeDataString(f.DisplayTokenA)}"), "anon=ok/denied admin=ok/denied manager=ok/denied sales=ok/denied display=ok/denied integration=ok/denied"),
        new("GET,POST /account/sign-in", (_, _) => Get("account/sign-in"), "anon=ok admin=ok manager=ok sales=ok display=ok integration=ok"),
        new("GET,POST /account/sign-out", (_, _) => Get("account/sign-out"), "anon=ok admin=ok manager=ok sales=ok display=ok integration=ok"),
        new("GET,POST /account/not-allowed", (_, _) => Get("account/not-allowed"), "anon=denied admin=denied manager=denied sales=denied display=denied integration=denied"),
        new("GET,POST /not-found", (_, _) => Get("not-found"), "anon=ok admin=ok manager=ok sales=ok display=ok integration=ok"),
        new("GET,POST /Error", (_, _) => Get("Error"), "anon=ok admin=ok manager=ok sales=ok display=ok integration=ok"),

        // Reading through the API.
        new("GET /api/v1/stores", (_, _) => Get("api/v1/stores"), "anon=sign-in admin=ok manager=ok sales=denied display=denied integration=sign-in", Api: true),
        new("GET /api/v1/stores/{storeId:int}/board", (_, s) => Get($"api/v1/stores/{s}/board"), "anon=sign-in admin=ok manager=ok/denied sales=denied display=ok/denied integration=sign-in", Api: true),
        new("GET /api/v1/calls", (_, s) => Get($"api/v1/calls?store={s}"), "anon=sign-in admin=ok manager=ok/denied sales=denied display=denied integration=sign-in", Api: true),
        new("GET /api/v1/calls/{id:long}", (f, s) => Get($"api/v1/calls/{f.CallOf(s)}"), "anon=sign-in admin=ok manager=ok/missing sales=denied display=denied integration=sign-in", Api: true),
        new("GET /api/v1/calls.csv", (_, s) => Get($"api/v1/calls.csv?store={s}"), "anon=sign-in admin=ok manager=ok/denied sales=denied display=denied integration=sign-in", Api: true),
        new("GET /api/v1/stores/{storeId:int}/metrics", (_, s) => Get($"api/v1/stores/{s}/metrics?window=Today"), "anon=sign-in admin=ok manager=ok/denied sales=denied display=denied integration=sign-in", Api: true),
        new("GET /api/v1/stores/{storeId:int}/metrics/source-costs", (_, s) => Get($"api/v1/stores/{s}/metrics/source-costs"), "anon=sign-in admin=ok manager=ok/denied sales=denied display=denied integration=sign-in", Api: true),
        new("GET /api/v1/stores/{storeId:int}/metrics/source-costs.csv", (_, s) => Get($"api/v1/stores/{s}/metrics/source-costs.csv"), "anon=sign-in admin=ok manager=ok/denied sales=denied display=denied integration=sign-in", Api: true),
        new("GET /api/v1/stores/{storeId:int}/staffing", (_, s) => Get($"api/v1/stores/{s}/staffing"), "anon=sign-in admin=ok manager=ok/denied sales=denied display=denied integration=sign-in", Api: true),
        new("GET /api/v1/staffing/erlang-c", (_, _) => Get("api/v1/staffing/erlang-c?callsPerHour=200&handleSeconds=180&answerWithinSeconds=20&serviceLevel=0.8"), "anon=sign-in admin=ok manager=ok sales=denied display=denied integration=sign-in", Api: true),
        new("GET /api/v1/privacy/callers/{number}", (_, _) => Get("api/v1/privacy/callers/%2B13125550199"), "anon=sign-in admin=ok manager=denied sales=denied display=denied integration=sign-in", Api: true),
        new("DELETE /api/v1/privacy/callers/{number}", (_, _) => new HttpRequestMessage(HttpMethod.Delete, "api/v1/privacy/callers/%2B13125550199"), "anon=sign-in admin=ok manager=denied sales=denied display=denied integration=sign-in", Api: true),
        new("GET /api/v1/callbacks/", (_, s) => Get($"api/v1/callbacks?store={s}"), "anon=sign-in admin=ok manager=ok/denied sales=ok/denied display=denied integration=sign-in", Api: true),
        new("GET /api/v1/callbacks/{id:long}", (f, s) => Get($"api/v1/callbacks/{f.CallbackOf(s)}"), "anon=sign-in admin=ok manager=ok/denied sales=ok/denied display=denied integration=sign-in", Api: true),

        // Working call-backs through the API: bearer tokens only.
        new("POST /api/v1/callbacks/{id:long}/claim", (f, s) => Post($"api/v1/callbacks/{f.CallbackOf(s)}/claim", null), "anon=sign-in admin=denied manager=denied sales=acted/denied display=denied integration=sign-in", Api: true),
        new("POST /api/v1/callbacks/{id:long}/release", (f, s) => Post($"api/v1/callbacks/{f.CallbackOf(s)}/release", null), "anon=sign-in admin=acted manager=acted/denied sales=acted/denied display=denied integration=sign-in", Api: true),
        new("POST /api/v1/callbacks/{id:long}/attempts", (f, s) => Post($"api/v1/callbacks/{f.CallbackOf(s)}/attempts", """{"outcome":"NoAnswer","note":"matrix"}"""), "anon=sign-in admin=acted manager=acted/denied sales=acted/denied display=denied integration=sign-in", Api: true),
        new("POST /api/v1/callbacks/{id:long}/reassign", (f, s) => Post($"api/v1/callbacks/{f.CallbackOf(s)}/reassign", $$"""{"salespersonId":{{f.SalespersonOf(s)}},"reason":"matrix"}"""), "anon=sign-in admin=acted manager=acted/denied sales=denied display=denied integration=sign-in", Api: true),
        new("POST /api/v1/callbacks/{id:long}/close", (f, s) => Post($"api/v1/callbacks/{f.CallbackOf(s)}/close", """{"reason":"matrix"}"""), "anon=sign-in admin=acted manager=acted/denied sales=denied display=denied integration=sign-in", Api: true),

        // Events in: only a signed integration, whatever else the caller holds.
        new("POST /api/v1/call-events", (f, s) => f.CallEvents(s), "anon=sign-in admin=sign-in manager=sign-in sales=sign-in display=sign-in integration=ok", Api: true),
        new("POST /api/v1/integrations/{id:int}/asterisk/queue-log", (f, s) => f.QueueLog(s), "anon=sign-in admin=sign-in manager=sign-in sales=sign-in display=sign-in integration=ok/sign-in", Api: true),
        new("POST /api/v1/integrations/{id:int}/twilio/voice-status", (f, s) => f.TwilioStatus(s), "anon=sign-in admin=sign-in manager=sign-in sales=sign-in display=sign-in integration=ok/sign-in", Api: true),

        // The hub: a bearer token on the connection (hub methods have their own test below).
        new("* /hubs/wallboard/negotiate", (_, _) => Post("hubs/wallboard/negotiate?negotiateVersion=1", null), "anon=sign-in admin=ok manager=ok sales=ok display=ok integration=sign-in", Api: true),
        new("* /hubs/wallboard", (_, _) => Get("hubs/wallboard?id=none"), "anon=sign-in admin=missing manager=missing sales=missing display=missing integration=sign-in", Api: true),

        // Open by design: health, Blazor's own plumbing (each page authorizes itself, also inside a
        // circuit), static files and the API's not-found answer.
        new("* /health", (_, _) => Get("health"), "anon=ok admin=ok manager=ok sales=ok display=ok integration=ok"),
        new("* /api/{**path}", (_, _) => Get("api/v1/no-such-thing"), "anon=missing admin=missing manager=missing sales=missing display=missing integration=missing", Api: true),
        new("GET,HEAD {**path:file}", (_, _) => Get("no-such-file.txt"), "anon=missing admin=missing manager=missing sales=missing display=missing integration=missing"),
        new("GET /_framework/opaque-redirect", (_, _) => Get("_framework/opaque-redirect"), "anon=bad admin=bad manager=bad sales=bad display=bad integration=bad"),
        new("* /_blazor/negotiate", (_, _) => Post("_blazor/negotiate?negotiateVersion=1", null), "anon=ok admin=ok manager=ok sales=ok display=ok integration=ok"),
        new("* /_blazor", (_, _) => Get("_blazor?id=none"), "anon=missing admin=missing manager=missing sales=missing display=missing integration=missing"),
        new("* /_blazor/disconnect/", (_, _) => Post("_blazor/disconnect/", ""), "anon=bad admin=bad manager=bad sales=bad display=bad integration=bad"),
        new("* /_blazor/initializers/", (_, _) => Get("_blazor/initializers/"), "anon=ok admin=ok manager=ok sales=ok display=ok integration=ok"),
    ];

    [Fact]
    public void Every_endpoint_the_app_maps_has_a_row_and_every_row_an_endpoint()
    {
        var mapped = Endpoints(app).ToHashSet();
        var rows = Rows.Select(r => r.Endpoint).ToHashSet();

        Assert.Empty(mapped.Except(rows).Order());
        Assert.Empty(rows.Except(mapped).Order());
        // Every endpoint that is not open by design refuses someone.
        Assert.All(Rows.Where(r => r.Request is not null), r => Assert.True(
            r.Expected.Contains("sign-in", StringComparison.Ordinal) || r.Expected.Contains("denied", StringComparison.Ordinal)
            || r.Expected.Split(' ').All(e => e.EndsWith("=ok", StringComparison.Ordinal) || e.EndsWith("=missing", StringComparison.Ordinal) || e.EndsWith("=bad", StringComparison.Ordinal)),
            r.Endpoint));
    }

    [Fact]
    public async Task Every_caller_gets_the_answer_the_matrix_says_for_its_own_store_and_the_other()
    {
        var fixture = await Fixture.CreateAsync(app);
        var wrong = new List<string>();
        foreach (var row in Rows)
        {
            var expected = Parse(row.Expected);
            foreach (var (who, (own, other)) in expected)
            {
                foreach (var (store, want) in new[] { (fixture.A, own), (fixture.B, other) })
                {
                    foreach (var (how, client) in fixture.ClientsFor(who, row.Api))
                    {
                        using var request = row.Request(fixture, store);
                        fixture.Prepare(who, request);
                        using var response = await client.SendAsync(request);
                        // A cookie never changes anything through the API (no CSRF) and never opens the
                        // hub: the bearer token does.
                        var cookieRefused = row.Api && (request.Method != HttpMethod.Get || row.Endpoint.Contains("/hubs/", StringComparison.Ordinal));
                        var expectedNow = how == "cookie" && cookieRefused ? "sign-in" : want;
                        var got = Kind(response);
                        if (!Matches(expectedNow, got))
                        {
                            wrong.Add($"{row.Endpoint} as {who} ({how}) in {(store == fixture.A ? "own" : "other")} store: expected {expectedNow}, got {got} ({(int)response.StatusCode} {response.Headers.Location})");
                        }
                    }
                }
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Hub_methods_answer_each_caller_for_its_own_board_only()
    {
        var fixture = await Fixture.CreateAsync(app);
        var expected = new (Who Who, string Token, bool Own, bool Other)[]
        {
            (Who.Admin, fixture.AdminToken, true, true),
            (Who.ManagerA, fixture.ManagerTokenA, true, false),
            (Who.SalespersonA, fixture.SalespersonTokenA, false, false),
            (Who.DisplayA, fixture.DisplayTokenA, true, false),
        };
        foreach (var (who, token, own, other) in expected)
        {
            await using var hub = await HubClient.ConnectAsync(app, token);
            foreach (var method in (string[])["Subscribe", "Unsubscribe"])
            {
                foreach (var (store, allowed) in new[] { (fixture.A, own), (fixture.B, other) })
                {
                    var call = hub.Connection.InvokeAsync(method, store, "Sales");
                    if (allowed)
                    {
                        await call;
                    }
                    else
                    {
                        var refused = await Assert.ThrowsAsync<HubException>(() => call);
                        Assert.Contains("may not see", refused.Message, StringComparison.Ordinal);
                    }
                }
            }

            Assert.True(who != Who.Anonymous);
        }
    }

    internal static IEnumerable<string> Endpoints(WallboardAppFactory app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<StaticAssetDescriptor>() is null)
            .Select(e => $"{string.Join(",", e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])} {e.RoutePattern.RawText}")
            .Distinct();

    private static Dictionary<Who, (string Own, string Other)> Parse(string expected) =>
        expected.Split(' ').Select(part => part.Split('=')).ToDictionary(
            kv => kv[0] switch
            {
                "anon" => Who.Anonymous,
                "admin" => Who.Admin,
                "manager" => Who.ManagerA,
                "sales" => Who.SalespersonA,
                "display" => Who.DisplayA,
                "integration" => Who.Integration,
                _ => throw new ArgumentException(kv[0]),
            },
            kv => kv[1].Split('/') is [var own, var other] ? (own, other) : (kv[1], kv[1]));

    private static string Kind(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status == 302)
        {
            var to = response.Headers.Location?.ToString() ?? string.Empty;
            return to.Contains("/account/sign-in", StringComparison.Ordinal) ? "sign-in"
                : to.Contains("/account/not-allowed", StringComparison.Ordinal) ? "denied"
                : $"redirect {to}";
        }

        return status switch
        {
            >= 200 and < 300 => "ok",
            401 => "sign-in",
            403 => "denied",
            404 => "missing",
            400 => "bad",
            409 => "conflict",
            _ => status.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static bool Matches(string expected, string got) =>
        expected == got || (expected == "acted" && got is "ok" or "bad" or "conflict");

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Post(string path, string? json) =>
        new(HttpMethod.Post, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Two stores, a call and a call-back in each, and a client for every caller.</summary>
    internal sealed class Fixture
    {
        private readonly WallboardAppFactory _app;
        private readonly SignedIngestClient _ingest;
        private readonly Dictionary<int, long> _calls = [];
        private readonly Dictionary<int, long> _callbacks = [];
        private readonly Dictionary<Who, HttpClient> _cookies = [];
        private int _sequence;

        private Fixture(WallboardAppFactory app)
        {
            _app = app;
            _ingest = new SignedIngestClient(app);
        }

        public int A => _ingest.Credentials.Stores[0].Id;

        public int B => _ingest.Credentials.Stores[1].Id;

        public string DisplayTokenA => _ingest.Credentials.DisplayLinks!.Single(l => l.StoreId == A).Token;

        public string ManagerTokenA => _ingest.Credentials.ApiTokens.Single(t => t.Role == "Manager" && t.StoreId == A).Token;

        public string SalespersonTokenA { get; private set; } = null!;

        public string AdminToken { get; private set; } = null!;

        public string Slug(int store) => _ingest.Credentials.Stores.Single(s => s.Id == store).Slug;

        public long CallOf(int store) => _calls[store];

        public long CallbackOf(int store) => _callbacks[store];

        public int SalespersonOf(int store) => _ingest.Credentials.ApiTokens.First(t => t.Role == "Salesperson" && t.StoreId == store).SalespersonId!.Value;

        public static async Task<Fixture> CreateAsync(WallboardAppFactory app)
        {
            var fixture = new Fixture(app);
            await fixture.PrepareAsync();
            return fixture;
        }

        private async Task PrepareAsync()
        {
            var salesperson = TestAccounts.DemoOf(_app, "Salesperson", A);
            SalespersonTokenA = _ingest.Credentials.ApiTokens.Single(t => t.SalespersonId == salesperson.SalespersonId).Token;
            await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync())
            {
                var (token, hash) = ApiToken.NewToken();
                db.ApiTokens.Add(new ApiToken { Name = "Matrix admin", TokenHash = hash, Role = WallboardRole.Admin, CreatedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync();
                AdminToken = token;
            }

            _cookies[Who.Admin] = await TestAccounts.SignedInAsync(_app, TestAccounts.DemoOf(_app, "Admin").Email, TestAccounts.DemoOf(_app, "Admin").Password);
            var manager = TestAccounts.DemoOf(_app, "Manager", A);
            _cookies[Who.ManagerA] = await TestAccounts.SignedInAsync(_app, manager.Email, manager.Password);
            _cookies[Who.SalespersonA] = await TestAccounts.SignedInAsync(_app, salesperson.Email, salesperson.Password);

            // A missed call in each store: a call to read and a call-back to work.
            var lines = new Dictionary<int, string> { [A] = "+16305550104", [B] = "+18135550114" };
            foreach (var store in (int[])[A, B])
            {
                var caller = $"+1312555{(store == A ? "08" : "09")}{Random.Shared.Next(10, 99)}";
                var posted = await _ingest.PostEventsAsync(new CallBuilder($"matrix-{store}-{Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddMinutes(-3))
                    .Started(from: caller, to: lines[store]).Queued().Ended(45).Events);
                posted.EnsureSuccessStatusCode();
                _callbacks[store] = await CallbackForAsync(store, caller);
                await using var db = await _app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync();
                _calls[store] = await db.Calls.Where(c => c.StoreId == store).OrderByDescending(c => c.Id).Select(c => c.Id).FirstAsync();
            }
        }

        // Waits, without sleeping, for the call-back of the caller: it looks again on each published change.
        private async Task<long> CallbackForAsync(int store, string caller)
        {
            var signal = new SemaphoreSlim(0);
            using var subscription = _app.Services.GetRequiredService<ICallbackChangeNotifier>().Subscribe(_ => { signal.Release(); return ValueTask.CompletedTask; });
            var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
            while (true)
            {
                await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync())
                {
                    var id = await db.Callbacks.Where(c => c.StoreId == store && c.CallerE164 == caller).Select(c => (long?)c.Id).FirstOrDefaultAsync();
                    if (id is { } found)
                    {
                        return found;
                    }
                }

                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero || !await signal.WaitAsync(left))
                {
                    throw new TimeoutException($"No call-back for {caller} in store {store}.");
                }
            }
        }

        /// <summary>The clients a caller is tried with: pages by cookie; the API by bearer token and, for accounts, by cookie too.</summary>
        public IEnumerable<(string How, HttpClient Client)> ClientsFor(Who who, bool api)
        {
            HttpClient Bearer(string token)
            {
                var http = TestAccounts.Client(_app);
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return http;
            }

            switch (who)
            {
                case Who.Admin or Who.ManagerA or Who.SalespersonA:
                    yield return ("cookie", _cookies[who]);
                    if (api)
                    {
                        yield return ("bearer", Bearer(who switch { Who.Admin => AdminToken, Who.ManagerA => ManagerTokenA, _ => SalespersonTokenA }));
                    }

                    break;
                case Who.DisplayA:
                    yield return ("bearer", Bearer(DisplayTokenA));
                    break;
                default:
                    yield return ("none", TestAccounts.Client(_app));
                    break;
            }
        }

        /// <summary>An integration signs what it sends; nobody else can.</summary>
        public void Prepare(Who who, HttpRequestMessage request)
        {
            if (who != Who.Integration)
            {
                return;
            }

            if (request.Options.TryGetValue(TwilioSignatureOption, out var twilio))
            {
                request.Headers.Add(TwilioSignature.HeaderName, twilio);
                return;
            }

            var body = request.Content?.ReadAsByteArrayAsync().GetAwaiter().GetResult() ?? [];
            request.Headers.Add(RequestSignature.IntegrationHeader, _ingest.IntegrationId.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(RequestSignature.SignatureHeader, RequestSignature.Sign(_ingest.Credentials.Integration.Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        }

        private static readonly HttpRequestOptionsKey<string> TwilioSignatureOption = new("matrix-twilio-signature");

        public HttpRequestMessage CallEvents(int store)
        {
            var to = store == A ? "+16305550104" : "+18135550114";
            var events = new CallBuilder($"matrix-in-{Interlocked.Increment(ref _sequence)}-{Guid.NewGuid():N}", DateTimeOffset.UtcNow.AddMinutes(-1)).Started(from: "+13125550777", to: to).Events;
            return Post("api/v1/call-events", "[" + string.Join(",", events.Select(CallEventJson.Serialize)) + "]");
        }

        // Own: the integration's own address; other: another integration's address, signed with this one's secret.
        public HttpRequestMessage QueueLog(int store)
        {
            var id = store == A ? _ingest.IntegrationId : _ingest.Credentials.Twilio.Id;
            var epoch = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
            var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/integrations/{id}/asterisk/queue-log")
            {
                Content = new StringContent($"{epoch}|matrix-{Interlocked.Increment(ref _sequence)}.{Random.Shared.Next()}|lakeside-sales|NONE|ENTERQUEUE||3125550778|1\n", Encoding.UTF8, "text/plain"),
            };
            return request;
        }

        // Twilio signs with the integration's auth token; the other store's address belongs to the JSON integration.
        public HttpRequestMessage TwilioStatus(int store)
        {
            var id = store == A ? _ingest.Credentials.Twilio.Id : _ingest.IntegrationId;
            var url = new Uri(_app.BaseAddress, $"api/v1/integrations/{id}/twilio/voice-status").ToString();
            var form = new Dictionary<string, string>
            {
                ["CallSid"] = $"CA{Guid.NewGuid():N}",
                ["AccountSid"] = "AC00000000000000000000000000000000",
                ["CallStatus"] = "ringing",
                ["Direction"] = "inbound",
                ["From"] = "+18135550779",
                ["To"] = "+18135550110",
                ["Timestamp"] = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture),
                ["SequenceNumber"] = "0",
            };
            var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
            request.Options.Set(TwilioSignatureOption, TwilioSignature.Compute(_ingest.Credentials.Twilio.AuthToken, url, form));
            return request;
        }
    }
}
