using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Tests.Live;
using Xunit.Abstractions;

namespace Wallboard.Tests.Browser;

/// <summary>
/// Measures, without asserting on it, how long an event takes from its POST to the TV's page (the
/// DOM) and to a hub client: a few hundred events, one after the other, each posted once the last
/// one has shown in both. Prints median, 95th percentile and worst, and writes them to latency.json.
/// </summary>
public sealed class TvLatencyTests(WallboardAppFactory app, ChromiumFixture chromium, ITestOutputHelper output)
    : IClassFixture<WallboardAppFactory>, IClassFixture<ChromiumFixture>
{
    private const int Calls = 150; // two events each: started (waiting 1), ended (waiting 0)

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public async Task Time_from_a_posted_event_to_the_tv_and_to_a_hub_client_is_measured()
    {
        var ingest = new SignedIngestClient(app);
        var link = ingest.Credentials.DisplayLinks!.First(l => l.StoreId == ingest.Credentials.Stores[0].Id);
        await using var context = await chromium.Browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString(), ViewportSize = new() { Width = 1920, Height = 1080 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(link.Url).PathAndQuery.TrimStart('/'));
        await TvBrowserTests.WaitUntilLiveAsync(page);
        // Every change of the waiting count, with the browser's clock (the same machine's clock as the test's).
        await page.EvaluateAsync("""
            () => {
              window.seen = [];
              const count = document.querySelector('#waiting-count');
              new MutationObserver(() => window.seen.push([count.textContent, Date.now()]))
                .observe(count, { characterData: true, childList: true, subtree: true });
            }
            """);

        var hubSeen = new ConcurrentQueue<(int Waiting, long At)>();
        var hubArrivals = Channel.CreateUnbounded<(int Waiting, long At)>();
        await using var hub = HubClient.Build(app, link.Token);
        hub.On<JsonElement>("board", board =>
        {
            var seen = (board.GetProperty("waiting").GetProperty("count").GetInt32(), Now());
            hubSeen.Enqueue(seen);
            hubArrivals.Writer.TryWrite(seen);
        });
        await hub.StartAsync();
        await hub.InvokeAsync("Subscribe", link.StoreId, "Sales");

        var posts = new List<(int Waiting, long At)>();
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        for (var i = 0; i < Calls; i++)
        {
            var call = new CallBuilder($"latency-{i}", start.AddSeconds(i * 10)).Started(from: $"+1312555{2000 + i}", to: "+16305550104").Ended(8);
            foreach (var (e, waiting) in new[] { (call.Events[0], 1), (call.Events[1], 0) })
            {
                posts.Add((waiting, Now()));
                var response = await ingest.PostEventsAsync([e]);
                Assert.True(response.IsSuccessStatusCode);
                await page.WaitForFunctionAsync($"() => document.querySelector('#waiting-count').textContent === '{waiting}'");
                await WaitForHubAsync(hubArrivals.Reader, waiting, posts[^1].At);
            }
        }

        var domSeen = (await page.EvaluateAsync<JsonElement>("() => window.seen")).EnumerateArray()
            .Select(x => (Waiting: int.Parse(x[0].GetString()!, CultureInfo.InvariantCulture), At: x[1].GetInt64())).ToList();
        var toDom = Latencies(posts, domSeen);
        var toHub = Latencies(posts, hubSeen.ToList());

        Assert.Equal(2 * Calls, toDom.Count);
        Assert.Equal(2 * Calls, toHub.Count);
        var report = new
        {
            events = posts.Count,
            measuredAt = DateTimeOffset.UtcNow,
            tvDom = Summary(toDom),
            hubClient = Summary(toHub),
        };
        var json = JsonSerializer.Serialize(report, Indented);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "latency.json"), json);
        output.WriteLine(json);
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    // For each post, the first sighting of its waiting count at or after it was posted.
    private static List<long> Latencies(List<(int Waiting, long At)> posts, List<(int Waiting, long At)> seen)
    {
        var result = new List<long>();
        var from = 0;
        foreach (var post in posts)
        {
            var index = seen.FindIndex(from, s => s.At >= post.At && s.Waiting == post.Waiting);
            if (index < 0)
            {
                continue;
            }

            result.Add(seen[index].At - post.At);
            from = index + 1;
        }

        return result;
    }

    private static async Task WaitForHubAsync(ChannelReader<(int Waiting, long At)> arrivals, int waiting, long since)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var seen = await arrivals.ReadAsync(timeout.Token);
            if (seen.At >= since && seen.Waiting == waiting)
            {
                return;
            }
        }
    }

    private static object Summary(List<long> latencies)
    {
        var sorted = latencies.Order().ToList();
        return new
        {
            count = sorted.Count,
            medianMs = sorted[sorted.Count / 2],
            p95Ms = sorted[(int)Math.Ceiling(sorted.Count * 0.95) - 1],
            worstMs = sorted[^1],
            bestMs = sorted[0],
        };
    }
}
