using Microsoft.Extensions.DependencyInjection;
using Wallboard.Tests.Data;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Cluster;

namespace Wallboard.Tests.Cluster;

/// <summary>One app node on a PostgreSQL database, in this process, on a real loopback port.</summary>
internal sealed class PostgresNode(string dataDirectory, string connectionString, IDictionary<string, string?>? extra = null)
    : PostgresAppFactory(dataDirectory, connectionString)
{
    protected override IDictionary<string, string?> Settings => extra ?? new Dictionary<string, string?>();

    public ClusterChanges Changes => Services.GetRequiredService<ClusterChanges>();

    public string NodeId => Services.GetRequiredService<ClusterNode>().Id;
}

/// <summary>
/// Two app nodes, A and B, on one new, empty PostgreSQL database of the test run's server
/// (<see cref="PostgresCluster"/>), sharing the data folder (the demo's credentials file is written
/// once, by the node that seeded). B reconnects a lost listener after a second, so a test can
/// commit a change while B is deaf.
/// </summary>
public sealed class PostgresNodes : IAsyncLifetime
{
    private PostgresCluster _server = null!;
    private string _folder = null!;

    internal PostgresNode A { get; private set; } = null!;

    internal PostgresNode B { get; private set; } = null!;

    /// <summary>The nodes' database.</summary>
    public string ConnectionString { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await PostgresCluster.GetAsync();
        _folder = Directory.CreateTempSubdirectory("wallboard-nodes-").FullName;
        ConnectionString = _server.ConnectionString(await _server.CreateEmptyDatabaseNameAsync());
        A = new PostgresNode(_folder, ConnectionString);
        B = new PostgresNode(_folder, ConnectionString, new Dictionary<string, string?>
        {
            ["Wallboard:Cluster:ReconnectDelay"] = "00:00:01",
        });
        // Both at once, as a deployment starts them: one migrates and seeds, the other waits.
        await Task.WhenAll(A.InitializeAsync(), B.InitializeAsync());
    }

    /// <summary>Runs one statement on the nodes' database and returns the first column of the first row.</summary>
    public Task<object?> ScalarAsync(string sql) => PostgresCluster.ScalarAsync(ConnectionString, sql);

    public async Task DisposeAsync()
    {
        try
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
        finally
        {
            await _server.DropDatabaseAsync(ConnectionString);
            Directory.Delete(_folder, recursive: true);
        }
    }
}
