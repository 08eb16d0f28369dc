namespace Wallboard.Bench.Load;

/// <summary>
/// Percentiles of every latency recorded (no histogram buckets: all values kept and sorted, so
/// the figures are exact; a run of minutes holds a few million doubles at most).
/// </summary>
internal sealed record LatencySummary(int Count, double Mean, double P50, double P95, double P99, double Max)
{
    public static LatencySummary Of(List<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        }

        values.Sort();
        return new LatencySummary(values.Count, values.Average(), Rank(values, 0.50), Rank(values, 0.95), Rank(values, 0.99), values[^1]);
    }

    // Nearest rank: the smallest value with at least q of all values at or below it.
    private static double Rank(List<double> sorted, double q) =>
        sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The figures under <paramref name="prefix"/>, in milliseconds.</summary>
    public IEnumerable<KeyValuePair<string, double>> Figures(string prefix)
    {
        yield return new($"{prefix}_p50_ms", P50);
        yield return new($"{prefix}_p95_ms", P95);
        yield return new($"{prefix}_p99_ms", P99);
        yield return new($"{prefix}_max_ms", Max);
        yield return new($"{prefix}_mean_ms", Mean);
    }
}
