using Wallboard.Bench.Reporting;
using Wallboard.Bench.Sampling;

namespace Wallboard.Bench.Scenarios;

/// <summary>
/// The server's CPU and resident memory over the whole run (from healthy to the last scenario),
/// sampled every <c>--sample-interval</c> seconds: peak memory, and the slope of a least-squares
/// line through memory over time, to tell a server that settles from one that grows. The ingest
/// scenarios report the same figures for their own windows.
/// </summary>
/// <remarks>
/// The verdict reads the slope over the second half of the samples only: the first half holds
/// start-up, JIT and the GC sizing its heaps, which climb on any server. Memory "grows" when that
/// slope is above <see cref="MemoryTrend.GrowthMbPerMinute"/> and the second half's rise is above 2 % of its
/// peak; under a minute of samples there is no verdict. Meant for a soak (<c>--soak 10</c>).
/// </remarks>
internal sealed class SizeScenario : IBenchScenario
{
    public const string ScenarioName = "size";

    public string Name => ScenarioName;

    public Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Sampler is null)
        {
            return Task.FromResult(ScenarioResult.Skip(Name, "No server process to sample: the server is not local (give --pid) or this is not Linux."));
        }

        context.Sampler.SampleNow();
        var usage = context.Sampler.Usage();
        if (usage is null)
        {
            return Task.FromResult(ScenarioResult.Skip(Name, "Fewer than two samples were taken."));
        }

        var result = new ScenarioResult(Name);
        result.Settings["pid"] = context.Sampler.ProcessId;
        result.Settings["sample_interval_s"] = context.Options.SampleIntervalSeconds;
        result.Add(usage.Figures());
        result.Add("samples", usage.Samples);
        context.DatabaseSampler?.SampleNow();
        if (context.DatabaseSampler?.Usage() is { } database)
        {
            result.Add(database.Figures("database"));
            result.Notes.Add("database_*: PostgreSQL's processes (postmaster and backends) summed; their memory is the proportional set size (shared buffers counted once).");
        }

        var samples = context.Sampler.Samples();
        var (slope, verdict) = MemoryTrend.Of(samples);
        result.Add("server_rss_slope_second_half_mb_per_min", slope);
        result.Settings["memory_verdict"] = verdict;
        result.Notes.Add($"Memory over the second half of the run: {verdict} ({slope:0.00} MB/min; growth is above {MemoryTrend.GrowthMbPerMinute} MB/min and 2 % of the peak).");
        result.Series["at_s"] = samples.Select(s => Math.Round(s.AtSeconds, 2)).ToList();
        result.Series["server_rss_mb"] = samples.Select(s => Math.Round(s.RssBytes / (1024.0 * 1024.0), 1)).ToList();
        result.Series["server_cpu_percent"] = samples.Zip(samples.Skip(1), (a, b) => b.AtSeconds > a.AtSeconds
            ? Math.Round((b.CpuSeconds - a.CpuSeconds) / (b.AtSeconds - a.AtSeconds) * 100, 1)
            : 0).ToList();
        if (usage.RssPeakMb > 400)
        {
            result.Notes.Add($"Peak memory {usage.RssPeakMb:N0} MB is above the 400 MB target.");
        }

        result.Notes.Add("CPU percent is of one core (200 % is both cores of a two-core machine). The slope over a run of seconds says little; read it over minutes.");
        return Task.FromResult(result);
    }
}
