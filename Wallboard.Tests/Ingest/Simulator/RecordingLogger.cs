using Microsoft.Extensions.Logging;

namespace Wallboard.Tests.Ingest.Simulator;

/// <summary>A logger that keeps the level and message of every entry.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly object _gate = new();
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public int Count(LogLevel level)
    {
        lock (_gate)
        {
            return _entries.Count(e => e.Level == level);
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            _entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
