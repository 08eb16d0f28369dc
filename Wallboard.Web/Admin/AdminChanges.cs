using Wallboard.Web.Auth;
using Wallboard.Web.Cluster;
using Wallboard.Web.Ingest;
using Wallboard.Web.Live;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Admin;

/// <summary>
/// Tells the parts of the app that cache reference data that an admin saved a change, so it takes
/// effect on the next call posted and the next board built instead of when a cache runs out.
/// The other app nodes hear of it through <see cref="ClusterSignals"/> and do the same.
/// </summary>
public sealed class AdminChanges(AttributionCache attribution, IntegrationAuthenticator integrations, LiveBoard board, ClusterSignals cluster)
{
    /// <summary>A store's name, zone, hours or thresholds, or its sources or people, changed.</summary>
    public void StoreChanged(int storeId)
    {
        attribution.Invalidate();
        DailyRollups.StoreChanged(storeId);
        board.ReloadStore(storeId);
        cluster.Announce(ChangeKind.Store, storeId);
    }

    /// <summary>Tracking numbers, hunt groups or agent identities changed: attribution reads them.</summary>
    public void AttributionChanged()
    {
        attribution.Invalidate();
        cluster.Announce(ChangeKind.Attribution);
    }

    /// <summary>An integration was made, enabled, disabled, or its secret rotated.</summary>
    public void IntegrationChanged()
    {
        attribution.Invalidate();
        integrations.Invalidate();
        cluster.Announce(ChangeKind.Integrations);
    }
}
