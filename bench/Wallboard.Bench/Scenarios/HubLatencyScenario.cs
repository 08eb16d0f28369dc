using System.Diagnostics;
using System.Text.Json;
using Wallboard.Bench.Load;
using Wallboard.Bench.Reporting;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Bench.Scenarios;

/// <summary>
/// Event to screen: the time from posting an event to a screen showing it (DESIGN.md §5, §11).
/// <c>--hub-clients</c> real SignalR clients subscribe to a demo store's Sales board
/// (<c>Subscribe(storeId, "Sales")</c> with the store's display token, message <c>board</c>) and
/// <c>--tv-pages</c> TV pages run in headless Chromium. Probe calls, each a single signed
/// <c>call.started</c> with a caller number of its own (<see cref="ProbeBook"/>), are posted at
/// <c>--probe-rate</c>; each client times its first <c>board</c> that lists the probe's caller, each
/// page the moment the caller's row enters its DOM. Two phases: idle (probes only, <c>--idle</c>
/// seconds) and loaded (probes on top of <c>--hub-rate</c> events a second of realistic calls,
/// <see cref="CallTraffic"/>, single posts at a fixed offered rate, for <c>--duration</c> seconds,
/// or minutes with <c>--soak</c>).
/// </summary>
/// <remarks>
/// Latency runs from the start of the probe's POST, so it includes the durable acknowledgement,
/// the board's coalescing window and rebuild, the fan-out and the client's own parsing (or the
/// browser's render). Hub clients compare on the bench's monotonic clock; TV pages compare the
/// page's <c>Date.now()</c> with the bench's Unix milliseconds, the same machine's clock. A probe
/// ends <see cref="ProbeLifetime"/> after its post: a screen that had not shown it by then counts
/// it as not seen. The TV lists three waits, so a page that falls more than about
/// 3 / <c>--probe-rate</c> seconds behind skips probes: those count as not seen too, and make its
/// percentiles a lower bound (the report says so).
/// </remarks>
internal sealed class HubLatencyScenario : IBenchScenario
{
    public const int IdlePhase = 0;
    public const int LoadPhase = 1;
    private const int WarmupPhase = -1;

    private static readonly TimeSpan ProbeLifetime = TimeSpan.FromSeconds(3);

    public string Name => BenchOptions.HubLatency;

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        if (context.Target.CredentialsPath is not { } path || !File.Exists(path))
        {
            return ScenarioResult.Skip(Name, "No demo-credentials.json of the server to take a display link from (with --url, give --credentials).");
        }

        var credentials = JsonSerializer.Deserialize<DemoCredentials>(await File.ReadAllTextAsync(path, ct), JsonSerializerOptions.Web)!;
        var store = credentials.Stores[0];
        var link = credentials.DisplayLinks?.FirstOrDefault(l => l.StoreId == store.Id && l.Department == nameof(Department.Sales));
        if (link is null)
        {
            return ScenarioResult.Skip(Name, $"The credentials have no display link for the Sales board of {store.Name}.");
        }

        var result = new ScenarioResult(Name);
        result.Settings["store_id"] = store.Id;
        result.Settings["hub_clients"] = options.HubClients;
        result.Settings["tv_pages"] = options.TvPages;
        result.Settings["probe_rate_per_s"] = options.ProbeRate;
        result.Settings["probe_lifetime_s"] = ProbeLifetime.TotalSeconds;
        result.Settings["idle_s"] = options.IdleSeconds;
        result.Settings["load_s"] = options.DurationSeconds;
        result.Settings["background_events_per_s"] = options.HubRate;
        result.Settings["background_connections"] = options.RateConnections;
        result.Settings["calls_in_flight"] = options.CallsInFlight;

        // The probes go to the store's first sales line; the background to both demo stores, as DemoDealerGroup knows them.
        var line = DemoDealerGroup.Stores[0].Lines.First(l => l.Department == Department.Sales);
        var probes = new ProbeBook(context.RunId, line, DateTimeOffset.UtcNow.AddMinutes(-2));
        using var http = SignedPoster.CreateClient(context.Target.BaseAddress, options.RateConnections + 16);
        var poster = new SignedPoster(http, context.Target.IntegrationId, context.Target.Secret);

