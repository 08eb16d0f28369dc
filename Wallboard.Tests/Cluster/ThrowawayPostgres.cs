using System.Diagnostics;
using Npgsql;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// A PostgreSQL server of the test run's own: <c>initdb</c> into a temporary folder, started on a
/// loopback port with trust authentication, stopped and deleted on dispose. Debian's PostgreSQL 15
/// (<c>apt-get install -y postgresql</c>; <c>.ci/run</c> installs it). As root the server runs as
/// the <c>postgres</c> user, which owns the folder. Use as a class or collection fixture; each test
/// takes a database of its own with <see cref="NewDatabase"/>.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncLifetime
{
    public const string Bin = "/usr/lib/postgresql/15/bin";

    private string? _folder;

    public int Port { get; private set; }

    /// <summary>A connection string to a database that does not exist yet (the app creates it at start-up).</summary>
    public string NewDatabase(string prefix) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={prefix}_{Guid.NewGuid():N}";

    /// <summary>A connection to the server's maintenance database, for tests that look behind the app.</summary>
    public string Maintenance => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Path.Combine(Bin, "initdb")), $"PostgreSQL 15 is not installed ({Bin}/initdb): apt-get install -y postgresql");
        _folder = Directory.CreateTempSubdirectory("wallboard-pg-").FullName;
        Port = TestPorts.Take();
        await RunAsync("chown", "-R", "postgres", _folder);
        await AsPostgresAsync($"{Bin}/initdb -D {_folder}/data -U postgres --auth=trust --no-sync -E UTF8");
        // fsync stays on: the durability the tests assert is PostgreSQL's real one.
        await AsPostgresAsync($"{Bin}/pg_ctl -D {_folder}/data -w -t 60 -o \"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=300\" -l {_folder}/pg.log start");
    }

    public async Task DisposeAsync()
    {
        if (_folder is null || !Directory.Exists(_folder))
        {
            return;
        }

        try
        {
            await AsPostgresAsync($"{Bin}/pg_ctl -D {_folder}/data -m immediate -w stop");
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Runs one statement on the maintenance database and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql, string? database = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(Maintenance);
        if (database is not null)
        {
            builder.Database = database;
        }

        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static Task AsPostgresAsync(string command) =>
        Environment.UserName == "root" ? RunAsync("su", "postgres", "-c", command) : RunAsync("sh", "-c", command);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {await output} {await error}");
    }
}
