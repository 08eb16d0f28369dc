using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Wallboard.Domain.Stores;
using Wallboard.Web.Live;

namespace Wallboard.Tests.Live;

public sealed class SnapshotThrottleTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task The_first_snapshot_after_a_quiet_spell_is_shown_at_once_and_of_those_within_the_window_only_the_newest_when_it_ends()
    {
        var clock = new TimerJumpingTimeProvider(DateTimeOffset.UnixEpoch);
        var shown = Channel.CreateUnbounded<long>();
        await using var throttle = new SnapshotThrottle(s => shown.Writer.WriteAsync(s.Version).AsTask(), Window, clock, NullLogger.Instance);

        throttle.Offer(Snapshot(1));
        Assert.Equal(1, await shown.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        await clock.WhenTimersCreatedAsync(1); // the window after it has begun

        throttle.Offer(Snapshot(2));
        throttle.Offer(Snapshot(3));
        throttle.Offer(Snapshot(4));
        Assert.False(shown.Reader.TryRead(out _));

        clock.Advance(Window);
        Assert.Equal(4, await shown.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        await clock.WhenTimersCreatedAsync(2);

        // One more within the next window: the burst's last state is shown when that window ends.
        throttle.Offer(Snapshot(5));
        Assert.False(shown.Reader.TryRead(out _));
        clock.Advance(Window);
        Assert.Equal(5, await shown.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(shown.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_snapshot_older_than_one_offered_before_is_never_shown()
    {
        var clock = new TimerJumpingTimeProvider(DateTimeOffset.UnixEpoch);
        var shown = Channel.CreateUnbounded<long>();
        await using var throttle = new SnapshotThrottle(s => shown.Writer.WriteAsync(s.Version).AsTask(), Window, clock, NullLogger.Instance);

        throttle.Offer(Snapshot(5));
        Assert.Equal(5, await shown.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        await clock.WhenTimersCreatedAsync(1);

        // Updates may overtake each other on their way here.
        throttle.Offer(Snapshot(7));
        throttle.Offer(Snapshot(6));
        clock.Advance(Window);
        Assert.Equal(7, await shown.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        await clock.WhenTimersCreatedAsync(2);

        throttle.Offer(Snapshot(3));
        clock.Advance(Window);
        throttle.Offer(Snapshot(8));
        Assert.Equal(8, await shown.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(shown.Reader.TryRead(out _));
    }

    private static BoardSnapshot Snapshot(long version) => new()
    {
        StoreId = 1,
        StoreName = "Lakeside Toyota",
        Department = Department.Sales,
        TimeZoneId = "America/Chicago",
        Day = new DateOnly(2026, 12, 7),
        AsOf = DateTimeOffset.UnixEpoch,
        Version = version,
        FullNumbers = false,
        Waiting = new WaitingTile(0, null, [], 20, 60),
        OnHold = new OnHoldTile(0, null, [], 30, 60),
        Missed = new MissedTile(0, 0, 0, []),
        OverdueCallbacks = OverdueCallbacksTile.None,
        AnswerRate = new AnswerRateTile(0, 0, 0, 0, 0, null, 0.9, 0, null, 20),
        SpeedToCallback = SpeedToCallbackTile.NotYet,
        Leaderboard = [],
        Sources = [],
        Ticker = [],
    };
}
