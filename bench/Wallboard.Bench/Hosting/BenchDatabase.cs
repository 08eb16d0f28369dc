using Microsoft.Data.Sqlite;
using Npgsql;
using Wallboard.Web.Data;

namespace Wallboard.Bench.Hosting;

/// <summary>
/// The database the app under test keeps its data in (<c>--database</c>): the SQLite file in its
/// data folder (the embedded default), or a PostgreSQL server the bench starts for the run and
/// deletes after it. The app is pointed at it with <c>Wallboard:Database:Provider</c> and
/// <c>ConnectionStrings:Wallboard</c>, as an operator would; the history writer, the metrics job
/// and the floor reach it through here.
/// </summary>
internal abstract class BenchDatabase : IAsyncDisposable
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>The name on the command line and in the report: <c>sqlite</c> or <c>postgres</c>.</summary>
    public string Name => NameOf(Provider);

    /// <summary>What it is and how it commits, for the report.</summary>
    public abstract string Description { get; }

    /// <summary>The app's connection string.</summary>
    public abstract string ConnectionString { get; }

    /// <summary>The settings that point the app at this database.</summary>
    public IReadOnlyList<string> AppSettings =>
        [$"Wallboard:Database:Provider={Provider}", $"ConnectionStrings:Wallboard={ConnectionString}"];

    /// <summary>The database's own server process (its backends are its children), or null when it runs inside the app.</summary>
    public virtual int? ProcessId => null;

    public static string NameOf(DatabaseProvider provider) => provider == DatabaseProvider.Postgres ? "postgres" : "sqlite";

    /// <summary>The database of a run: SQLite in <paramref name="dataDirectory"/>, or a PostgreSQL server started now.</summary>
    public static async Task<BenchDatabase> CreateAsync(DatabaseProvider provider, string dataDirectory, TextWriter log, CancellationToken ct)
    {
        if (provider != DatabaseProvider.Postgres)
        {
            return new SqliteBenchDatabase(dataDirectory);
        }

        log.WriteLine("Starting a PostgreSQL server for this run (initdb, durable settings)…");
        var postgres = await PostgresBenchDatabase.StartAsync(ct);
        log.WriteLine($"database: {postgres.Description}");
        return postgres;
    }

    /// <summary>
    /// A context on the app's database. Without pooling its connection is really closed when it is
    /// disposed (before a restart, the SQLite file must be).
    /// </summary>
    public WallboardDbContext CreateContext(bool pooling = true) =>
        WallboardDatabase.CreateContext(Provider, pooling ? ConnectionString : WithoutPooling(ConnectionString));

    /// <summary>The database's size on disk (with SQLite's WAL).</summary>
    public abstract Task<long> SizeBytesAsync(CancellationToken ct);

    /// <summary>Stops and deletes what the bench started for the run (nothing for SQLite: its file is in the data folder).</summary>
    public abstract ValueTask DisposeAsync();

    protected abstract string WithoutPooling(string connectionString);
}

/// <summary>The app's SQLite file, <c>wallboard.db</c> in its data folder; the app sets WAL and <c>synchronous</c>.</summary>
internal sealed class SqliteBenchDatabase(string dataDirectory) : BenchDatabase
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string FilePath => Path.Combine(dataDirectory, "wallboard.db");

    public override string Description =>
        "SQLite file wallboard.db in the app's data folder (WAL; synchronous=FULL unless --app Wallboard:Data:Synchronous=Normal)";

    public override string ConnectionString => $"Data Source={FilePath}";

    public override Task<long> SizeBytesAsync(CancellationToken ct) =>
        Task.FromResult(new DirectoryInfo(dataDirectory).EnumerateFiles("wallboard.db*").Sum(f => f.Length));

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected override string WithoutPooling(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
}

/// <summary>
/// A PostgreSQL server of the run's own (<see cref="PostgresServer"/>) with PostgreSQL's durable
/// defaults stated: <c>fsync</c>, <c>synchronous_commit</c> and <c>full_page_writes</c> on, so a
/// commit is acknowledged once its WAL is flushed, as SQLite's <c>synchronous=FULL</c>. Everything
/// else is <c>initdb</c>'s default (128 MB shared buffers). The app creates its database
/// (<see cref="DatabaseName"/>) at its first start.
/// </summary>
internal sealed class PostgresBenchDatabase : BenchDatabase
{
    public const string DatabaseName = "wallboard";

    /// <summary>The durable defaults, stated; room for the app's pool, the bench's own connections and the floor.</summary>
    public static readonly IReadOnlyList<string> Settings = ["max_connections=200", "fsync=on", "synchronous_commit=on", "full_page_writes=on"];

    private PostgresBenchDatabase(PostgresServer server, string version)
    {
        Server = server;
        Version = version;
    }

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public PostgresServer Server { get; }

    public string Version { get; }

    public override string Description =>
        $"PostgreSQL {Version} on 127.0.0.1:{Server.Port}, started by the bench in {Server.Folder} (initdb defaults; {string.Join(", ", Settings)})";

    public override string ConnectionString => Server.ConnectionString(DatabaseName);

    public override int? ProcessId => Server.ProcessId;

    public static async Task<PostgresBenchDatabase> StartAsync(CancellationToken ct)
    {
        var server = await PostgresServer.StartAsync("wallboard-bench-pg-", ChildProcessLauncher.FreeLoopbackPort(), Settings, ct);
        try
        {
            var version = Convert.ToString(await server.ExecuteAsync("SHOW server_version", ct), System.Globalization.CultureInfo.InvariantCulture) ?? "?";
            return new PostgresBenchDatabase(server, version);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public override async Task<long> SizeBytesAsync(CancellationToken ct) =>
        Convert.ToInt64(await Server.ExecuteAsync($"SELECT pg_database_size('{DatabaseName}')", ct), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Stops the server and deletes its folder.</summary>
    public override ValueTask DisposeAsync() => Server.DisposeAsync();

    protected override string WithoutPooling(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
