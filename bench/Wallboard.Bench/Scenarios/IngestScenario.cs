using System.Diagnostics;
using System.Net;
using Wallboard.Bench.Load;
using Wallboard.Bench.Reporting;

namespace Wallboard.Bench.Scenarios;

/// <summary>
/// Signed call events into <c>POST /api/v1/call-events</c> from concurrent connections, one event
/// or a batch a request, flat out or at a fixed offered rate, for <c>--duration</c> seconds after
/// <c>--warmup</c>. Reports the events the server accepted per second within the measured window,
/// and the acknowledgement latency of the requests sent in it (the app answers only once the
/// events are durably committed, §8): exact percentiles of every request.
/// </summary>
/// <remarks>
/// At a fixed rate the measured window is open-loop: request k is due at warm-up + k × batch / rate
/// seconds whatever became of earlier ones, and latency is also reported from when it was due
/// (<c>ack_from_schedule_*</c>), so a server that falls behind shows it instead of quietly slowing
/// the load down (coordinated omission). The warm-up is closed-loop in both modes (each
/// connection sends when its last answer came), so a backlog built while warming up does not leak
/// into the window. Due times are kept with Task.Delay, to about a millisecond.
/// </remarks>
internal sealed class IngestScenario(string name, int batch, double? rate, int connections) : IBenchScenario
{
    private static readonly TimeSpan LateThreshold = TimeSpan.FromMilliseconds(5);

    public string Name => name;

    public static IngestScenario SingleFlatOut(BenchOptions options) =>
        new(BenchOptions.IngestSingleFlat, batch: 1, rate: null, options.Connections);

    public static IngestScenario SingleAtRate(BenchOptions options) =>
        new(BenchOptions.IngestSingleRate, batch: 1, options.Rate, options.RateConnections);

    public static IngestScenario BatchFlatOut(BenchOptions options) =>
        new(BenchOptions.IngestBatchFlat, options.Batch, rate: null, options.Connections);

    public async Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        var result = new ScenarioResult(name);
        result.Settings["batch"] = batch;
        result.Settings["offered_events_per_s"] = rate is null ? "flat out" : rate;
        result.Settings["connections"] = connections;
        result.Settings["duration_s"] = options.DurationSeconds;
        result.Settings["warmup_s"] = options.WarmupSeconds;
        result.Settings["calls_in_flight"] = options.CallsInFlight;

        var traffic = new CallTraffic($"{context.RunId}-{name}", DemoDealerGroup.Stores, options.CallsInFlight, options.Seed);
        using var http = SignedPoster.CreateClient(context.Target.BaseAddress, connections);
        var poster = new SignedPoster(http, context.Target.IntegrationId, context.Target.Secret);

