using Microsoft.Extensions.DependencyInjection;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Cluster;

namespace Wallboard.Tests.Cluster;

/// <summary>One app node on a PostgreSQL database, in this process, on a real loopback port.</summary>
internal sealed class PostgresNode(string dataDirectory, string connectionString, IDictionary<string, string?>? extra = null)
    : WallboardAppFactory(dataDirectory)
{
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["Wallboard:Database:Provider"] = "Postgres",
                ["ConnectionStrings:Wallboard"] = connectionString,
            };
            foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            return settings;
        }
    }

    public ClusterChanges Changes => Services.GetRequiredService<ClusterChanges>();

    public string NodeId => Services.GetRequiredService<ClusterNode>().Id;
}

/// <summary>
/// Two app nodes, A and B, on one PostgreSQL database of a throwaway server, sharing the data folder
/// (the demo's credentials file is written once, by the node that seeded). B reconnects a lost
/// listener after a second, so a test can commit a change while B is deaf.
/// </summary>
public sealed class PostgresNodes : IAsyncLifetime
{
    private readonly ThrowawayPostgres _server = new();
    private string _folder = null!;

    internal PostgresNode A { get; private set; } = null!;

    internal PostgresNode B { get; private set; } = null!;

    public ThrowawayPostgres Server => _server;

    public string ConnectionString { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _folder = Directory.CreateTempSubdirectory("wallboard-nodes-").FullName;
        ConnectionString = _server.NewDatabase("nodes");
        A = new PostgresNode(_folder, ConnectionString);
        B = new PostgresNode(_folder, ConnectionString, new Dictionary<string, string?>
        {
            ["Wallboard:Cluster:ReconnectDelay"] = "00:00:01",
        });
        // Both at once, as a deployment starts them: one migrates and seeds, the other waits.
        await Task.WhenAll(A.InitializeAsync(), B.InitializeAsync());
    }

    public async Task DisposeAsync()
    {
        try
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
        finally
        {
            await _server.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
