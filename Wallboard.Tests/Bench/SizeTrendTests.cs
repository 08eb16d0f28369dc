using Wallboard.Bench.Sampling;

namespace Wallboard.Tests.Bench;

/// <summary>The size scenario's memory verdict: read over the second half, where start-up is behind.</summary>
public sealed class SizeTrendTests
{
    private const long Mb = 1024 * 1024;

    [Fact]
    public void Memory_that_climbs_at_start_and_then_stays_flat_does_not_grow()
    {
        // Ten minutes, a sample a second: 150 → 250 MB in the first minute, then flat with GC saw-teeth.
        var samples = Enumerable.Range(0, 600)
            .Select(s => new ProcessSample(s, s, (long)((s < 60 ? 150 + (s * 100.0 / 60) : 250 + (s % 7)) * Mb)))
            .ToList();

        var (slope, verdict) = MemoryTrend.Of(samples);

        Assert.Equal("does not grow", verdict);
        Assert.InRange(slope, -1, 1);
    }

    [Fact]
    public void Memory_that_keeps_rising_through_the_second_half_grows()
    {
        var samples = Enumerable.Range(0, 600).Select(s => new ProcessSample(s, s, (long)((200 + (s * 5.0 / 60)) * Mb))).ToList();

        var (slope, verdict) = MemoryTrend.Of(samples);

        Assert.Equal("grows", verdict);
        Assert.InRange(slope, 4.9, 5.1);
    }

    [Fact]
    public void Under_a_minute_of_samples_gives_no_verdict()
    {
        var samples = Enumerable.Range(0, 30).Select(s => new ProcessSample(s, s, (200 + s) * Mb)).ToList();

        Assert.StartsWith("too short", MemoryTrend.Of(samples).Verdict, StringComparison.Ordinal);
    }
}
