using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Wallboard.Web.Data;

/// <summary>
/// How hard a SQLite commit waits for the disk (<c>Wallboard:Data:Synchronous</c>). The ingest API
/// answers only after its events are committed (§8), and what that promise is worth depends on this.
/// </summary>
public enum SqliteDurability
{
    /// <summary>
    /// SQLite's <c>synchronous=FULL</c> (its default, and ours): every commit is on disk before it
    /// returns; an acknowledged event survives a crash of the app, the OS or the power.
    /// </summary>
    Full = 0,

    /// <summary>
    /// <c>synchronous=NORMAL</c> in WAL mode: a commit returns once it is in the WAL file, which is
    /// synced only at checkpoints. Survives a crash of the app; after an OS crash or a power cut
    /// the last commits before it can be gone (the database stays consistent), although the phone
    /// system was told they were stored and will not send them again. An explicit choice for a
    /// deployment that takes that risk for far more single-event commits a second.
    /// </summary>
    Normal = 1,
}

/// <summary>Sets <c>PRAGMA synchronous</c> on every connection the app opens (it is per connection in SQLite).</summary>
internal sealed class SqliteDurabilityInterceptor(SqliteDurability durability) : DbConnectionInterceptor
{
    private readonly string _pragma = durability == SqliteDurability.Normal ? "PRAGMA synchronous=NORMAL;" : "PRAGMA synchronous=FULL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
