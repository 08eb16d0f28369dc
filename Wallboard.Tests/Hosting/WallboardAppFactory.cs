using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wallboard.Tests.Data;
using Wallboard.Web;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Hosting;

/// <summary>
/// The whole app on a real loopback port (Kestrel, not TestServer), so HTTP clients, SignalR and
/// Chromium talk to it as they would in production. Each instance keeps its data in a fresh
/// temporary folder, deleted on dispose, and its database there (SQLite) or in a fresh database
/// of the test run's PostgreSQL server (<see cref="PostgresAppFactory"/>). Use as a class fixture.
/// </summary>
public class WallboardAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    private readonly bool _ownsDataDirectory;
    private string? _postgres;
    private bool _ownsPostgres;

    public WallboardAppFactory()
        : this(Directory.CreateTempSubdirectory("wallboard-test-").FullName, ownsDataDirectory: true)
    {
    }

    /// <summary>
    /// An app on an existing data folder (to restart "the same" app); the folder is kept. With a
    /// <paramref name="port"/> it listens there, so a restarted app is found where the first one was.
    /// </summary>
    internal WallboardAppFactory(string dataDirectory, bool ownsDataDirectory = false, int port = 0)
    {
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        UseKestrel(o => o.Listen(IPAddress.Loopback, port));
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    internal static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The database the app runs on.</summary>
    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// The PostgreSQL database's connection string (with <see cref="Provider"/> Postgres): made
    /// fresh at start unless given first, to restart "the same" app on it (then it is kept).
    /// </summary>
    internal string? PostgresConnectionString
    {
        get => _postgres;
        init => _postgres = value;
    }

    /// <summary>Extra configuration a test class needs (limits, switches), on top of the defaults.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>The temporary folder the app keeps its database and files in.</summary>
    public string DataDirectory { get; }

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client of the real port (not an in-memory TestServer client).</summary>
    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress };

    public async Task InitializeAsync()
    {
        if (Provider == DatabaseProvider.Postgres && _postgres is null)
        {
            _postgres = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync();
            _ownsPostgres = true;
        }

        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        BaseAddress = new Uri(addresses.Addresses.Single() + "/");

        // Tests start once the app says it is ready, as a deployment script waiting on /health would.
        await Services.GetRequiredService<StartupReadiness>().WhenReady.WaitAsync(StartupTimeout);
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Host configuration, not app configuration: Program reads it before Build().
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Wallboard"] = $"Data Source={Path.Combine(DataDirectory, "wallboard.db")}",
            ["Wallboard:DataDirectory"] = DataDirectory,
            // Tests post their own calls; simulated traffic would only blur what they assert.
            ["Wallboard:Simulator:Enabled"] = "false",
            // Every test signs in from 127.0.0.1; the per-address limit has its own test.
            ["Wallboard:SignIn:AttemptsPerAddress"] = "100000",
        };
        if (Provider == DatabaseProvider.Postgres)
        {
            settings["Wallboard:Database:Provider"] = nameof(DatabaseProvider.Postgres);
            settings["ConnectionStrings:Wallboard"] = _postgres ?? throw new InvalidOperationException("Call InitializeAsync first.");
        }

        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(settings));
        return base.CreateHost(builder);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsPostgres)
        {
            await (await PostgresCluster.GetAsync()).DropDatabaseAsync(_postgres!);
        }

        if (_ownsDataDirectory && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        GC.SuppressFinalize(this);
    }

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}

/// <summary>The whole app on a real loopback port, on a fresh PostgreSQL database of the test run's server.</summary>
public class PostgresAppFactory : WallboardAppFactory
{
    public PostgresAppFactory() => Provider = DatabaseProvider.Postgres;

    /// <summary>An app on an existing data folder and PostgreSQL database (to restart "the same" app); both are kept.</summary>
    internal PostgresAppFactory(string dataDirectory, string connectionString, int port = 0)
        : base(dataDirectory, ownsDataDirectory: false, port)
    {
        Provider = DatabaseProvider.Postgres;
        PostgresConnectionString = connectionString;
    }
}
