using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Web;
using Wallboard.Web.Ingest.Replay;

namespace Wallboard.Tests.Ingest.Replay;

/// <summary>The replay verb against a fake ingest API on a real loopback port.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    /// <summary>A whole second, so signed timestamps (unix seconds) compare exactly.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 14, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("wallboard-replay-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed record Run(int ExitCode, string Output, string Errors)
    {
        public int Total(string name) =>
            int.Parse(Output.Split('\n').Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task<Run> ReplayAsync(string arguments, TimeProvider time)
    {
        using var handler = new SocketsHttpHandler();
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var errors = new StringWriter(CultureInfo.InvariantCulture);
        var args = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var code = await ReplayCommand.RunAsync(args, handler, time, output, errors, CancellationToken.None);
        return new Run(code, output.ToString(), errors.ToString());
    }

    private static string Signed(FakeWallboardApi api, string secret = FakeWallboardApi.Secret) =>
        $"--integration {FakeWallboardApi.IntegrationId} --secret {secret} --url {api.BaseUrl}";

    private string JsonLines(params string[] lines)
    {
        var path = Path.Combine(_folder, "calls.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string Event(string id, DateTimeOffset at) =>
        $$"""{"eventId":"{{id}}","callId":"call-{{id}}","type":"call.started","at":"{{at.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}}","from":"+13125550142","to":"+16305550100"}""";

    [Fact]
    public async Task Replay_posts_every_line_of_the_queue_log_signed()
    {
        var time = new FakeTimeProvider(Now);
        await using var api = await FakeWallboardApi.StartAsync(time);
        var file = SharedData.PathTo("asterisk-queue-log", "pbxware-2018.queue_log");

        var run = await ReplayAsync($"{file} --format asterisk {Signed(api)} --shift-end-to-now", time);

        Assert.Equal(ReplayExitCodes.Success, run.ExitCode);
        var posts = api.Posts;
        Assert.Equal(8, posts.Count);
        Assert.All(posts, p => Assert.True(p.SignatureValid));
        Assert.All(posts, p => Assert.Equal("7", p.Integration));
        Assert.All(posts, p => Assert.Equal("/api/v1/integrations/7/asterisk/queue-log", p.Path));
        Assert.All(posts, p => Assert.StartsWith("text/plain", p.ContentType, StringComparison.Ordinal));

        // Every line, in order, with only its epoch moved, all by the same amount, the last to now.
        var recorded = File.ReadAllLines(file).Where(l => l.Length > 0).ToList();
        var sent = posts.SelectMany(p => p.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(recorded.Count, sent.Count);
        Assert.Equal(recorded.Select(Tail), sent.Select(Tail));
        var shifts = recorded.Zip(sent, (r, s) => Epoch(s) - Epoch(r)).Distinct().ToList();
        Assert.Single(shifts);
        Assert.Equal(Now.ToUnixTimeSeconds(), sent.Max(Epoch));

        Assert.Equal(743, run.Total("accepted") + run.Total("duplicates") + run.Total("rejected") + run.Total("ignored"));
        Assert.True(run.Total("accepted") > 300);
        Assert.Equal(0, run.Total("rejected"));
        Assert.Contains("743/743 lines sent in 8 requests", run.Errors, StringComparison.Ordinal);

        static string Tail(string line) => line[line.IndexOf('|', StringComparison.Ordinal)..];
        static long Epoch(string line) => long.Parse(line[..line.IndexOf('|', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task An_old_recording_sent_as_it_is_is_refused_line_by_line_and_the_replay_says_why()
    {
        var time = new FakeTimeProvider(Now);
        await using var api = await FakeWallboardApi.StartAsync(time);

        var run = await ReplayAsync($"{SharedData.PathTo("asterisk-queue-log", "pbxware-2018.queue_log")} --format asterisk {Signed(api)} --batch 500", time);

        Assert.Equal(ReplayExitCodes.Success, run.ExitCode);
        Assert.Equal(2, api.Posts.Count);
        Assert.Equal(0, run.Total("accepted"));
        Assert.True(run.Total("rejected") > 300);
        // The first call's ENTERQUEUE is line 9 of the file.
        Assert.Contains("replay: line 9 rejected: 'at' is more than 30 days old.", run.Errors, StringComparison.Ordinal);
        Assert.Contains("--shift-end-to-now", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_lines_are_posted_as_signed_arrays_and_the_servers_totals_printed()
    {
        var time = new FakeTimeProvider(Now);
        await using var api = await FakeWallboardApi.StartAsync(time);
        var events = Enumerable.Range(1, 23).Select(i => Event($"e{i}", Now.AddHours(-1).AddSeconds(i))).ToList();
        var file = JsonLines([.. events, "", "{this is not json", events[0], events[1], events[2]]);

        var run = await ReplayAsync($"{file} --format jsonl {Signed(api)} --batch 10", time);

        Assert.Equal(ReplayExitCodes.Success, run.ExitCode);
        var posts = api.Posts;
        Assert.Equal([10, 10, 6], posts.Select(p => JsonDocument.Parse(p.Body).RootElement.GetArrayLength()));
        Assert.All(posts, p => Assert.True(p.SignatureValid));
        Assert.All(posts, p => Assert.Equal("/api/v1/call-events", p.Path));
        Assert.All(posts, p => Assert.StartsWith("application/json", p.ContentType, StringComparison.Ordinal));
        Assert.Equal(23, run.Total("accepted"));
        Assert.Equal(3, run.Total("duplicates"));
        Assert.Equal(0, run.Total("rejected"));
        Assert.Equal(1, run.Total("skipped"));
        Assert.Contains("line 25 rejected: not sent: not JSON", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shift_to_now_makes_the_first_event_now_and_keeps_every_interval()
    {
        var time = new FakeTimeProvider(Now);
        await using var api = await FakeWallboardApi.StartAsync(time);
        var recorded = new DateTimeOffset(2019, 6, 3, 9, 0, 0, TimeSpan.Zero);
        var file = JsonLines(Event("a", recorded), Event("b", recorded.AddSeconds(12)), Event("c", recorded.AddMinutes(3)));

        var run = await ReplayAsync($"{file} --format jsonl {Signed(api)} --shift-to-now", time);

        Assert.Equal(ReplayExitCodes.Success, run.ExitCode);
        Assert.Equal(3, run.Total("accepted"));
        var sent = JsonDocument.Parse(api.Posts.Single().Body).RootElement.EnumerateArray()
            .Select(e => DateTimeOffset.Parse(e.GetProperty("at").GetString()!, CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal([Now, Now.AddSeconds(12), Now.AddMinutes(3)], sent);
    }

    [Fact]
    public async Task At_a_speed_posts_are_paced_by_the_events_own_times()
    {
        var time = new TimerJumpingTimeProvider(Now) { JumpToTimers = true };
        await using var api = await FakeWallboardApi.StartAsync(time);
        var start = Now.AddHours(-1);
        var file = JsonLines(Event("a", start), Event("b", start.AddSeconds(10)), Event("c", start.AddSeconds(10)), Event("d", start.AddSeconds(60)));

        var run = await ReplayAsync($"{file} --format jsonl {Signed(api)} --speed 10", time);

        Assert.Equal(ReplayExitCodes.Success, run.ExitCode);
        var posts = api.Posts;
        Assert.Equal([1, 2, 1], posts.Select(p => JsonDocument.Parse(p.Body).RootElement.GetArrayLength()));
        var t0 = Now.ToUnixTimeSeconds();
        Assert.Equal([t0, t0 + 1, t0 + 6], posts.Select(p => p.SignedAt!.Value));
        Assert.Equal(4, run.Total("accepted"));
    }

    [Fact]
    public async Task A_rate_limited_chunk_is_sent_again_after_the_wait_the_server_asked_for()
    {
        var time = new TimerJumpingTimeProvider(Now) { JumpToTimers = true };
        await using var api = await FakeWallboardApi.StartAsync(time, (n, context) =>
        {
            if (n != 1)
            {
                return null;
            }

            context.Response.Headers.RetryAfter = "2";
            return Results.Problem(statusCode: 429, title: "Too many requests.");
        });
        var file = JsonLines([.. Enumerable.Range(1, 5).Select(i => Event($"r{i}", Now.AddMinutes(-i)))]);

        var run = await ReplayAsync($"{file} --format jsonl {Signed(api)}", time);

        Assert.Equal(ReplayExitCodes.Success, run.ExitCode);
        var posts = api.Posts;
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].Body, posts[1].Body);
        Assert.Equal(posts[0].SignedAt + 2, posts[1].SignedAt);
        Assert.Equal(5, run.Total("accepted"));
        Assert.Contains("rate-limited 1×", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_secret_ends_the_replay_with_exit_code_5_and_says_so()
    {
        var time = new FakeTimeProvider(Now);
        await using var api = await FakeWallboardApi.StartAsync(time);
        var file = JsonLines(Event("a", Now.AddMinutes(-1)));

        var run = await ReplayAsync($"{file} --format jsonl {Signed(api, secret: "not-the-secret")}", time);

        Assert.Equal(ReplayExitCodes.Unauthorized, run.ExitCode);
        Assert.Contains("refused the signature (401)", run.Errors, StringComparison.Ordinal);
        Assert.Single(api.Posts);
        Assert.False(api.Posts[0].SignatureValid);
    }

    [Fact]
    public async Task A_server_error_ends_the_replay_with_exit_code_6()
    {
        var time = new FakeTimeProvider(Now);
        await using var api = await FakeWallboardApi.StartAsync(time, (n, _) => n == 2 ? Results.Problem(statusCode: 500, title: "Database on fire.") : null);
        var file = JsonLines([.. Enumerable.Range(1, 5).Select(i => Event($"s{i}", Now.AddMinutes(-i)))]);

        var run = await ReplayAsync($"{file} --format jsonl {Signed(api)} --batch 2", time);

        Assert.Equal(ReplayExitCodes.ServerError, run.ExitCode);
        Assert.Contains("The server failed (500", run.Errors, StringComparison.Ordinal);
        Assert.Contains("Database on fire.", run.Errors, StringComparison.Ordinal);
        Assert.Equal(2, api.Posts.Count);
        Assert.Equal(2, run.Total("accepted"));
    }

    [Fact]
    public async Task An_unreachable_server_ends_the_replay_with_exit_code_4()
    {
        // A port that was free a moment ago: nothing listens there now.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var file = JsonLines(Event("a", Now));

        var run = await ReplayAsync($"{file} --format jsonl --integration 7 --secret s --url http://127.0.0.1:{port}", new FakeTimeProvider(Now));

        Assert.Equal(ReplayExitCodes.Unreachable, run.ExitCode);
        Assert.Contains($"Cannot reach http://127.0.0.1:{port}/", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_ends_the_replay_with_exit_code_3()
    {
        var run = await ReplayAsync($"{Path.Combine(_folder, "nope.jsonl")} --format jsonl --integration 7 --secret s --url http://127.0.0.1:9", new FakeTimeProvider(Now));

        Assert.Equal(ReplayExitCodes.FileNotFound, run.ExitCode);
        Assert.Contains("no such file", run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_end_with_exit_code_2_and_the_usage()
    {
        var run = await ReplayAsync("calls.jsonl --format xml", new FakeTimeProvider(Now));

        Assert.Equal(ReplayExitCodes.BadArguments, run.ExitCode);
        Assert.Contains("Missing --integration, --secret, --url", run.Errors, StringComparison.Ordinal);
        Assert.Contains("Usage: replay <file>", run.Errors, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData]
    [InlineData("--urls", "http://localhost:5080")]
    [InlineData("--ConnectionStrings:Wallboard=Data Source=x.db")]
    [InlineData("Urls=http://localhost:5080")]
    public async Task Arguments_that_name_no_verb_are_left_to_the_web_app(params string[] args)
    {
        Assert.Null(await CommandLine.TryRunAsync(args, TextWriter.Null, TextWriter.Null, CancellationToken.None));
    }
}
