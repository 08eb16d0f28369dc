using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Wallboard.Web.Data;

/// <summary>
/// Makes start-up's database work (migrate, then seed an empty database) one node's at a time.
/// EF Core already locks the migrations themselves (on PostgreSQL it locks its history table for
/// the migrating transaction), but not what comes after: without this, two nodes starting at once
/// on an empty database would each find it empty and both seed the demo. On PostgreSQL a
/// session-level advisory lock on a connection of its own is held across both steps; the other
/// nodes wait on it and then find the schema current and the stores there. SQLite is one node's
/// file: EF Core's own migration lock is all it needs.
/// </summary>
internal static class StartupLock
{
    // pg_advisory_lock's key space is shared by everything in the database: a fixed, unlikely key ("Wallboar").
    private const long Key = 0x57616C6C626F6172;

    public static async Task RunAsync(IDbContextFactory<WallboardDbContext> factory, Func<Task> work, CancellationToken ct)
    {
        string? postgres;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            postgres = db.Database.IsNpgsql() ? db.Database.GetConnectionString() : null;
            if (postgres is not null)
            {
                await EnsureDatabaseExistsAsync(db, ct);
            }
        }

        if (postgres is null)
        {
            await work();
            return;
        }

        // Not pooled: the lock belongs to this session and must end with it, whatever happens.
        var unpooled = new NpgsqlConnectionStringBuilder(postgres) { Pooling = false, Enlist = false };
        await using var connection = new NpgsqlConnection(unpooled.ConnectionString);
        await connection.OpenAsync(ct);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            acquire.Parameters.AddWithValue("key", Key);
            await acquire.ExecuteNonQueryAsync(ct);
        }

        try
        {
            await work();
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            release.Parameters.AddWithValue("key", Key);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    // The lock lives inside the database, so the database must exist first. Two nodes may both
    // find it missing: the second CREATE DATABASE fails as a duplicate, which is what it wanted.
    private static async Task EnsureDatabaseExistsAsync(WallboardDbContext db, CancellationToken ct)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(ct))
        {
            return;
        }

        try
        {
            await creator.CreateAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
        }
    }
}
