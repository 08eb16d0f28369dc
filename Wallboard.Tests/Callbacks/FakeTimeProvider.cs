namespace Wallboard.Tests.Callbacks;

/// <summary>A clock that stands still until a test moves it (Microsoft's testing package is not available here).</summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    public void SetUtcNow(DateTimeOffset now)
    {
        lock (_gate)
        {
            _now = now;
        }
    }
}
