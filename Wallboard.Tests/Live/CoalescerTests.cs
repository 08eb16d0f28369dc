using Microsoft.Extensions.Logging.Abstractions;
using Wallboard.Web.Live;

namespace Wallboard.Tests.Live;

public sealed class CoalescerTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task A_burst_of_a_thousand_requests_runs_once_at_once_and_once_more_when_the_window_ends()
    {
        var clock = new TimerJumpingTimeProvider(DateTimeOffset.UnixEpoch);
        var state = 0;
        var seen = new List<int>();
        await using var coalescer = new Coalescer(_ =>
        {
            lock (seen)
            {
                seen.Add(Volatile.Read(ref state));
            }

            return Task.CompletedTask;
        }, Window, clock, NullLogger.Instance);

        await coalescer.RequestAsync();
        await clock.WhenTimersCreatedAsync(1); // the window after the first run has begun
        Task last = Task.CompletedTask;
        for (var i = 1; i <= 1_000; i++)
        {
            Volatile.Write(ref state, i);
            last = coalescer.RequestAsync();
        }

        lock (seen)
        {
            Assert.Equal([0], seen);
        }

        Assert.False(last.IsCompleted);

        clock.Advance(Window);
        await last.WaitAsync(TimeSpan.FromSeconds(10));

        lock (seen)
        {
            // Two runs for 1,001 requests, and the second saw the last request's state.
            Assert.Equal([0, 1_000], seen);
        }
    }

    [Fact]
    public async Task With_a_busy_share_a_run_that_grew_slow_holds_the_next_one_back_in_proportion()
    {
        var clock = new TimerJumpingTimeProvider(DateTimeOffset.UnixEpoch);
        var runs = new List<DateTimeOffset>();
        await using var coalescer = new Coalescer(_ =>
        {
            lock (runs)
            {
                runs.Add(clock.GetUtcNow());
            }

            // Each run takes two seconds of the clock.
            clock.Advance(TimeSpan.FromSeconds(2));
            return Task.CompletedTask;
        }, Window, clock, NullLogger.Instance, busyShare: 0.25);

        await coalescer.RequestAsync();
        await clock.WhenTimersCreatedAsync(1);
        var second = coalescer.RequestAsync();

        // A quarter of the time at most: the next run starts 8 s after the first began, not 2.05 s.
        clock.Advance(TimeSpan.FromSeconds(5.9));
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        lock (runs)
        {
            Assert.Equal([DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(8)], runs);
        }
    }

    [Fact]
    public async Task A_request_while_the_work_runs_gets_a_run_of_its_own_after_it()
    {
        var clock = new TimerJumpingTimeProvider(DateTimeOffset.UnixEpoch);
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var runs = 0;
        await using var coalescer = new Coalescer(async _ =>
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                started.SetResult();
                await release.Task;
            }
        }, TimeSpan.Zero, clock, NullLogger.Instance);

        var first = coalescer.RequestAsync();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var during = coalescer.RequestAsync();
        Assert.NotSame(first, during);

        release.SetResult();
        await during.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(first.IsCompletedSuccessfully);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task A_failed_run_is_reported_to_its_requests_and_the_next_request_runs_again()
    {
        var clock = new TimerJumpingTimeProvider(DateTimeOffset.UnixEpoch);
        var runs = 0;
        await using var coalescer = new Coalescer(_ =>
            Interlocked.Increment(ref runs) == 1 ? Task.FromException(new InvalidOperationException("database down")) : Task.CompletedTask,
            TimeSpan.Zero, clock, NullLogger.Instance);

        await Assert.ThrowsAsync<InvalidOperationException>(() => coalescer.RequestAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        await coalescer.RequestAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, Volatile.Read(ref runs));
    }
}
