using System.Globalization;
using Npgsql;
using Wallboard.Bench.Hosting;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Data;

/// <summary>
/// One throwaway PostgreSQL server for the whole test run (<see cref="PostgresServer"/>, shared with
/// the bench: <c>initdb</c> into a temporary folder, trust authentication, a free loopback port
/// only, stopped and deleted when the test process exits; a watchdog process sees to that). A
/// template database is migrated once; each test gets its own database copied from it (<c>CREATE DATABASE … TEMPLATE</c>, a file copy, far faster than migrating again).
/// Without PostgreSQL's server binaries the PostgreSQL tests fail, saying what to install: CI
/// installs them, and a test that silently did not run proves nothing.
/// </summary>
internal sealed class PostgresCluster
{
    private const string Template = "wallboard_template";

    private static readonly Lazy<Task<PostgresCluster>> Shared = new(StartAsync);

    private static readonly SemaphoreSlim Creating = new(1, 1);
    // Never disposed: it lives as long as the test process, and its watchdog stops it after.
    private readonly PostgresServer _server;
    private int _databases;

    private PostgresCluster(PostgresServer server) => _server = server;

    public int Port => _server.Port;

    /// <summary>The run's server, started on first use.</summary>
    public static Task<PostgresCluster> GetAsync() => Shared.Value;

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) => _server.ConnectionString(database);

    /// <summary>A new empty database with nothing in it, not even the schema (for start-up tests).</summary>
    public async Task<string> CreateEmptyDatabaseNameAsync()
    {
        var name = $"wallboard_{Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture)}";
        await DropIfExistsAsync(name);
        return name;
    }

    /// <summary>A new database with the app's schema (migrated, no rows); returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"wallboard_{Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture)}";
        await Creating.WaitAsync();
        try
        {
            await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE {Template}");
        }
        finally
        {
            Creating.Release();
        }

        return ConnectionString(name);
    }

    /// <summary>Drops a test's database, closing whatever connections are still open to it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await DropIfExistsAsync(builder.Database!);
    }

    /// <summary>
    /// Runs one statement on a database of this server (a connection string this cluster gave) and
    /// returns the first column of the first row: for tests that look behind the app.
    /// </summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private Task DropIfExistsAsync(string name) => ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");

    private async Task ExecuteAsync(string sql) => await _server.ExecuteAsync(sql);

    private static async Task<PostgresCluster> StartAsync()
    {
        // Test settings: no fsync (a test never pulls the server's power), room for every test's pool.
        var server = await PostgresServer.StartAsync(
            "wallboard-pg-",
            Hosting.WallboardAppFactory.FreePort(),
            ["max_connections=400", "fsync=off", "synchronous_commit=off", "full_page_writes=off"]);
        var cluster = new PostgresCluster(server);
        await cluster.ExecuteAsync($"CREATE DATABASE {Template}");
        var template = new NpgsqlConnectionStringBuilder(cluster.ConnectionString(Template)) { Pooling = false }.ConnectionString;
        await using (var db = WallboardDatabase.CreateContext(DatabaseProvider.Postgres, template))
        {
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(db.Database);
        }

        return cluster;
    }
}
