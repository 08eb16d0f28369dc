using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Metrics;
using Wallboard.Web.Auth;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;
using Wallboard.Web.Live;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Cluster;

/// <summary>
/// Carries committed changes between app nodes that share one PostgreSQL database (docs/scale-out.md).
/// Every change this node publishes after its commit (calls, call-backs, metrics snapshots, and the
/// admin changes <see cref="ClusterSignals"/> announces) goes out as a <c>NOTIFY</c> of ids; every
/// other node's listener reads those rows by id and publishes them into its own notifiers, as a
/// <see cref="RemoteBatch{T}"/>, so its boards, call-back screens and reports move as if the change
/// were its own. A node skips its own messages: it applied them when it committed.
/// </summary>
/// <remarks>
/// The listener has its own connection (not pooled, TCP keepalive on) and waits in
/// <see cref="NpgsqlConnection.WaitAsync(CancellationToken)"/>. When the connection is lost it connects
/// again with a doubling delay, listens, and only then reads the database again: every store's
/// boards are resynchronised from SQL, calls in progress or with events since shortly before the loss,
/// open call-backs and today's metrics are published as changes. A change committed while it was
/// deaf is on the screens after that, and one committed after it listens again arrives as a message.
/// </remarks>
public sealed partial class ClusterChanges(
    ClusterNode node,
    ICallChangeNotifier calls,
    ICallbackChangeNotifier callbacks,
    IMetricsNotifier metrics,
    IDbContextFactory<WallboardDbContext> dbFactory,
    MetricsReports reports,
    LiveBoard board,
    AttributionCache attribution,
    IntegrationAuthenticator integrations,
    DisplayLinkRevocations revocations,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<ClusterChanges> logger) : IHostedService, IAsyncDisposable
{
    // PostgreSQL has no limit this low, but an IN list of thousands of ids is slow to plan.
    private const int ChunkSize = 500;
    private const int SendTries = 5;

    private readonly Channel<string> _incoming = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<IDisposable> _subscriptions = [];
    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _send = Task.CompletedTask;
    private Task _listen = Task.CompletedTask;
    private Task _apply = Task.CompletedTask;
    private Task? _stop;
    private int _disposed;

    /// <summary>Completes once the listener listens (for start-up and tests); a new one after each reconnect.</summary>
    public Task Listening => Volatile.Read(ref _listening).Task;

    /// <summary>Completes when the listening connection is next found lost.</summary>
    public Task Lost => Volatile.Read(ref _lost).Task;

    /// <summary>How many times the listener has connected again and resynchronised (for logs and tests).</summary>
    public int Resyncs { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscriptions.Add(calls.Subscribe(batch => Outgoing(batch, ChangeKind.Calls, c => c.CallId.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        _subscriptions.Add(callbacks.Subscribe(batch => Outgoing(batch, ChangeKind.Callbacks, c => c.CallbackId.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        _subscriptions.Add(metrics.Subscribe(batch => Outgoing(batch, ChangeKind.Metrics, r => MetricsItem(r.StoreId, r.Window))));
        _send = Task.Run(() => SendAsync(_stopping.Token), CancellationToken.None);
        _apply = Task.Run(() => ApplyAsync(_stopping.Token), CancellationToken.None);
        _listen = Task.Run(() => ListenAsync(_stopping.Token), CancellationToken.None);

        // Serve only once this node hears the others (or give up waiting and keep trying behind).
        try
        {
            await Listening.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            LogNotListeningYet(logger);
        }
    }

    // Stopping and disposing may overlap (a test host torn down while it stops): both wait for one stop.
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_subscriptions)
        {
            return _stop ??= StopOnceAsync(cancellationToken);
        }
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        // What was committed before stopping still goes out.
        node.Outgoing.Writer.TryComplete();
        _incoming.Writer.TryComplete();
        try
        {
            await _send.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            LogSendCutShort(logger);
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_listen, _apply).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Dispose();
        }
    }

    internal static string MetricsItem(int storeId, MetricsWindow window) =>
        FormattableString.Invariant($"{storeId}.{(int)window}");

    private ValueTask Outgoing<T>(IReadOnlyList<T> batch, ChangeKind kind, Func<T, string> item)
    {
        if (!RemoteBatch.IsFromAnotherNode(batch))
        {
            node.Outgoing.Writer.TryWrite(new ClusterNode.Announcement(kind, batch.Select(item).ToArray()));
        }

        return ValueTask.CompletedTask;
    }

    // One sender: what piled up while the last NOTIFY ran goes out together, one payload per kind
    // (more when it is long), in one round trip, on a pooled connection.
    private async Task SendAsync(CancellationToken ct)
    {
        var reader = node.Outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync(ct))
            {
                var pending = new Dictionary<ChangeKind, HashSet<string>>();
                while (reader.TryRead(out var announcement))
                {
                    if (!pending.TryGetValue(announcement.Kind, out var items))
                    {
                        pending[announcement.Kind] = items = [];
                    }

                    items.UnionWith(announcement.Items);
                }

                var payloads = pending.SelectMany(p => ChangeMessage.Encode(node.Id, p.Key, p.Value)).ToList();
                await NotifyAsync(payloads, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task NotifyAsync(List<string> payloads, CancellationToken ct)
    {
        var delay = options.Value.ReconnectDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await node.DataSource.OpenConnectionAsync(ct);
                await using var batch = new NpgsqlBatch(connection);
                foreach (var payload in payloads)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_notify($1, $2)")
                    {
                        Parameters = { new() { Value = options.Value.Channel }, new() { Value = payload } },
                    });
                }

                await batch.ExecuteNonQueryAsync(ct);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && attempt < SendTries)
            {
                LogSendRetry(logger, attempt, ex.Message);
                await Task.Delay(delay, time, ct);
                delay *= 2;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                // The other nodes resynchronise when their own connection comes back; a database
                // that refuses a NOTIFY this long has refused them too.
                LogSendFailed(logger, payloads.Count, ex);
                return;
            }
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        var delay = options.Value.ReconnectDelay;
        DateTimeOffset? lostAt = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(node.ListenerConnectionString);
                connection.Notification += (_, e) => _incoming.Writer.TryWrite(e.Payload);
                await connection.OpenAsync(ct);
                await using (var listen = new NpgsqlCommand($"LISTEN \"{options.Value.Channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                delay = options.Value.ReconnectDelay;
                if (lostAt is { } since)
                {
                    // Listening again first, reading second: nothing falls between the two.
                    await ResyncAsync(since - options.Value.ResyncMargin, ct);
                    Resyncs++;
                    var elapsed = time.GetUtcNow() - since;
                    LogResynchronised(logger, elapsed);
                    lostAt = null;
                }

                Volatile.Read(ref _listening).TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (lostAt is null)
                {
                    lostAt = time.GetUtcNow();
                    LogListenerLost(logger, ex);
                    if (Volatile.Read(ref _listening).Task.IsCompleted)
                    {
                        Volatile.Write(ref _listening, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    }

                    Interlocked.Exchange(ref _lost, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                }

                try
                {
                    await Task.Delay(delay, time, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.MaxReconnectDelay.Ticks));
            }
        }
    }

    private async Task ApplyAsync(CancellationToken ct)
    {
        var reader = _incoming.Reader;
        try
        {
            while (await reader.WaitToReadAsync(ct))
            {
                var messages = new List<ChangeMessage>();
                while (reader.TryRead(out var payload))
                {
                    if (ChangeMessage.TryDecode(payload) is not { } message)
                    {
                        LogStrayMessage(logger, payload.Length);
                    }
                    else if (message.Node != node.Id)
                    {
                        messages.Add(message);
                    }
                }

                try
                {
                    await ApplyAsync(messages, ct);
                    LogApplied(logger, messages.Count);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    // The listener goes on; the next change of the same calls reads them again.
                    LogApplyFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task ApplyAsync(List<ChangeMessage> messages, CancellationToken ct)
    {
        IEnumerable<ChangeMessage> Of(ChangeKind kind) => messages.Where(m => m.Kind == kind);

        foreach (var storeId in Of(ChangeKind.Store).SelectMany(m => m.Ids()).Distinct())
        {
            attribution.Invalidate();
            DailyRollups.StoreChanged((int)storeId);
            board.ReloadStore((int)storeId);
        }

        if (Of(ChangeKind.Attribution).Any())
        {
            attribution.Invalidate();
        }

        if (Of(ChangeKind.Integrations).Any())
        {
            attribution.Invalidate();
            integrations.Invalidate();
        }

        foreach (var linkId in Of(ChangeKind.DisplayLinkRevoked).SelectMany(m => m.Ids()).Distinct())
        {
            revocations.Revoked((int)linkId);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await PublishCallsAsync(db, Of(ChangeKind.Calls).SelectMany(m => m.Ids()).Distinct().ToList(), ct);
        await PublishCallbacksAsync(db, Of(ChangeKind.Callbacks).SelectMany(m => m.Ids()).Distinct().ToList(), ct);
        var snapshots = Of(ChangeKind.Metrics).SelectMany(m => m.Items).Distinct()
            .Select(ParseMetricsItem).OfType<(int, MetricsWindow)>().ToList();
        if (snapshots.Count > 0)
        {
            metrics.Publish(new RemoteBatch<MetricsReport>(await reports.ReadStoredAsync(snapshots, ct)));
        }
    }

    private async Task PublishCallsAsync(WallboardDbContext db, List<long> ids, CancellationToken ct)
    {
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            var changes = await db.Calls.AsNoTracking().Where(c => chunk.Contains(c.Id))
                .Select(c => new CallChange(c.Id, c.StoreId, c.Department, c.Phase, c.Outcome, c.LastEventAt))
                .ToListAsync(ct);
            calls.Publish(new RemoteBatch<CallChange>(changes));
        }
    }

    private async Task PublishCallbacksAsync(WallboardDbContext db, List<long> ids, CancellationToken ct)
    {
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            var changes = await db.Callbacks.AsNoTracking().Where(c => chunk.Contains(c.Id))
                .Select(c => new CallbackChange(c.StoreId, c.Department, c.Id))
                .ToListAsync(ct);
            callbacks.Publish(new RemoteBatch<CallbackChange>(changes));
        }
    }

    // After a lost connection: everything a screen could show that may have changed while this
    // node was deaf is read again and published as if it had just been heard of.
    private async Task ResyncAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var storeIds = await db.Stores.AsNoTracking().Select(s => s.Id).ToListAsync(ct);
        foreach (var storeId in storeIds)
        {
            DailyRollups.StoreChanged(storeId);
            await board.ResyncStoreAsync(storeId, ct);
        }

        attribution.Invalidate();
        integrations.Invalidate();
        var callIds = await db.Calls.AsNoTracking().Where(c => c.EndedAt == null || c.LastEventAt >= since).Select(c => c.Id).ToListAsync(ct);
        await PublishCallsAsync(db, callIds, ct);
        var callbackIds = await db.Callbacks.AsNoTracking()
            .Where(c => c.Status == CallbackStatus.Open || c.Status == CallbackStatus.Claimed || c.Status == CallbackStatus.Scheduled)
            .Select(c => c.Id).ToListAsync(ct);
        await PublishCallbacksAsync(db, callbackIds, ct);
        var today = storeIds.Select(id => (id, MetricsWindow.Today)).ToList();
        metrics.Publish(new RemoteBatch<MetricsReport>(await reports.ReadStoredAsync(today, ct)));
    }

    private static (int, MetricsWindow)? ParseMetricsItem(string item)
    {
        var parts = item.Split('.');
        return parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var storeId)
            && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var window)
            && Enum.IsDefined((MetricsWindow)window)
            ? (storeId, (MetricsWindow)window)
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not listening to the other nodes yet after 30 s; serving anyway and still trying")]
    private static partial void LogNotListeningYet(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping before every change was announced to the other nodes")]
    private static partial void LogSendCutShort(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing changes to the other nodes failed (try {Attempt}): {Reason}")]
    private static partial void LogSendRetry(ILogger logger, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not announce {Messages} change messages to the other nodes")]
    private static partial void LogSendFailed(ILogger logger, int messages, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that hears the other nodes; connecting again")]
    private static partial void LogListenerLost(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hearing the other nodes again; boards resynchronised from the database {Elapsed} after the loss")]
    private static partial void LogResynchronised(ILogger logger, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a message of {Length} characters on the changes channel that is not a change message")]
    private static partial void LogStrayMessage(ILogger logger, int length);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Applied {Messages} change messages from other nodes")]
    private static partial void LogApplied(ILogger logger, int messages);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not apply changes from another node")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception);
}