        context.Log.WriteLine($"{name}: {(rate is null ? "flat out" : $"{rate:N0} events/s offered")}, {batch} event(s) a request, {connections} connections, {options.WarmupSeconds:0.#} s warm-up + {options.DurationSeconds:0.#} s…");
        var run = new Run(poster, traffic, batch, rate, options.WarmupSeconds, options.WarmupSeconds + options.DurationSeconds);
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(() => run.WorkerAsync(ct), ct)).ToList();

        // Server (and client) samples at the window's edges, so its CPU is that of the window.
        await run.WaitUntilAsync(options.WarmupSeconds, ct);
        context.Sampler?.SampleNow();
        context.ClientSampler?.SampleNow();
        context.DatabaseSampler?.SampleNow();
        var windowFrom = context.Clock.Elapsed.TotalSeconds;
        await run.WaitUntilAsync(options.WarmupSeconds + options.DurationSeconds, ct);
        context.Sampler?.SampleNow();
        context.ClientSampler?.SampleNow();
        context.DatabaseSampler?.SampleNow();
        var windowTo = context.Clock.Elapsed.TotalSeconds;
        var stats = (await Task.WhenAll(workers)).Aggregate(WorkerStats.Merge);

        // Leave no caller waiting on a real board; not measured.
        var hangUps = traffic.HangUpOpenCalls();
        foreach (var chunk in hangUps.Chunk(100))
        {
            var outcome = await poster.PostAsync(chunk, ct);
            if (!outcome.IsSuccess)
            {
                result.Notes.Add($"Hanging up the calls left open failed: {outcome.Status} {outcome.Error}");
                break;
            }
        }

        var window = options.DurationSeconds;
        result.Add("measured_s", window);
        result.Add("accepted_events_per_s", stats.AcceptedInWindow / window);
        result.Add("requests_per_s", stats.AnswersInWindow / window);
        result.Add("requests", stats.Requests);
        result.Add("events_sent", stats.EventsSent);
        result.Add("events_accepted", stats.Accepted);
        result.Add("duplicates", stats.Duplicates);
        result.Add("rejected", stats.Rejected);
        result.Add("errors", stats.Errors.Values.Sum());
        result.Add(LatencySummary.Of(stats.Ack).Figures("ack"));
        result.Add("last_answer_after_window_s", Math.Max(0, stats.LastAnswer - (options.WarmupSeconds + options.DurationSeconds)));
        result.Series["accepted_events_by_second"] = stats.AcceptedBySecond.Select(n => (double)n).ToList();
        if (rate is not null)
        {
            result.Add("offered_events_per_s", rate.Value);
            result.Add(LatencySummary.Of(stats.FromSchedule).Figures("ack_from_schedule"));
            result.Add("late_sends", stats.LateSends);
            result.Add("dropped_sends", stats.Dropped);
            if (stats.LateSends > stats.Requests / 100 || stats.Dropped > 0)
            {
                result.Notes.Add($"{stats.LateSends:N0} of {stats.Requests:N0} requests went out more than {LateThreshold.TotalMilliseconds} ms after they were due"
                    + (stats.Dropped > 0 ? $", and {stats.Dropped:N0} due were never sent (the run was far behind)" : string.Empty)
                    + ": the server (or this machine) did not keep up with the offered rate; ack_from_schedule is what callers of a server that busy would see. "
                    + "More --rate-connections helps only if the server keeps up.");
            }
        }

        if (context.Sampler?.Usage(windowFrom, windowTo) is { } usage)
        {
            result.Add(usage.Figures());
            if (stats.AcceptedInWindow > 0)
            {
                result.Add("server_cpu_ms_per_1k_events", usage.CpuSeconds * 1000 / stats.AcceptedInWindow * 1000);
                if (usage.DiskWriteMb is { } written)
                {
                    result.Add("server_disk_write_kb_per_event", written * 1024 / stats.AcceptedInWindow);
                }
            }
        }

        if (context.DatabaseSampler?.Usage(windowFrom, windowTo) is { } database)
        {
            // PostgreSQL's own processes: the work the app hands to its database server.
            result.Add(database.Figures("database"));
            if (stats.AcceptedInWindow > 0)
            {
                result.Add("database_cpu_ms_per_1k_events", database.CpuSeconds * 1000 / stats.AcceptedInWindow * 1000);
                if (database.DiskWriteMb is { } written)
                {
                    result.Add("database_disk_write_kb_per_event", written * 1024 / stats.AcceptedInWindow);
                }
            }
        }

        if (context.ClientSampler?.Usage(windowFrom, windowTo) is { } client)
        {
            // The load generator shares the machine: if it needs a core, the server has one less.
            result.Add("client_cpu_percent_avg", client.CpuPercentAverage);
        }

        result.Notes.Add($"{traffic.CallsStarted:N0} calls begun, {traffic.CallsEnded:N0} ended (including warm-up and the final hang-ups).");
        foreach (var (status, count) in stats.Errors)
        {
            result.Notes.Add($"{count:N0} requests answered {status}; first: {stats.FirstError}");
        }

        if (stats.Accepted == 0)
        {
            result.Status = ScenarioResult.Failed;
            result.Reason = $"No event was accepted. First error: {stats.FirstError ?? "none"}";
        }

        return result;
    }

    /// <summary>The shared clock and schedule of one scenario; each worker is one connection sending one request at a time.</summary>
    private sealed class Run(SignedPoster poster, CallTraffic traffic, int batch, double? rate, double warmup, double end)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly double _interval = rate is { } r ? batch / r : 0;
        private long _nextSlot;

        private double Now => _clock.Elapsed.TotalSeconds;

        public async Task WaitUntilAsync(double seconds, CancellationToken ct)
        {
            var wait = seconds - Now;
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait), ct);
            }
        }

        public async Task<WorkerStats> WorkerAsync(CancellationToken ct)
        {
            var stats = new WorkerStats(warmup, end);
            while (true)
            {
                var now = Now;
                double due;
                if (now < warmup)
                {
                    due = now; // warming up, closed loop
                }
                else if (_interval > 0)
                {
                    due = warmup + ((Interlocked.Increment(ref _nextSlot) - 1) * _interval);
                    if (due >= end)
                    {
                        break;
                    }

                    // A server far behind would keep the run going long after its end: stop sending.
                    if (now > end + Math.Max(5, end - warmup))
                    {
                        stats.Dropped++;
                        continue;
                    }

                    await WaitUntilAsync(due, ct);
                }
                else
                {
                    due = now;
                    if (due >= end)
                    {
                        break;
                    }
                }

                var events = traffic.Take(batch);
                var sent = Now;
                var outcome = await poster.PostAsync(events, ct);
                var done = Now;
                stats.Answered(outcome, done);
                if (due >= warmup)
                {
                    stats.Record(events.Count, outcome, (done - sent) * 1000, (done - due) * 1000, sent - due > LateThreshold.TotalSeconds);
                }

                if (!outcome.IsSuccess && _interval == 0)
                {
                    // Flat out against a refusing server would only spin; give it a moment.
                    await Task.Delay(TimeSpan.FromMilliseconds(outcome.Status == HttpStatusCode.TooManyRequests ? 100 : 20), ct);
                }
            }

            return stats;
        }
    }

    private sealed class WorkerStats(double windowFrom, double windowTo)
    {
        public List<double> Ack { get; } = [];

        public List<double> FromSchedule { get; } = [];

        // Requests sent (due) in the window, and what became of them.
        public long Requests { get; private set; }

        public long EventsSent { get; private set; }

        public long Accepted { get; private set; }

        public long Duplicates { get; private set; }

        public long Rejected { get; private set; }

        public long LateSends { get; private set; }

        /// <summary>Requests due that were never sent because the run was far behind its schedule.</summary>
        public long Dropped { get; set; }

        public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

        public string? FirstError { get; private set; }

        // Answers that came within the window, whenever their request was sent: the server's throughput.
        public long AcceptedInWindow { get; private set; }

        public long AnswersInWindow { get; private set; }

        public double LastAnswer { get; private set; }

        /// <summary>Events accepted in each second from the window's start, by when their answer came.</summary>
        public List<long> AcceptedBySecond { get; } = [];

        public void Answered(PostOutcome outcome, double at)
        {
            LastAnswer = Math.Max(LastAnswer, at);
            if (at < windowFrom || !outcome.IsSuccess)
            {
                return;
            }

            if (at < windowTo)
            {
                AcceptedInWindow += outcome.Accepted;
                AnswersInWindow++;
            }

            var second = (int)(at - windowFrom);
            while (AcceptedBySecond.Count <= second)
            {
                AcceptedBySecond.Add(0);
            }

            AcceptedBySecond[second] += outcome.Accepted;
        }

        public void Record(int events, PostOutcome outcome, double ackMs, double fromScheduleMs, bool late)
        {
            Requests++;
            EventsSent += events;
            if (late)
            {
                LateSends++;
            }

            if (outcome.IsSuccess)
            {
                Accepted += outcome.Accepted;
                Duplicates += outcome.Duplicates;
                Rejected += outcome.Rejected;
                Ack.Add(ackMs);
                FromSchedule.Add(fromScheduleMs);
                if (outcome.Rejected > 0)
                {
                    FirstError ??= $"{outcome.Rejected} events rejected in a 200 answer";
                }
            }
            else
            {
                var key = outcome.Status is { } status ? $"HTTP {(int)status}" : "no answer";
                Errors[key] = Errors.GetValueOrDefault(key) + 1;
                FirstError ??= $"{key}: {outcome.Error}";
            }
        }

        public static WorkerStats Merge(WorkerStats a, WorkerStats b)
        {
            a.Ack.AddRange(b.Ack);
            a.FromSchedule.AddRange(b.FromSchedule);
            a.Requests += b.Requests;
            a.EventsSent += b.EventsSent;
            a.Accepted += b.Accepted;
            a.Duplicates += b.Duplicates;
            a.Rejected += b.Rejected;
            a.LateSends += b.LateSends;
            a.Dropped += b.Dropped;
            a.AcceptedInWindow += b.AcceptedInWindow;
            a.AnswersInWindow += b.AnswersInWindow;
            a.LastAnswer = Math.Max(a.LastAnswer, b.LastAnswer);
            foreach (var (key, count) in b.Errors)
            {
                a.Errors[key] = a.Errors.GetValueOrDefault(key) + count;
            }

            for (var i = 0; i < b.AcceptedBySecond.Count; i++)
            {
                if (i < a.AcceptedBySecond.Count)
                {
                    a.AcceptedBySecond[i] += b.AcceptedBySecond[i];
                }
                else
                {
                    a.AcceptedBySecond.Add(b.AcceptedBySecond[i]);
                }
            }

            a.FirstError ??= b.FirstError;
            return a;
        }
    }
}