        context.Log.WriteLine($"{Name}: connecting {options.HubClients} hub clients and opening {options.TvPages} TV pages…");
        var connecting = Stopwatch.StartNew();
        await using var hub = await HubScreens.ConnectAsync(context.Target.BaseAddress, link.Token, link.StoreId, options.HubClients, probes, ct);
        var tvUrl = new Uri(context.Target.BaseAddress, new Uri(link.Url).PathAndQuery.TrimStart('/'));
        await using var tv = options.TvPages > 0 ? await TvScreens.OpenAsync(tvUrl, options.TvPages, ct) : null;
        result.Add("screens_ready_s", connecting.Elapsed.TotalSeconds);

        // A few unreported probes first: the first boards after connecting pay for JIT and caches.
        await ProbeAsync(poster, probes, WarmupPhase, options.ProbeRate, Math.Min(2, Math.Max(options.IdleSeconds, 0.5)), ct);

        var phases = new List<(int Phase, string Prefix, double Seconds, double Rate)>();
        if (options.IdleSeconds > 0)
        {
            phases.Add((IdlePhase, "idle", options.IdleSeconds, 0));
        }

        phases.Add((LoadPhase, "load", options.DurationSeconds, options.HubRate));
        var expected = (int)Math.Ceiling(phases.Sum(p => p.Seconds) * options.ProbeRate);
        if (expected > ProbeBook.Capacity)
        {
            throw new InvalidOperationException($"{expected:N0} probes would not fit the {ProbeBook.Capacity:N0} caller numbers a run has; lower --probe-rate.");
        }

        foreach (var (phase, prefix, seconds, rate) in phases)
        {
            context.Log.WriteLine($"{Name}: {prefix}, {options.ProbeRate:0.#} probes/s" + (rate > 0 ? $" over {rate:N0} background events/s" : string.Empty) + $", {seconds:0.#} s…");
            var boardsBefore = hub.Boards;
            var tvBoardsBefore = tv is null ? 0 : await tv.BoardsAsync();
            context.Sampler?.SampleNow();
            context.ClientSampler?.SampleNow();
            var from = context.Clock.Elapsed.TotalSeconds;
            var phaseStarted = Stopwatch.GetTimestamp();

            var traffic = new CallTraffic($"{context.RunId}-{Name}-{prefix}", DemoDealerGroup.Stores, options.CallsInFlight, options.Seed + phase);
            var background = rate > 0
                ? BackgroundAsync(poster, traffic, rate, seconds, options.RateConnections, ct)
                : Task.FromResult(new BackgroundStats());
            await ProbeAsync(poster, probes, phase, options.ProbeRate, seconds, ct);
            var load = await background;

            context.Sampler?.SampleNow();
            context.ClientSampler?.SampleNow();
            var to = context.Clock.Elapsed.TotalSeconds;
            var boards = hub.Boards - boardsBefore;
            var tvBoards = tv is null ? 0 : await tv.BoardsAsync() - tvBoardsBefore;

            // Leave no caller waiting on the board; not measured.
            foreach (var chunk in traffic.HangUpOpenCalls().Chunk(100))
            {
                await poster.PostAsync(chunk, ct);
            }

            var posted = probes.All.Where(p => p.Phase == phase).ToList();
            var acked = posted.Where(p => p.AckMs is not null).ToList();
            result.Add($"{prefix}_probes", posted.Count);
            result.Add(LatencySummary.Of(acked.Select(p => p.AckMs!.Value).ToList()).Figures($"{prefix}_probe_ack"));
            if (acked.Count < posted.Count)
            {
                result.Notes.Add($"{prefix}: {posted.Count - acked.Count} probe posts failed.");
            }

            var toHub = hub.Latencies(phase);
            result.Add(LatencySummary.Of(toHub).Figures($"{prefix}_hub"));
            result.Add($"{prefix}_hub_seen", toHub.Count);
            result.Add($"{prefix}_hub_not_seen", (acked.Count * (long)hub.Count) - toHub.Count);
            result.Add($"{prefix}_hub_boards_per_client_per_s", hub.Count > 0 ? boards / (double)hub.Count / (to - from) : 0);

            if (tv is not null)
            {
                var toTv = TvLatencies(await tv.SeenAsync(), acked);
                var notSeen = (acked.Count * (long)tv.Count) - toTv.Count;
                result.Add(LatencySummary.Of(toTv).Figures($"{prefix}_tv"));
                result.Add($"{prefix}_tv_seen", toTv.Count);
                result.Add($"{prefix}_tv_not_seen", notSeen);
                result.Add($"{prefix}_tv_boards_per_page_per_s", tv.Count > 0 ? tvBoards / (double)tv.Count / (to - from) : 0);
                if (notSeen > 0)
                {
                    result.Notes.Add($"{prefix}: TV pages missed {notSeen:N0} of {acked.Count * (long)tv.Count:N0} probe sightings (more than about {3 / options.ProbeRate:0.#} s behind, or not at all): the TV percentiles are a lower bound.");
                }
            }

            if (rate > 0)
            {
                // Over the time the sends really took: a server that falls behind stretches it.
                result.Add($"{prefix}_background_accepted_events_per_s", load.Accepted / Math.Max(seconds, load.Seconds));
                result.Add($"{prefix}_background_s", load.Seconds);
                result.Add(LatencySummary.Of(load.Ack).Figures($"{prefix}_background_ack"));
                result.Add($"{prefix}_background_errors", load.Errors);
                result.Add($"{prefix}_background_late_sends", load.Late);
                result.Add($"{prefix}_background_dropped_sends", load.Dropped);
                if (load.Late > load.Sent / 100 || load.Dropped > 0)
                {
                    result.Notes.Add($"{prefix}: {load.Late:N0} of {load.Sent:N0} background posts went out more than 5 ms late and {load.Dropped:N0} due were never sent: the offered rate was not kept (server or machine behind).");
                }
            }

            if (context.Sampler?.Usage(from, to) is { } usage)
            {
                result.Add(usage.Figures($"{prefix}_server"));
            }

            if (seconds >= 120)
            {
                AddMinutes(context, result, prefix, phase, phaseStarted, from, seconds, hub, acked, load);
            }

            if (context.ClientSampler?.Usage(from, to) is { } client)
            {
                result.Add($"{prefix}_client_cpu_percent_avg", client.CpuPercentAverage);
            }
        }

