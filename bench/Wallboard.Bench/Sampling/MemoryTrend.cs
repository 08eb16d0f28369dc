namespace Wallboard.Bench.Sampling;

/// <summary>
/// One reading of a process: when (seconds on the bench clock), CPU seconds used so far, resident
/// memory, bytes it caused to be written to storage so far (null where /proc/&lt;pid&gt;/io is not readable).
/// </summary>
internal readonly record struct ProcessSample(double AtSeconds, double CpuSeconds, long RssBytes, long? WriteBytes = null);

/// <summary>
/// Whether memory grows, from RSS samples: pure, in a file of its own with <see cref="ProcessSample"/>
/// so the tests compile it in (they do not reference the bench).
/// </summary>
internal static class MemoryTrend
{
    /// <summary>A second-half slope above this many MB a minute, sustained, is growth.</summary>
    public const double GrowthMbPerMinute = 1.0;

    /// <summary>The RSS slope over the second half of the samples, and whether memory grows, settles, or cannot be told yet.</summary>
    public static (double SlopeMbPerMinute, string Verdict) Of(IReadOnlyList<ProcessSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 4 || samples[^1].AtSeconds - samples[0].AtSeconds < 60)
        {
            return (0, "too short to tell (under a minute of samples)");
        }

        var middle = (samples[0].AtSeconds + samples[^1].AtSeconds) / 2;
        var half = samples.Where(s => s.AtSeconds >= middle).ToList();
        var slope = SlopePerMinute(half);
        var minutes = (half[^1].AtSeconds - half[0].AtSeconds) / 60;
        var peakMb = half.Max(s => s.RssBytes) / (1024.0 * 1024.0);
        var grows = slope > GrowthMbPerMinute && slope * minutes > 0.02 * peakMb;
        return (slope, grows ? "grows" : "does not grow");
    }

    // Least squares of RSS (MB) over time (minutes): positive and large over a long steady run
    // means memory grows with traffic; near zero means it settled.
    public static double SlopePerMinute(IReadOnlyList<ProcessSample> samples)
    {
        var xs = samples.Select(s => s.AtSeconds / 60).ToList();
        var ys = samples.Select(s => Mb(s.RssBytes)).ToList();
        var meanX = xs.Average();
        var meanY = ys.Average();
        double sxy = 0, sxx = 0;
        for (var i = 0; i < xs.Count; i++)
        {
            sxy += (xs[i] - meanX) * (ys[i] - meanY);
            sxx += (xs[i] - meanX) * (xs[i] - meanX);
        }

        return sxx > 0 ? sxy / sxx : 0;
    }

    private static double Mb(long bytes) => bytes / (1024.0 * 1024.0);
}
