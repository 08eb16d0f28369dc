using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Auth;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Ingest;
using Wallboard.Web.Auth;
using Wallboard.Web.Cluster;
using Wallboard.Web.Data;
using Wallboard.Web.Live;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// Two app nodes on one PostgreSQL database (docs/scale-out.md): what one commits, the other shows;
/// a lost listening connection is found again without a change missed; a sign-in from one is good
/// on the other; a claim race spread over both has one winner.
/// </summary>
public sealed class ClusterNodesTests(PostgresNodes nodes) : IClassFixture<PostgresNodes>
{
    private const string CarsComLine = "+16305550104";

    private int Lakeside => new SignedIngestClient(nodes.A).Credentials.Stores[0].Id;

    [Fact]
    public async Task A_call_committed_on_node_A_is_on_node_B_board()
    {
        var seen = WhenBoardShows(nodes.B, Lakeside, "•••-•••-0711");

        var response = await new SignedIngestClient(nodes.A).PostEventsAsync(
            new CallBuilder("nodes-a-to-b", DateTimeOffset.UtcNow.AddSeconds(-5)).Started(from: "+13125550711", to: CarsComLine).Events);

        response.EnsureSuccessStatusCode();
        await seen.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_node_whose_listening_connection_is_killed_connects_again_and_shows_the_change_it_did_not_hear()
    {
        var changes = nodes.B.Changes;
        await changes.Listening.WaitAsync(TimeSpan.FromSeconds(30));
        var resyncs = changes.Resyncs;
        var lost = changes.Lost;
        var seen = WhenBoardShows(nodes.B, Lakeside, "•••-•••-0712");

        var killed = await nodes.ScalarAsync(
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{ClusterNode.ListenerApplicationName(nodes.B.NodeId)}'");
        Assert.Equal(1L, killed);
        await lost.WaitAsync(TimeSpan.FromSeconds(10));

        // Committed and announced while B is not listening: B never gets this message.
        var response = await new SignedIngestClient(nodes.A).PostEventsAsync(
            new CallBuilder("nodes-while-deaf", DateTimeOffset.UtcNow.AddSeconds(-5)).Started(from: "+13125550712", to: CarsComLine).Events);
        response.EnsureSuccessStatusCode();
        Assert.False(changes.Listening.IsCompleted, "Node B was listening again before the change was committed: this run proves nothing.");

        await seen.WaitAsync(TimeSpan.FromSeconds(30));
        await changes.Listening.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(resyncs + 1, changes.Resyncs);
    }

    [Fact]
    public async Task A_sign_in_cookie_and_an_antiforgery_token_from_node_A_are_good_on_node_B()
    {
        var email = await TestAccounts.CreateAsync(nodes.A, $"nodes-{Guid.NewGuid():N}@dealer.example", WallboardRole.Admin, []);
        var jar = new CookieContainer();
        var onA = TestAccounts.Client(nodes.A, jar);

        // The form (and its antiforgery cookie) from A, posted to B.
        var form = await onA.GetStringAsync("account/sign-in");
        var token = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        foreach (Cookie cookie in jar.GetCookies(nodes.A.BaseAddress))
        {
            jar.Add(nodes.B.BaseAddress, new Cookie(cookie.Name, cookie.Value, "/"));
        }

        var onB = TestAccounts.Client(nodes.B, jar);
        var signIn = await onB.PostAsync("account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "sign-in",
            ["Input.Email"] = email,
            ["Input.Password"] = TestAccounts.Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        // The sign-in cookie B issued, back on A.
        foreach (Cookie cookie in jar.GetCookies(nodes.B.BaseAddress))
        {
            jar.Add(nodes.A.BaseAddress, new Cookie(cookie.Name, cookie.Value, "/"));
        }

        var stores = await onA.GetAsync("api/v1/stores");
        Assert.Equal(HttpStatusCode.OK, stores.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TestAccounts.Client(nodes.A).GetAsync("api/v1/stores")).StatusCode);
    }

    [Fact]
    public async Task Twenty_claims_spread_over_both_nodes_give_one_winner_and_nineteen_409s()
    {
        var ingest = new SignedIngestClient(nodes.A);
        (await ingest.PostEventsAsync(new CallBuilder("nodes-race", DateTimeOffset.UtcNow.AddMinutes(-2))
            .Started(from: "+13125550713", to: CarsComLine).Queued().Ended(45).Events)).EnsureSuccessStatusCode();
        var factory = nodes.A.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        long id;
        var racers = new List<string>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            // The intake commits with the call: the call-back is there once ingest answered.
            id = await db.Callbacks.Where(c => c.CallerE164 == "+13125550713").Select(c => c.Id).SingleAsync();
            for (var i = 1; i <= 20; i++)
            {
                var person = new Salesperson { StoreId = Lakeside, Name = $"Node racer {i:00}" };
                db.Salespeople.Add(person);
                await db.SaveChangesAsync();
                var (token, hash) = ApiToken.NewToken();
                db.ApiTokens.Add(new ApiToken { Name = person.Name, TokenHash = hash, Role = WallboardRole.Salesperson, StoreId = Lakeside, SalespersonId = person.Id, CreatedAt = DateTimeOffset.UtcNow });
                racers.Add(token);
            }

            await db.SaveChangesAsync();
        }

        // Every other racer on node B.
        var clients = racers.Select((token, i) =>
        {
            var http = (i % 2 == 0 ? nodes.A : nodes.B).CreateHttpClient();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return http;
        }).ToList();
        await Task.WhenAll(clients.Select(c => c.GetAsync("health")));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var claims = clients.Select(async c =>
        {
            await start.Task;
            return await c.PostAsync($"api/v1/callbacks/{id}/claim", null);
        }).ToList();
        start.SetResult();
        var responses = await Task.WhenAll(claims);

        var won = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var winner = (await won.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("claimedBy").GetString();
        Assert.All(responses.Where(r => r != won), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Contains(responses.Select((r, i) => (r, i)), x => x.r != won && x.i % 2 == 1);
        Assert.Contains(responses.Select((r, i) => (r, i)), x => x.r != won && x.i % 2 == 0);
        await using (var db = await factory.CreateDbContextAsync())
        {
            var callback = await db.Callbacks.AsNoTracking().SingleAsync(c => c.Id == id);
            Assert.Equal(winner, callback.ClaimedBy);
        }
    }

    [Fact]
    public async Task Both_nodes_take_part_in_one_Quartz_cluster()
    {
        var schedulers = await nodes.ScalarAsync("SELECT count(*) FROM qrtz_scheduler_state");
        Assert.Equal(2L, schedulers);
        // One set of jobs in the shared store, not one per node.
        var sweeps = await nodes.ScalarAsync("SELECT count(*) FROM qrtz_job_details WHERE job_name LIKE '%Sweep%'");
        Assert.True((long)sweeps! >= 1);
        var duplicates = await nodes.ScalarAsync("SELECT count(*) FROM (SELECT job_name FROM qrtz_job_details GROUP BY sched_name, job_group, job_name HAVING count(*) > 1) d");
        Assert.Equal(0L, duplicates);
        // One trigger per job, however many nodes started: a trigger stored again at each start would fire again.
        var triggersPerJob = await nodes.ScalarAsync("SELECT max(n) FROM (SELECT count(*) AS n FROM qrtz_triggers GROUP BY sched_name, job_group, job_name) t");
        Assert.Equal(1L, triggersPerJob);
    }

    // Completes when the node's sales board of the store, as a public screen sees it, has the caller waiting.
    private static Task WhenBoardShows(PostgresNode node, int storeId, string maskedCaller)
    {
        var shown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = node.Services.GetRequiredService<IBoardNotifier>().Subscribe(updates =>
        {
            if (updates.Any(u => u.Key == new BoardKey(storeId, Department.Sales)
                && u.For(BoardAudience.PublicScreen).Waiting.Calls.Any(c => c.Caller == maskedCaller)))
            {
                shown.TrySetResult();
            }

            return ValueTask.CompletedTask;
        });
        return shown.Task.ContinueWith(_ => subscription.Dispose(), TaskScheduler.Default);
    }
}
