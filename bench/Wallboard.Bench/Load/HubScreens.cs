using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;

namespace Wallboard.Bench.Load;

/// <summary>
/// K real SignalR clients of <c>/hubs/wallboard</c>, each subscribed to one board with a display
/// token (as a TV app outside the browser would), each timing the first <c>board</c> message
/// that shows each probe.
/// </summary>
internal sealed class HubScreens : IAsyncDisposable
{
    private readonly List<Screen> _screens = [];

    private HubScreens()
    {
    }

    public int Count => _screens.Count;

    /// <summary><c>board</c> messages received by all clients so far.</summary>
    public long Boards => _screens.Sum(s => s.Boards);

    public static async Task<HubScreens> ConnectAsync(Uri baseAddress, string token, int storeId, int count, ProbeBook probes, CancellationToken ct)
    {
        var screens = new HubScreens();
        try
        {
            // A few at a time: a crowd of handshakes at once only measures the accept queue.
            foreach (var chunk in Enumerable.Range(0, count).Chunk(20))
            {
                var connected = await Task.WhenAll(chunk.Select(_ => Screen.ConnectAsync(baseAddress, token, storeId, probes, ct)));
                screens._screens.AddRange(connected);
            }
        }
        catch
        {
            await screens.DisposeAsync();
            throw;
        }

        return screens;
    }

    /// <summary>Milliseconds from each probe's POST to each client's first board showing it, for the probes of a phase.</summary>
    public List<double> Latencies(int phase) => _screens.SelectMany(s => s.Latencies(phase)).ToList();

    /// <summary>Each sighting of a phase's probes: when the probe was posted (<see cref="Stopwatch"/> timestamp) and how long it took, in ms.</summary>
    public List<(long PostedTimestamp, double Ms)> Sightings(int phase) => _screens.SelectMany(s => s.Sightings(phase)).ToList();

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_screens.Select(s => s.DisposeAsync().AsTask()));
    }

    private sealed class Screen(HubConnection connection, ProbeBook probes) : IAsyncDisposable
    {
        private readonly Lock _lock = new();
        private readonly HashSet<int> _seen = [];
        private readonly List<(int Phase, long PostedTimestamp, double Ms)> _latencies = [];
        private long _boards;

        public long Boards => Interlocked.Read(ref _boards);

        public static async Task<Screen> ConnectAsync(Uri baseAddress, string token, int storeId, ProbeBook probes, CancellationToken ct)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(baseAddress, "hubs/wallboard"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                .Build();
            var screen = new Screen(connection, probes);
            connection.On<BoardView>("board", screen.Saw);
            try
            {
                await connection.StartAsync(ct);
                await connection.InvokeAsync("Subscribe", storeId, "Sales", ct);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }

            return screen;
        }

        public List<double> Latencies(int phase)
        {
            lock (_lock)
            {
                return _latencies.Where(l => l.Phase == phase).Select(l => l.Ms).ToList();
            }
        }

        public List<(long PostedTimestamp, double Ms)> Sightings(int phase)
        {
            lock (_lock)
            {
                return _latencies.Where(l => l.Phase == phase).Select(l => (l.PostedTimestamp, l.Ms)).ToList();
            }
        }

        private void Saw(BoardView board)
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _boards);
            if (board.Waiting?.Calls is not { } calls)
            {
                return;
            }

            lock (_lock)
            {
                foreach (var call in calls)
                {
                    if (probes.Find(call.Caller) is { } probe && probe.PostedTimestamp != 0 && _seen.Add(probe.Number))
                    {
                        _latencies.Add((probe.Phase, probe.PostedTimestamp, Stopwatch.GetElapsedTime(probe.PostedTimestamp, now).TotalMilliseconds));
                    }
                }
            }
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }

    // The part of the board snapshot a probe is found in; the rest of the message is skipped.
    private sealed class BoardView
    {
        public long Version { get; set; }

        public WaitingView? Waiting { get; set; }
    }

    private sealed class WaitingView
    {
        public List<WaitingRow>? Calls { get; set; }
    }

    private sealed class WaitingRow
    {
        public string? Caller { get; set; }
    }
}
