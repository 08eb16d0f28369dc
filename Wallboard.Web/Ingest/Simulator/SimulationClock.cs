namespace Wallboard.Web.Ingest.Simulator;

/// <summary>
/// Simulated time: it starts at the real "now" (or at a chosen simulated instant) and runs
/// <c>speed</c> times faster. Calls arrive
/// on the simulated clock (business hours, the day's curve), so at 20× a morning's calls come in
/// minutes; each call then plays in real time from its real start, so every wait, ring and hold
/// lasts as long on the board as it would on a real phone system, and the store's thresholds
/// (short abandon, hold warning, service level) judge it as they would a real call.
/// </summary>
internal sealed class SimulationClock
{
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _origin;
    private readonly DateTimeOffset _simulatedOrigin;

    public SimulationClock(TimeProvider time, double speed, DateTimeOffset? simulatedStart = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        _time = time;
        Speed = speed;
        _origin = time.GetUtcNow();
        _simulatedOrigin = simulatedStart ?? _origin;
    }

    public double Speed { get; }

    public DateTimeOffset SimulatedNow => ToSimulated(_time.GetUtcNow());

    public DateTimeOffset ToSimulated(DateTimeOffset real) => _simulatedOrigin + ((real - _origin) * Speed);

    /// <summary>The real instant of a simulated one, in whole milliseconds (the wire form's precision).</summary>
    public DateTimeOffset ToReal(DateTimeOffset simulated)
    {
        var real = _origin + ((simulated - _simulatedOrigin) / Speed);
        return real.AddTicks(-(real.UtcTicks % TimeSpan.TicksPerMillisecond));
    }

    /// <summary>Waits on the time provider until the real instant; at once when it has passed.</summary>
    public Task WaitUntilAsync(DateTimeOffset real, CancellationToken ct)
    {
        var wait = real - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            return Task.Delay(wait, _time, ct);
        }

        return ct.IsCancellationRequested ? Task.FromCanceled(ct) : Task.CompletedTask;
    }
}
