using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// A program the test starts as a real process (an app node, HAProxy): its output is kept, a test can
/// wait for a line, and it is killed on dispose whatever happened.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<TaskCompletionSource<string>, Func<string, bool>> _waits = new();

    private ServiceProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get
        {
            lock (_gate)
            {
                return _log.ToString();
            }
        }
    }

    public static ServiceProcess Start(string name, ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new ServiceProcess(name, process);
        process.OutputDataReceived += (_, e) => service.Line(e.Data);
        process.ErrorDataReceived += (_, e) => service.Line(e.Data);
        Assert.True(process.Start(), $"{name} did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Completes with the first line (from now on, or already written) that matches.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_log.ToString().Split('\n').FirstOrDefault(match) is { } already)
            {
                return Task.FromResult(already);
            }

            _waits[found] = match;
        }

        return found.Task.WaitAsync(timeout);
    }

    /// <summary>The process dies at once, as with <c>kill -9</c>.</summary>
    public void KillHard()
    {
        using var kill = Process.Start("kill", $"-9 {_process.Id}");
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Line(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log.Append(line).Append('\n');
        }

        foreach (var (wait, match) in _waits)
        {
            if (match(line) && wait.TrySetResult(line))
            {
                _waits.TryRemove(wait, out _);
            }
        }
    }
}
