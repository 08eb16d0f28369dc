using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Wallboard.Web.Data;

/// <summary>
/// Makes the app's writers to one SQLite file take turns, in the order they asked (docs/database.md,
/// "Writers on SQLite"). SQLite has one write lock per file, and Microsoft.Data.Sqlite waits for it
/// by trying again every 150 ms until the command timeout (30 s). Under load the ingest writer holds
/// the lock almost all the time and takes it again the moment it commits (group commit: the next
/// batch is already waiting), so a writer that polls (the call-back sweep, the metrics refresh, an
/// admin's save) only gets in if its retry falls into the gap between two ingest transactions, and
/// at 500 events/s it often did not for 30 s: "database is locked". Through this gate a writer
/// queues for the file in process before it asks SQLite, and gets the lock as soon as the
/// transaction before it ends; the ingest writer waits at most one short transaction.
/// <para>
/// A turn is taken when a transaction begins (EF's own for <c>SaveChanges</c>, and explicit ones:
/// Microsoft.Data.Sqlite begins them IMMEDIATE, with SQLite's write lock) and when a write statement runs outside a transaction (<c>ExecuteUpdate</c>, a single-row
/// <c>SaveChanges</c>); it is given back when the transaction commits or rolls back, when the
/// statement's reader is disposed, or at the latest when the connection closes. Reads never queue:
/// in WAL mode they do not wait for the writer. Nor do read transactions (begun at RepeatableRead
/// or Snapshot, for a consistent view: the metrics' reads): the gate begins them DEFERRED, so they
/// hold no write lock, and one takes a turn only at its first statement if that writes
/// (<see cref="FirstWriteOfRead"/>; one that has read refuses to write). A connection takes a turn once, however many it
/// asks for. A writer that waited as long as its command timeout goes on without a turn, so the
/// gate never turns a slow writer into a hang (SQLite's own lock still keeps the file consistent).
/// Other processes on the same file (a command-line verb while the app runs) are not in the queue
/// and wait for SQLite's lock as before. One gate per file in this process, shared by every
/// context on it.
/// </para>
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "One gate per database file for the life of the process; a SemaphoreSlim whose wait handle is never asked for holds nothing to release.")]
internal sealed class SqliteWriteGate : IDbTransactionInterceptor, IDbCommandInterceptor, IDbConnectionInterceptor
{
    private static readonly ConcurrentDictionary<string, SqliteWriteGate> Files = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ConditionalWeakTable<DbConnection, Holder> _holders = new();
    private readonly ConditionalWeakTable<DbTransaction, DbConnection> _transactions = new();
    private readonly ConditionalWeakTable<DbCommand, DbConnection> _statements = new();
    private readonly ConditionalWeakTable<DbTransaction, ReadTransaction> _reads = new();

    private SqliteWriteGate()
    {
    }

    /// <summary>The gate of the file <paramref name="connectionString"/> names (an in-memory database is its own).</summary>
    public static SqliteWriteGate For(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var key = string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory
            ? connectionString
            : Path.GetFullPath(builder.DataSource);
        return Files.GetOrAdd(key, _ => new SqliteWriteGate());
    }

    // Transactions: a turn from BEGIN to COMMIT or ROLLBACK.

    // A read transaction (RepeatableRead or Snapshot: a consistent view to read) begins DEFERRED
    // and takes no turn: in WAL mode it holds no lock a writer waits for, and waits for none.
    public InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (BeginRead(connection, eventData.IsolationLevel) is { } read)
        {
            return InterceptionResult<DbTransaction>.SuppressWithResult(read);
        }

        Enter(connection);
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (BeginRead(connection, eventData.IsolationLevel) is { } read)
        {
            return InterceptionResult<DbTransaction>.SuppressWithResult(read);
        }