        result.Notes.Add("Latency is from the start of the probe's POST (durable acknowledgement included) to the first board message listing it (hub) or its row entering the DOM (TV). The clients, the browser and the server share this machine's cores.");
        return result;
    }

    // A long phase (a soak) minute by minute: whether screens fall behind as the day grows, and when.
    private static void AddMinutes(BenchContext context, ScenarioResult result, string prefix, int phase, long phaseStarted, double from, double seconds, HubScreens hub, List<Probe> acked, BackgroundStats load)
    {
        var sightings = hub.Sightings(phase);
        var minutes = (int)Math.Ceiling(seconds / 60);
        for (var m = 0; m < minutes; m++)
        {
            bool InMinute(long timestamp) => (int)(Stopwatch.GetElapsedTime(phaseStarted, timestamp).TotalSeconds / 60) == m;
            var latencies = sightings.Where(s => InMinute(s.PostedTimestamp)).Select(s => s.Ms).ToList();
            var probes = acked.Count(p => InMinute(p.PostedTimestamp));
            var summary = LatencySummary.Of(latencies);
            var key = $"{prefix}_minute{m + 1:00}";
            result.Add($"{key}_hub_p50_ms", summary.P50);
            result.Add($"{key}_hub_p99_ms", summary.P99);
            result.Add($"{key}_hub_not_seen", (probes * (long)hub.Count) - latencies.Count);
            var accepted = load.AcceptedByMinute.GetValueOrDefault(m) / 60.0;
            result.Add($"{key}_accepted_events_per_s", accepted);
            var usage = context.Sampler?.Usage(from + (m * 60), from + ((m + 1) * 60));
            if (usage is not null)
            {
                result.Add($"{key}_server_cpu_percent_avg", usage.CpuPercentAverage);
                result.Add($"{key}_server_rss_end_mb", usage.RssEndMb);
            }

            context.Log.WriteLine($"{prefix} minute {m + 1}: hub p50 {summary.P50:N0} ms, p99 {summary.P99:N0} ms, not seen {(probes * (long)hub.Count) - latencies.Count:N0}; accepted {accepted:N0}/s; server CPU {usage?.CpuPercentAverage:N0} %, RSS {usage?.RssEndMb:N0} MB");
        }
    }

    // Each page's first sighting of each probe's suffix, against when the probe was posted.
    private static List<double> TvLatencies(List<Dictionary<string, long>> pages, List<Probe> probes)
    {
        var latencies = new List<double>();
        foreach (var seen in pages)
        {
            foreach (var probe in probes)
            {
                if (seen.TryGetValue(probe.Suffix, out var at))
                {
                    latencies.Add(Math.Max(0, at - probe.PostedUnixMs));
                }
            }
        }

        return latencies;
    }

    // Probes at a fixed rate, each posted alone and hung up after its lifetime; returns when the last one ended.
    private static async Task ProbeAsync(SignedPoster poster, ProbeBook book, int phase, double rate, double seconds, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var running = new List<Task>();
        for (var i = 0; i / rate < seconds; i++)
        {
            var wait = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }

            if (book.Next(phase) is not { } probe)
            {
                break;
            }

            running.Add(OneAsync(probe));
        }

        await Task.WhenAll(running);

        async Task OneAsync(Probe probe)
        {
            var started = book.Started(probe);
            probe.MarkPosted();
            var outcome = await poster.PostAsync([started], ct);
            if (outcome.IsSuccess && outcome.Accepted == 1)
            {
                probe.AckMs = Stopwatch.GetElapsedTime(probe.PostedTimestamp).TotalMilliseconds;
            }

            await Task.Delay(ProbeLifetime, ct);
            await poster.PostAsync([ProbeBook.Ended(probe)], ct);
        }
    }

    // Realistic calls at a fixed offered rate, one event a request, open loop over a pool of connections.
    private static async Task<BackgroundStats> BackgroundAsync(SignedPoster poster, CallTraffic traffic, double rate, double seconds, int connections, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long next = -1;
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var stats = new BackgroundStats();
            while (true)
            {
                var due = TimeSpan.FromSeconds(Interlocked.Increment(ref next) / rate);
                if (due.TotalSeconds >= seconds)
                {
                    return stats;
                }

                // The phase's time is up: a server far behind would otherwise stretch it without end.
                if (clock.Elapsed.TotalSeconds >= seconds)
                {
                    stats.Dropped++;
                    continue;
                }

                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }
                else if (wait < TimeSpan.FromMilliseconds(-5))
                {
                    stats.Late++;
                }

                var sent = clock.Elapsed;
                var outcome = await poster.PostAsync(traffic.Take(1), ct);
                stats.Sent++;
                if (outcome.IsSuccess)
                {
                    stats.Accepted += outcome.Accepted;
                    var minute = (int)(sent.TotalSeconds / 60);
                    stats.AcceptedByMinute[minute] = stats.AcceptedByMinute.GetValueOrDefault(minute) + outcome.Accepted;
                    stats.Ack.Add((clock.Elapsed - sent).TotalMilliseconds);
                }
                else
                {
                    stats.Errors++;
                }
            }
        }, ct)).ToList();

        var all = await Task.WhenAll(workers);
        return new BackgroundStats
        {
            Seconds = clock.Elapsed.TotalSeconds,
            Sent = all.Sum(s => s.Sent),
            Accepted = all.Sum(s => s.Accepted),
            Errors = all.Sum(s => s.Errors),
            Late = all.Sum(s => s.Late),
            Dropped = all.Sum(s => s.Dropped),
            Ack = all.SelectMany(s => s.Ack).ToList(),
            AcceptedByMinute = all.SelectMany(s => s.AcceptedByMinute).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Value)),
        };
    }

    private sealed class BackgroundStats
    {
        public long Sent { get; set; }

        public long Accepted { get; set; }

        public long Errors { get; set; }

        public long Late { get; set; }

        public double Seconds { get; init; }

        /// <summary>Sends due that were never made because the phase's time was up.</summary>
        public long Dropped { get; set; }

        public List<double> Ack { get; init; } = [];

        /// <summary>Events accepted, by the minute of the phase their post was sent in.</summary>
        public Dictionary<int, long> AcceptedByMinute { get; init; } = [];
    }
}
