using System.Diagnostics;
using System.Globalization;

namespace Wallboard.Bench.Sampling;

/// <summary>CPU and memory of a stretch of samples.</summary>
internal sealed record ProcessUsage(
    int Samples, double CpuSeconds, double CpuPercentAverage, double CpuPercentPeak,
    double RssStartMb, double RssEndMb, double RssPeakMb, double RssSlopeMbPerMinute, double? DiskWriteMb)
{
    public IEnumerable<KeyValuePair<string, double>> Figures(string prefix = "server")
    {
        yield return new($"{prefix}_cpu_percent_avg", CpuPercentAverage);
        yield return new($"{prefix}_cpu_percent_peak", CpuPercentPeak);
        yield return new($"{prefix}_cpu_seconds", CpuSeconds);
        yield return new($"{prefix}_rss_start_mb", RssStartMb);
        yield return new($"{prefix}_rss_end_mb", RssEndMb);
        yield return new($"{prefix}_rss_peak_mb", RssPeakMb);
        yield return new($"{prefix}_rss_slope_mb_per_min", RssSlopeMbPerMinute);
        if (DiskWriteMb is { } written)
        {
            yield return new($"{prefix}_disk_write_mb", written);
        }
    }
}

/// <summary>
/// Samples a process's CPU time (<c>/proc/&lt;pid&gt;/stat</c> utime + stime) and resident memory
/// (<c>/proc/&lt;pid&gt;/status</c> VmRSS) at a fixed interval, for the "size" figures: peak memory,
/// CPU per second, and whether memory grows over a run (the slope of a least-squares line).
/// CPU percent is of one core: 200 % is both cores of a two-core machine.
/// </summary>
/// <remarks>
/// With <c>withChildren</c> it samples a server of processes, PostgreSQL's: the postmaster and its
/// children (the backends serving connections, the WAL writer, the checkpointer). CPU is theirs
/// summed plus what the postmaster's children that already ended used (its <c>cutime</c> +
/// <c>cstime</c>), memory is their proportional set size summed (<c>Pss</c> of
/// <c>smaps_rollup</c>: shared buffers are counted once, not once per process), writes their
/// <c>write_bytes</c> summed.
/// </remarks>
internal sealed class ProcessSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly bool _withChildren;
    private readonly Stopwatch _clock;
    private readonly TimeSpan _interval;
    private readonly double _ticksPerSecond;
    private readonly Lock _lock = new();
    private readonly List<ProcessSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ProcessSampler(int pid, Stopwatch clock, TimeSpan interval, bool withChildren = false)
    {
        _pid = pid;
        _withChildren = withChildren;
        _clock = clock;
        _interval = interval;
        _ticksPerSecond = ClockTicksPerSecond();
    }

    public int ProcessId => _pid;

    /// <summary>Whether this machine has <c>/proc</c> (Linux); elsewhere the size figures are left out.</summary>
    public static bool IsSupported => File.Exists("/proc/self/stat");

    public void Start() => _loop = LoopAsync(_stop.Token);

    /// <summary>Takes one sample now (null when the process is gone).</summary>
    public ProcessSample? SampleNow()
    {
        var sample = Read();
        if (sample is { } s)
        {
            lock (_lock)
            {
                _samples.Add(s);
            }
        }

        return sample;
    }

    /// <summary>Every sample so far, in time order.</summary>
    public List<ProcessSample> Samples()
    {
        lock (_lock)
        {
            return _samples.OrderBy(s => s.AtSeconds).ToList();
        }
    }

    /// <summary>The usage between two times on the bench clock; null with fewer than two samples.</summary>
    public ProcessUsage? Usage(double fromSeconds = double.MinValue, double toSeconds = double.MaxValue)
    {
        List<ProcessSample> window;
        lock (_lock)
        {
            window = _samples.Where(s => s.AtSeconds >= fromSeconds && s.AtSeconds <= toSeconds).OrderBy(s => s.AtSeconds).ToList();
        }

        return Summarize(window);
    }

    public static ProcessUsage? Summarize(IReadOnlyList<ProcessSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 2)
        {
            return null;
        }

        var first = samples[0];
        var last = samples[^1];
        var elapsed = last.AtSeconds - first.AtSeconds;
        var cpu = last.CpuSeconds - first.CpuSeconds;
        var peakCpu = 0.0;
        for (var i = 1; i < samples.Count; i++)
        {
            var dt = samples[i].AtSeconds - samples[i - 1].AtSeconds;
            if (dt > 0)
            {
                peakCpu = Math.Max(peakCpu, (samples[i].CpuSeconds - samples[i - 1].CpuSeconds) / dt * 100);
            }
        }

        return new ProcessUsage(
            samples.Count,
            cpu,
            elapsed > 0 ? cpu / elapsed * 100 : 0,
            peakCpu,
            Mb(first.RssBytes),
            Mb(last.RssBytes),
            Mb(samples.Max(s => s.RssBytes)),
            MemoryTrend.SlopePerMinute(samples),
            last.WriteBytes - first.WriteBytes is { } written ? Mb(written) : null);
    }

    private static double Mb(long bytes) => bytes / (1024.0 * 1024.0);

    private async Task LoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_interval);
        SampleNow();
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (SampleNow() is null)
                {
                    return; // the process ended
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>A process's resident memory now, or null when it is gone.</summary>
    public static long? ReadRssBytes(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/status")
                .Where(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
                .Select(line => long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024)
                .FirstOrDefault();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    // write_bytes of /proc/<pid>/io: what the process sent to storage (the database, its WAL, logs).
    private static long? ReadWriteBytes(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/io")
                .Where(line => line.StartsWith("write_bytes:", StringComparison.Ordinal))
                .Select(line => (long?)long.Parse(line["write_bytes:".Length..].Trim(), CultureInfo.InvariantCulture))
                .FirstOrDefault();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private ProcessSample? Read()
    {
        var at = _clock.Elapsed.TotalSeconds;
        if (ReadStat(_pid) is not { } own || ReadRssBytes(_pid) is not { } rss)
        {
            return null;
        }

        if (!_withChildren)
        {
            return new ProcessSample(at, own.Ticks / _ticksPerSecond, rss, ReadWriteBytes(_pid));
        }

        var ticks = own.Ticks + own.ChildrenTicks;
        var memory = ReadPssBytes(_pid) ?? rss;
        var written = ReadWriteBytes(_pid);
        foreach (var child in ChildrenOf(_pid))
        {
            // A child that ended since it was listed is in the parent's children's time at the next sample.
            if (ReadStat(child) is { } stat)
            {
                ticks += stat.Ticks;
                memory += ReadPssBytes(child) ?? 0;
                written += ReadWriteBytes(child) ?? 0;
            }
        }

        return new ProcessSample(at, ticks / _ticksPerSecond, memory, written);
    }

    private readonly record struct Stat(int ParentId, long Ticks, long ChildrenTicks);

    private static Stat? ReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Field 3 (state) is fields[0], the parent field 4; utime, stime, cutime, cstime are fields 14 to 17, in clock ticks.
            long Field(int n) => long.Parse(fields[n - 3], CultureInfo.InvariantCulture);
            return new Stat((int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static List<int> ChildrenOf(int parent) =>
        Directory.EnumerateDirectories("/proc")
            .Select(path => int.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && pid != parent && ReadStat(pid)?.ParentId == parent)
            .ToList();

    // Pss of /proc/<pid>/smaps_rollup: the process's share of the pages it maps, so shared memory summed over processes counts once.
    private static long? ReadPssBytes(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/smaps_rollup")
                .Where(line => line.StartsWith("Pss:", StringComparison.Ordinal))
                .Select(line => (long?)long.Parse(line["Pss:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024)
                .FirstOrDefault();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    // USER_HZ: 100 on every mainstream Linux, but ask getconf rather than assume.
    private static double ClockTicksPerSecond()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false });
            if (getconf is not null)
            {
                var text = getconf.StandardOutput.ReadToEnd().Trim();
                getconf.WaitForExit();
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var hz) && hz > 0)
                {
                    return hz;
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No getconf on the path.
        }

        return 100;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stop.Dispose();
    }
}
