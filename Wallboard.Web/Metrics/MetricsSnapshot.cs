using Wallboard.Domain.Metrics;

namespace Wallboard.Web.Metrics;

/// <summary>
/// The latest computed <see cref="MetricsReport"/> of one store and window, as JSON: what screens,
/// the TV and the API read (§7 "kept as snapshots"). One row per (store, window), replaced by
/// each run of the metrics jobs.
/// </summary>
public sealed class MetricsSnapshot
{
    public long Id { get; set; }

    public int StoreId { get; set; }

    public MetricsWindow Window { get; set; }

    /// <summary>The window's first instant when it was computed (a new value means a new day).</summary>
    public DateTimeOffset From { get; set; }

    public DateTimeOffset To { get; set; }

    public DateTimeOffset ComputedAt { get; set; }

    /// <summary>How long the computation took, for the logs and the benchmark.</summary>
    public int ElapsedMilliseconds { get; set; }

    public required string Payload { get; set; }
}
