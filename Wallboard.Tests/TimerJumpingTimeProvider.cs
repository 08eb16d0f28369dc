using Microsoft.Extensions.Time.Testing;

namespace Wallboard.Tests;

/// <summary>
/// Microsoft.Extensions.TimeProvider.Testing's <see cref="FakeTimeProvider"/> with the two things
/// it lacks that some tests need: <see cref="JumpToTimers"/> moves the clock to a timer's due time
/// as soon as the timer is set (the library's <c>AutoAdvanceAmount</c> moves it by a fixed step on
/// every read instead), so code that waits with <c>Task.Delay(delay, timeProvider, ct)</c> never
/// waits and the test reads how long it would have; and <see cref="WhenTimersCreatedAsync"/> tells
/// a test that the code under test reached its wait (the library does not say how many timers are
/// set).
/// </summary>
public sealed class TimerJumpingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _created;

    /// <summary>Jump the clock to every timer's due time when it is set, and fire it.</summary>
    public bool JumpToTimers { get; init; }

    /// <summary>Completes once at least <paramref name="count"/> timers have been created.</summary>
    public Task WhenTimersCreatedAsync(int count)
    {
        lock (_gate)
        {
            if (_created >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_gate)
        {
            _created++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _created).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }

        if (JumpToTimers && dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            Advance(dueTime);
        }

        return timer;
    }
}
