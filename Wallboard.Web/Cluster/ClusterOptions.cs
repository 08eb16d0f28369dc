namespace Wallboard.Web.Cluster;

/// <summary>
/// <c>Wallboard:Cluster</c>: how app nodes sharing one PostgreSQL database hear each other's changes
/// and share their scheduled jobs. Only read with the Postgres provider; SQLite is one process.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Wallboard:Cluster";

    /// <summary>The <c>LISTEN/NOTIFY</c> channel every node of one installation uses.</summary>
    public string Channel { get; set; } = "wallboard_changes";

    /// <summary>The first wait before the listener connects again after losing its connection; it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>TCP keepalive on the listening connection, so a connection that silently died is noticed.</summary>
    public int KeepAliveSeconds { get; set; } = 10;

    /// <summary>After a reconnect, calls whose last event is this much older than the loss are read again too.</summary>
    public TimeSpan ResyncMargin { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Work that runs on one node at a time (the demo's simulator, <see cref="ClusterLeases"/>): how
    /// often a node waiting for it tries to take it, and how often the node holding it checks that
    /// its connection (and so its lock) is still there.
    /// </summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a node records in the database that it is alive (Quartz's cluster check-in).</summary>
    public TimeSpan JobCheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    /// <summary>How long past a missed check-in the other nodes take over a node's jobs.</summary>
    public TimeSpan JobCheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(7.5);
}
