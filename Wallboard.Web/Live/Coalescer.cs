using System.Threading.Channels;

namespace Wallboard.Web.Live;

/// <summary>
/// Runs a piece of work for a stream of requests, at most once per window: the first request
/// after a quiet spell runs at once, requests that come while the work runs or within the window
/// after it start it once more when the window ends. So a burst of a thousand requests costs two
/// or three runs, and the last request of a burst is always followed by a run that sees it.
/// With a <c>busyShare</c>, work that grows slow waits longer: the next run starts no sooner than
/// the last one's time divided by the share after it started, so the work never takes more than
/// that share of a core however much it grows (0.25 and a run of 2 s: the next one 8 s after).
/// </summary>
public sealed partial class Coalescer : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task> _work;
    private readonly TimeSpan _window;
    private readonly double _busyShare;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource? _pending;

    public Coalescer(Func<CancellationToken, Task> work, TimeSpan window, TimeProvider time, ILogger logger, double busyShare = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(busyShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(busyShare, 1);
        _work = work;
        _window = window;
        _busyShare = busyShare;
        _time = time;
        _logger = logger;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Asks for a run; the task completes when a run that started after this request has finished.</summary>
    public Task RequestAsync()
    {
        Task served;
        lock (_gate)
        {
            _pending ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            served = _pending.Task;
        }

        _wake.Writer.TryWrite(true);
        return served;
    }

    /// <summary>Asks for a run without waiting for it.</summary>
    public void Request() => _ = RequestAsync();

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(ct))
            {
                _wake.Reader.TryRead(out _);
                TaskCompletionSource? serving;
                lock (_gate)
                {
                    serving = _pending;
                    _pending = null;
                }

                if (serving is null)
                {
                    continue;
                }

                var started = _time.GetTimestamp();
                try
                {
                    await _work(ct);
                    serving.TrySetResult();
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    serving.TrySetCanceled(ct);
                    return;
                }
                catch (Exception ex)
                {
                    LogRunFailed(_logger, ex);
                    serving.TrySetException(ex);
                }

                var took = _time.GetElapsedTime(started);
                var rest = TimeSpan.FromTicks(Math.Max(_window.Ticks, (long)(took.Ticks / _busyShare))) - took;
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, _time, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            lock (_gate)
            {
                _pending?.TrySetCanceled(CancellationToken.None);
                _pending = null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _wake.Writer.TryComplete();
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A coalesced run failed; the next request runs it again")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