        await EnterAsync(connection, cancellationToken);
        return result;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        // Microsoft.Data.Sqlite forgets a transaction's connection once it ends: remember it here.
        _transactions.AddOrUpdate(result, connection);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionStarted(connection, eventData, result));

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(transaction);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(transaction);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Ended(transaction);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(transaction);
        return Task.CompletedTask;
    }

    // Write statements outside a transaction: a turn while the statement runs.

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        StatementStarting(command, result);

    public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        StatementStartingAsync(command, result, cancellationToken);

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        StatementStarting(command, result);

    public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        StatementStartingAsync(command, result, cancellationToken);

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        StatementStarting(command, result);

    public ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        StatementStartingAsync(command, result, cancellationToken);

    // A statement with RETURNING commits when its reader is done with, not when it starts.
    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        StatementDone(command);
        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        StatementDone(command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        StatementDone(command);
        return ValueTask.FromResult(result);
    }

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        StatementDone(command);
        return result;
    }

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        StatementDone(command);
        return ValueTask.FromResult(result);
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => StatementDone(command);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        StatementDone(command);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => StatementDone(command);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        StatementDone(command);
        return Task.CompletedTask;
    }

    // A connection that closes holds no lock any more (SQLite rolls back what was left open):
    // whatever turn it still had goes back, e.g. a transaction disposed without a commit.

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection, all: true);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection, all: true);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult ConnectionDisposing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection, all: true);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionDisposingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection, all: true);
        return ValueTask.FromResult(result);
    }

    private InterceptionResult<T> StatementStarting<T>(DbCommand command, InterceptionResult<T> result)
    {
        if (IsLoneWrite(command))
        {
            Enter(command.Connection!);
            _statements.AddOrUpdate(command, command.Connection!);
        }
        else if (FirstWriteOfRead(command))
        {
            Enter(command.Connection!);
        }

        return result;
    }

    private async ValueTask<InterceptionResult<T>> StatementStartingAsync<T>(DbCommand command, InterceptionResult<T> result, CancellationToken ct)
    {
        if (IsLoneWrite(command))
        {
            await EnterAsync(command.Connection!, ct);
            _statements.AddOrUpdate(command, command.Connection!);
        }
        else if (FirstWriteOfRead(command))
        {
            await EnterAsync(command.Connection!, ct);
        }

        return result;
    }

    /// <summary>A transaction asked for at RepeatableRead or Snapshot, on SQLite: begun deferred, without a turn.</summary>
    private SqliteTransaction? BeginRead(DbConnection connection, IsolationLevel isolation)
    {
        if (isolation is not (IsolationLevel.RepeatableRead or IsolationLevel.Snapshot) || connection is not SqliteConnection sqlite)
        {
            return null;
        }

        // Microsoft.Data.Sqlite's Serializable is SQLite's only level; deferred: BEGIN, not BEGIN IMMEDIATE.
        var transaction = sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: true);
        _reads.AddOrUpdate(transaction, new ReadTransaction());
        return transaction;
    }

    /// <summary>
    /// Whether the statement is the first write of a read transaction, which takes its turn now and
    /// keeps it to the end of the transaction. A read transaction that has read refuses to write:
    /// its write would upgrade a read snapshot, which SQLite refuses (SQLITE_BUSY, without waiting)
    /// once any other writer committed since the snapshot began, and the writer before it in the
    /// queue has always just committed; Microsoft.Data.Sqlite would try again for the whole command
    /// timeout, holding the turn of every other writer.
    /// </summary>
    private bool FirstWriteOfRead(DbCommand command)
    {
        if (command.Transaction is not { } transaction || !_reads.TryGetValue(transaction, out var read))
        {
            return false;
        }

        lock (read)
        {
            if (read.Writes)
            {
                return false;
            }

            if (!IsWrite(command.CommandText))
            {
                read.HasRead = true;
                return false;
            }

            if (read.HasRead)
            {
                throw new InvalidOperationException(
                    "A read transaction (RepeatableRead or Snapshot) on SQLite cannot write after it has read: SQLite refuses to upgrade a snapshot "
                    + "another writer has moved past. Write in a transaction begun without an isolation level (docs/database.md).");
            }

            read.Writes = true;
            return true;
        }
    }

    /// <summary>A statement that writes and runs on its own (autocommit): it takes SQLite's write lock for itself.</summary>
    internal static bool IsLoneWrite(DbCommand command) =>
        command.Transaction is null && command.Connection is not null && IsWrite(command.CommandText);

    internal static bool IsWrite(string? sql)
    {
        var text = sql.AsSpan();
        while (true)
        {
            text = text.TrimStart();
            // EF's tags (TagWith) come first as line comments.
            if (!text.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var end = text.IndexOf('\n');
            text = end < 0 ? [] : text[(end + 1)..];
        }

        return text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase);
    }

    private void Enter(DbConnection connection)
    {
        var holder = _holders.GetValue(connection, _ => new Holder());
        if (holder.Deeper())
        {
            return;
        }

        holder.Holds = _turn.Wait(Patience(connection));
    }

    private async ValueTask EnterAsync(DbConnection connection, CancellationToken ct)
    {
        var holder = _holders.GetValue(connection, _ => new Holder());
        if (holder.Deeper())
        {
            return;
        }

        try
        {
            holder.Holds = await _turn.WaitAsync(Patience(connection), ct);
        }
        catch (OperationCanceledException)
        {
            holder.Shallower();
            throw;
        }
    }

    private void Ended(DbTransaction transaction)
    {
        if (_transactions.TryGetValue(transaction, out var connection))
        {
            _transactions.Remove(transaction);
            Leave(connection, all: false);
        }
    }

    private void StatementDone(DbCommand command)
    {
        if (_statements.TryGetValue(command, out var connection))
        {
            _statements.Remove(command);
            Leave(connection, all: false);
        }
    }

    private void Leave(DbConnection connection, bool all)
    {
        if (_holders.TryGetValue(connection, out var holder) && holder.Leave(all))
        {
            _turn.Release();
        }
    }

    // As long as a command would wait for SQLite's lock (0: for ever).
    private static TimeSpan Patience(DbConnection connection) =>
        connection is SqliteConnection { DefaultTimeout: > 0 } sqlite ? TimeSpan.FromSeconds(sqlite.DefaultTimeout) : Timeout.InfiniteTimeSpan;

    /// <summary>What a read transaction has done so far.</summary>
    private sealed class ReadTransaction
    {
        public bool HasRead { get; set; }

        public bool Writes { get; set; }
    }

    /// <summary>One connection's turn: how many of its transactions and statements share it, and whether it got it.</summary>
    private sealed class Holder
    {
        private readonly Lock _gate = new();
        private int _depth;

        /// <summary>Whether the outermost request got the turn (false: it waited too long and went on without).</summary>
        public bool Holds { get; set; }

        /// <summary>Counts one more request; true when the connection already had one (no second turn is taken).</summary>
        public bool Deeper()
        {
            lock (_gate)
            {
                return _depth++ > 0;
            }
        }

        public void Shallower()
        {
            lock (_gate)
            {
                _depth = Math.Max(0, _depth - 1);
            }
        }

        /// <summary>Ends one request (or all); true when the turn must be given back now.</summary>
        public bool Leave(bool all)
        {
            lock (_gate)
            {
                if (_depth == 0)
                {
                    return false;
                }

                _depth = all ? 0 : _depth - 1;
                if (_depth > 0 || !Holds)
                {
                    return false;
                }

                Holds = false;
                return true;
            }
        }
    }
}
