using System.Collections.Concurrent;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Live;

namespace Wallboard.Web.Metrics;

/// <summary>
/// Keeps today's snapshot of a store close behind its calls: a committed call change or a
/// call-back change asks for the store's today figures again, coalesced to at most one run per
/// <see cref="MetricsOptions.TodayRefreshWindow"/>, so the TV's leaderboard and sources tiles move
/// with the missed-calls tile instead of once a minute. The minute job stays the floor. A change
/// another node committed is left to that node, which computes and announces the snapshot.
/// </summary>
public sealed partial class MetricsLiveRefresher(
    MetricsReports reports,
    ICallChangeNotifier calls,
    ICallbackChangeNotifier callbacks,
    Microsoft.Extensions.Options.IOptions<MetricsOptions> options,
    TimeProvider time,
    ILogger<MetricsLiveRefresher> logger) : IHostedService, IAsyncDisposable
{
    // Today's figures are read from the day's calls, so a run grows with the day: on a day of tens of
    // thousands of calls a store's refresh could otherwise keep a core busy. The window stretches
    // instead, to at most a quarter of a core per store; the minute job stays the floor.
    private const double TodayBusyShare = 0.25;

    private readonly ConcurrentDictionary<int, Coalescer> _stores = new();
    private IDisposable? _callSubscription;
    private IDisposable? _callbackSubscription;
    private int _disposed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _callSubscription = calls.Subscribe(changes =>
        {
            if (Cluster.RemoteBatch.IsFromAnotherNode(changes))
            {
                return ValueTask.CompletedTask;
            }

            Request(changes.Where(c => c.Department == Department.Sales).Select(c => c.StoreId));
            return ValueTask.CompletedTask;
        });
        _callbackSubscription = callbacks.Subscribe(changes =>
        {
            if (Cluster.RemoteBatch.IsFromAnotherNode(changes))
            {
                return ValueTask.CompletedTask;
            }

            Request(changes.Where(c => c.Department == Department.Sales).Select(c => c.StoreId));
            return ValueTask.CompletedTask;
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _callSubscription?.Dispose();
        _callbackSubscription?.Dispose();
        return Task.CompletedTask;
    }

    private void Request(IEnumerable<int> storeIds)
    {
        foreach (var storeId in storeIds.Distinct())
        {
            if (Volatile.Read(ref _disposed) == 1)
            {
                return;
            }

            _stores.GetOrAdd(storeId, id => new Coalescer(
                ct => reports.ComputeAsync([MetricsWindow.Today], id, ct), options.Value.TodayRefreshWindow, time, logger, TodayBusyShare)).Request();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _callSubscription?.Dispose();
        _callbackSubscription?.Dispose();
        foreach (var coalescer in _stores.Values)
        {
            await coalescer.DisposeAsync();
        }

        _stores.Clear();
    }
}

public sealed class MetricsOptions
{
    /// <summary>Today's figures of a store are computed again at most this often on live changes.</summary>
    public TimeSpan TodayRefreshWindow { get; set; } = TimeSpan.FromSeconds(2);
}
