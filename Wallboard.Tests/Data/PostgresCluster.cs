using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Data;

/// <summary>
/// One throwaway PostgreSQL server for the whole test run: <c>initdb</c> into a temporary folder,
/// trust authentication, listening on a free loopback port only, stopped and deleted when the test
/// process exits (a watchdog process sees to that). A template database is migrated once; each test gets its own database copied
/// from it (<c>CREATE DATABASE … TEMPLATE</c>, a file copy, far faster than migrating again).
/// Without PostgreSQL's server binaries the PostgreSQL tests fail, saying what to install: CI
/// installs them, and a test that silently did not run proves nothing.
/// </summary>
internal sealed class PostgresCluster
{
    private const string Template = "wallboard_template";

    private static readonly Lazy<Task<PostgresCluster>> Shared = new(StartAsync);

    private static readonly SemaphoreSlim Creating = new(1, 1);
    private readonly string _binaries;
    private readonly string _folder;
    private int _databases;

    private PostgresCluster(string binaries, string folder, int port)
    {
        _binaries = binaries;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The run's server, started on first use.</summary>
    public static Task<PostgresCluster> GetAsync() => Shared.Value;

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ConnectionString;

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

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<PostgresCluster> StartAsync()
    {
        var binaries = FindBinaries();
        var folder = Directory.CreateTempSubdirectory("wallboard-pg-").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
            await RunAsync("chown", ["postgres", folder]);
        }

        var port = Hosting.WallboardAppFactory.FreePort();
        var cluster = new PostgresCluster(binaries, folder, port);
        cluster.StartWatchdog(asRoot);
        await cluster.ServerAsync(asRoot, "initdb", $"-D {folder}/data -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync");
        // Test settings: no fsync (a test never pulls the server's power), room for every test's pool.
        await cluster.ServerAsync(asRoot, "pg_ctl",
            $"-D {folder}/data -l {folder}/server.log -w -t 60 -o \"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start");

        await cluster.ExecuteAsync($"CREATE DATABASE {Template}");
        var template = new NpgsqlConnectionStringBuilder(cluster.ConnectionString(Template)) { Pooling = false }.ConnectionString;
        await using (var db = WallboardDatabase.CreateContext(DatabaseProvider.Postgres, template))
        {
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.MigrateAsync(db.Database);
        }

        return cluster;
    }

    private static string FindBinaries()
    {
        var candidates = Environment.GetEnvironmentVariable("WALLBOARD_PG_BIN") is { Length: > 0 } configured
            ? [configured]
            : Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var major) ? major : 0)
                    .Select(d => Path.Combine(d, "bin"))
                    .ToArray()
                : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                "The PostgreSQL tests need PostgreSQL's server binaries (initdb, pg_ctl) and found none under /usr/lib/postgresql/*/bin. " +
                "Install them (`apt-get install -y postgresql`; .ci/run does) or point WALLBOARD_PG_BIN at their folder.");
    }

    private Task ServerAsync(bool asRoot, string program, string arguments)
    {
        var command = $"{Path.Combine(_binaries, program)} {arguments}";
        return asRoot ? RunAsync("su", ["postgres", "-c", command]) : RunAsync("sh", ["-c", command]);
    }

    // A watchdog outside this process stops the server and deletes its folder once the test process
    // is gone, however it ended (normal exit, a crash, a kill): a test run never leaves a server behind.
    private void StartWatchdog(bool asRoot)
    {
        var stop = $"{Path.Combine(_binaries, "pg_ctl")} -D {_folder}/data -m immediate -w stop";
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; "
            + (asRoot ? $"su postgres -c '{stop}'" : stop)
            + $"; rm -rf {_folder}";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["sh", "-c", script + " >/dev/null 2>&1"])
        {
            start.ArgumentList.Add(argument);
        }

        using var watchdog = Process.Start(start)!;
    }

    private static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}{await output}");
        }
    }
}
