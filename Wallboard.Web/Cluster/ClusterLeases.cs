using Npgsql;

namespace Wallboard.Web.Cluster;

/// <summary>
/// Work that must run on one app node at a time, whichever it is (the demo's call simulator: two
/// nodes playing the same stores would double its calls). A node holds the lease while it does the
/// work; the others wait, trying again every <see cref="ClusterOptions.LeaseInterval"/>, and one of
/// them takes over when the holder stops, dies or loses its database connection. With PostgreSQL
/// the lease is a session-level advisory lock on a connection of its own (not pooled, with TCP
/// keepalive), so it ends with the node's session whatever happens to the node; the holder checks
/// its connection every interval and gives the work up (<see cref="ClusterLease.Lost"/>) when it is
/// gone. Without a <see cref="ClusterNode"/> (SQLite, one node) a lease is granted at once and kept.
/// </summary>
public sealed partial class ClusterLeases(TimeProvider time, ILogger<ClusterLeases> logger, ClusterNode? node = null)
{
    /// <summary>How many lease intervals a node that lost the lease lets the others try first.</summary>
    public const int IntervalsAfterLoss = 10;

    /// <summary>
    /// Waits until this node holds the lease <paramref name="key"/> (a PostgreSQL advisory lock key,
    /// shared by everything in the database: pick a fixed, unlikely one); <paramref name="name"/>
    /// is for the logs. Dispose the lease to give it up. A node that just lost the lease passes
    /// <paramref name="afterLoss"/>: it waits <see cref="IntervalsAfterLoss"/> intervals before its
    /// first try, so a node whose connection did not fail (it tries every interval) takes over
    /// first, instead of the one that lost it winning the lock back at once.
    /// </summary>
    public async Task<ClusterLease> AcquireAsync(long key, string name, CancellationToken ct, bool afterLoss = false)
    {
        if (node is null)
        {
            return new ClusterLease(null, key, TimeSpan.Zero, time, logger, name);
        }

        if (afterLoss)
        {
            await Task.Delay(node.LeaseInterval * IntervalsAfterLoss, time, ct);
        }

        var waiting = false;
        while (true)
        {
            var connection = new NpgsqlConnection(node.LeaseConnectionString);
            try
            {
                await connection.OpenAsync(ct);
                while (true)
                {
                    await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = key } } })
                    {
                        if (await take.ExecuteScalarAsync(ct) is true)
                        {
                            LogTaken(logger, name, node.Id);
                            var lease = new ClusterLease(connection, key, node.LeaseInterval, time, logger, name);
                            connection = null;
                            return lease;
                        }
                    }

                    if (!waiting)
                    {
                        LogWaiting(logger, name, node.Id);
                        waiting = true;
                    }

                    await Task.Delay(node.LeaseInterval, time, ct);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The database is away: try again later, on a new connection.
                LogTryFailed(logger, name, ex.Message);
            }
            finally
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }

            await Task.Delay(node.LeaseInterval, time, ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeId} holds the {Lease} lease")]
    private static partial void LogTaken(ILogger logger, string lease, string nodeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another node holds the {Lease} lease; node {NodeId} takes over if it stops")]
    private static partial void LogWaiting(ILogger logger, string lease, string nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not try for the {Lease} lease ({Reason}); trying again")]
    private static partial void LogTryFailed(ILogger logger, string lease, string reason);
}

/// <summary>
/// A lease this node holds (<see cref="ClusterLeases"/>): <see cref="Lost"/> is cancelled when its
/// connection is gone (the work must stop: another node may take it over); disposing it gives the
/// lease back.
/// </summary>
public sealed partial class ClusterLease : IAsyncDisposable
{
    private readonly NpgsqlConnection? _connection;
    private readonly long _key;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;

    internal ClusterLease(NpgsqlConnection? connection, long key, TimeSpan interval, TimeProvider time, ILogger logger, string name)
    {
        _connection = connection;
        _key = key;
        _logger = logger;
        _name = name;
        _watch = connection is null ? Task.CompletedTask : WatchAsync(connection, interval, time, _stop.Token);
    }

    /// <summary>Cancelled when the lease is lost; the holder stops the work.</summary>
    public CancellationToken Lost => _lost.Token;

    private async Task WatchAsync(NpgsqlConnection connection, TimeSpan interval, TimeProvider time, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, ct);
                await using var check = new NpgsqlCommand("SELECT 1", connection);
                await check.ExecuteScalarAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Given back.
        }
        catch (Exception ex)
        {
            LogLost(_logger, _name, ex.Message);
            await _lost.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watch;
        if (_connection is not null)
        {
            try
            {
                if (!_lost.IsCancellationRequested)
                {
                    await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _connection) { Parameters = { new() { Value = _key } } };
                    await release.ExecuteScalarAsync(CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // Closing the session below ends the lock all the same.
                LogReleaseFailed(_logger, _name, ex.Message);
            }

            await _connection.DisposeAsync();
        }

        _lost.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the {Lease} lease: its connection failed ({Reason}); the work stops here and another node may take it over")]
    private static partial void LogLost(ILogger logger, string lease, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not give the {Lease} lease back ({Reason}); closing its connection ends it")]
    private static partial void LogReleaseFailed(ILogger logger, string lease, string reason);
}
