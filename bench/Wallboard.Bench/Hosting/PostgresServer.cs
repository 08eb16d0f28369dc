using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Wallboard.Bench.Hosting;

/// <summary>
/// A throwaway PostgreSQL server from the machine's own binaries (Debian's
/// <c>/usr/lib/postgresql/&lt;major&gt;/bin</c>, or <c>WALLBOARD_PG_BIN</c>): <c>initdb</c> into a
/// temporary folder of its own, the superuser <c>postgres</c> with trust authentication, listening
/// on one loopback port only (and a socket in that folder). Disposing stops it and deletes the
/// folder; a watchdog process outside this one does the same when this process ends any other way
/// (a crash, a kill, Ctrl+C during start-up), so no server is ever left behind. The bench runs its
/// database on one (durable settings), the tests theirs (no fsync); this file is compiled into both.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _binaries;
    private readonly bool _asRoot;
    private bool _stopped;

    private PostgresServer(string binaries, string folder, int port, bool asRoot)
    {
        _binaries = binaries;
        Folder = folder;
        Port = port;
        _asRoot = asRoot;
    }

    public int Port { get; }

    /// <summary>The server's own folder: its data directory (<c>data/</c>), its log and its socket.</summary>
    public string Folder { get; }

    /// <summary>The postmaster's process id (its backends are its children), or null when it is not running.</summary>
    public int? ProcessId
    {
        get
        {
            try
            {
                var first = File.ReadLines(Path.Combine(Folder, "data", "postmaster.pid")).FirstOrDefault();
                return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>A connection string to <paramref name="database"/> on this server, as its superuser.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ConnectionString;

    /// <summary>
    /// Starts a server on <paramref name="port"/> with the given <c>-c name=value</c> settings
    /// (<c>listen_addresses</c>, the port and the socket folder are set here).
    /// </summary>
    public static async Task<PostgresServer> StartAsync(string folderPrefix, int port, IEnumerable<string> settings, CancellationToken ct = default)
    {
        var binaries = FindBinaries();
        var folder = Directory.CreateTempSubdirectory(folderPrefix).FullName;
        var asRoot = Environment.UserName == "root";
        var server = new PostgresServer(binaries, folder, port, asRoot);
        try
        {
            if (asRoot)
            {
                // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
                await RunAsync("chown", ["postgres", folder]);
            }

            server.StartWatchdog();
            // Each step runs to its end (a half-made cluster is the watchdog's to clean); cancellation is seen between them.
            // --no-sync: initdb's own final flush only; the server's settings say how it commits.
            await server.ServerAsync("initdb", $"-D {folder}/data -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync");
            ct.ThrowIfCancellationRequested();
            var options = string.Join(' ', ((string[])["listen_addresses=127.0.0.1", .. settings]).Select(s => $"-c {s}"));
            await server.ServerAsync("pg_ctl", $"-D {folder}/data -l {folder}/server.log -w -t 60 -o \"-p {port} -k {folder} {options}\" start");
            ct.ThrowIfCancellationRequested();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs one statement on the <c>postgres</c> database (CREATE/DROP DATABASE, SHOW …); returns the first value.</summary>
    public async Task<object?> ExecuteAsync(string sql, CancellationToken ct = default)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(ct);
    }

    /// <summary>Stops the server (fast shutdown: connections are cut, nothing is lost) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(Folder, "data", "postmaster.pid")))
        {
            try
            {
                await ServerAsync("pg_ctl", $"-D {Folder}/data -m fast -w -t 60 stop");
            }
            catch (InvalidOperationException)
            {
                // Stopping failed (it was never fully up); the watchdog's immediate stop follows once this process ends.
            }
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the watchdog.
        }
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
                "PostgreSQL's server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. " +
                "Install them (`apt-get install -y postgresql`; .ci/run does) or point WALLBOARD_PG_BIN at their folder.");
    }

    private Task ServerAsync(string program, string arguments)
    {
        var command = $"{Path.Combine(_binaries, program)} {arguments}";
        return _asRoot ? RunAsync("su", ["postgres", "-c", command]) : RunAsync("sh", ["-c", command]);
    }

    // Outside this process: once it is gone, however it ended, stop the server and delete its folder.
    private void StartWatchdog()
    {
        var stop = $"{Path.Combine(_binaries, "pg_ctl")} -D {Folder}/data -m immediate -w stop";
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; "
            + (_asRoot ? $"su postgres -c '{stop}'" : stop)
            + $"; rm -rf {Folder}";
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
