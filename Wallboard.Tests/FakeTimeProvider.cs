namespace Wallboard.Tests;

/// <summary>
/// A clock that moves only when a test moves it (Microsoft.Extensions.TimeProvider.Testing is not
/// available here). <see cref="Advance"/> fires due timers in time order, each at its own due
/// instant, so code that waits with <c>Task.Delay(delay, timeProvider, ct)</c> runs as it would in
/// real time. With <see cref="AutoAdvance"/> the clock instead jumps to a timer's due time as soon
/// as the timer is set, so code under test never waits and the test reads how long it would have.
/// </summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private DateTimeOffset _now = start;

    /// <summary>Jump the clock to every timer's due time when it is set, and fire it.</summary>
    public bool AutoAdvance { get; init; }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Timers set and not yet fired.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> timers are set (the code under test reached its wait).</summary>
    public Task WhenPendingTimersAsync(int count)
    {
        lock (_gate)
        {
            if (_timers.Count(t => t.Due is not null) >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate)
        {
            target = _now + by;
        }

        while (true)
        {
            FakeTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    _now = target;
                    return;
                }

                if (next.Due > _now)
                {
                    _now = next.Due.Value;
                }

                next.Rearm();
            }

            // Outside the lock: the callback may set timers of its own.
            next.Fire();
        }
    }

    private void Changed(FakeTimer timer)
    {
        lock (_gate)
        {
            var pending = _timers.Count(t => t.Due is not null);
            foreach (var waiter in _waiters.Where(w => pending >= w.Count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }

        if (!AutoAdvance)
        {
            return;
        }

        lock (_gate)
        {
            if (timer.Due is not { } due)
            {
                return;
            }

            if (due > _now)
            {
                _now = due;
            }

            timer.Rearm();
        }

        // Not on the caller's stack: Task.Delay has not finished setting up when CreateTimer returns.
        ThreadPool.QueueUserWorkItem(_ => timer.Fire());
    }

    private void Remove(FakeTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        /// <summary>When it fires next; null when stopped. Guarded by the owner's lock.</summary>
        public DateTimeOffset? Due { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                _period = period;
            }

            owner.Changed(this);
            return true;
        }

        /// <summary>After firing: the next period, or stopped. Called under the owner's lock.</summary>
        public void Rearm() =>
            Due = _period == Timeout.InfiniteTimeSpan || _period <= TimeSpan.Zero ? null : Due + _period;

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._gate)
            {
                Due = null;
            }

            owner.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
