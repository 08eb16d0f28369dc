using System.Threading.Channels;
using Npgsql;

namespace Wallboard.Web.Cluster;

/// <summary>
/// This app node in a cluster on PostgreSQL: its id (new at each start, in every message it sends
/// so it can skip its own), the pooled data source the announcements go through, and the
/// connection string of its listening connection. Registered only with the Postgres provider.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    public ClusterNode(string connectionString, ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Id = Guid.NewGuid().ToString("N")[..12];
        DataSource = NpgsqlDataSource.Create(connectionString);
        // Its own connection, never pooled (a pooled one could be handed back after the server
        // cut it), with keepalive so a connection that died without a word is noticed.
        ListenerConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            KeepAlive = options.KeepAliveSeconds,
            ApplicationName = ListenerApplicationName(Id),
        }.ConnectionString;
        // The same for the connections that hold a lease's lock: it must end with the node.
        LeaseConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            Enlist = false,
            KeepAlive = options.KeepAliveSeconds,
            ApplicationName = $"wallboard-lease-{Id}",
        }.ConnectionString;
        LeaseInterval = options.LeaseInterval;
    }

    public string Id { get; }

    public NpgsqlDataSource DataSource { get; }

    public string ListenerConnectionString { get; }

    /// <summary>The connection string of a connection that holds a lease (<see cref="ClusterLeases"/>).</summary>
    public string LeaseConnectionString { get; }

    /// <summary><see cref="ClusterOptions.LeaseInterval"/>.</summary>
    public TimeSpan LeaseInterval { get; }

    /// <summary>What this node committed and the others must hear of, in order.</summary>
    internal Channel<Announcement> Outgoing { get; } = Channel.CreateUnbounded<Announcement>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The <c>application_name</c> a node's listening connection shows in <c>pg_stat_activity</c>.</summary>
    public static string ListenerApplicationName(string nodeId) => $"wallboard-listener-{nodeId}";

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    internal sealed record Announcement(ChangeKind Kind, string[] Items);
}

/// <summary>
/// Announces to the other app nodes the admin changes that invalidate what they keep in memory (a
/// store's settings, attribution, integrations, a revoked display link). Without a
/// <see cref="ClusterNode"/> (SQLite, one node) there is nobody to tell and it does nothing.
/// </summary>
public sealed class ClusterSignals(ClusterNode? node = null)
{
    public void Announce(ChangeKind kind, params long[] ids) =>
        node?.Outgoing.Writer.TryWrite(new ClusterNode.Announcement(kind, ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()));
}
