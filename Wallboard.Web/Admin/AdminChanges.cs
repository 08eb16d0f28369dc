using Wallboard.Web.Auth;
using Wallboard.Web.Ingest;
using Wallboard.Web.Live;

namespace Wallboard.Web.Admin;

/// <summary>
/// Tells the parts of the app that cache reference data that an admin saved a change, so it takes
/// effect on the next call posted and the next board built instead of when a cache runs out.
/// </summary>
public sealed class AdminChanges(AttributionCache attribution, IntegrationAuthenticator integrations, LiveBoard board)
{
    /// <summary>A store's name, zone, hours or thresholds, or its sources or people, changed.</summary>
    public void StoreChanged(int storeId)
    {
        attribution.Invalidate();
        board.ReloadStore(storeId);
    }

    /// <summary>Tracking numbers, hunt groups or agent identities changed: attribution reads them.</summary>
    public void AttributionChanged() => attribution.Invalidate();

    /// <summary>An integration was made, enabled, disabled, or its secret rotated.</summary>
    public void IntegrationChanged()
    {
        attribution.Invalidate();
        integrations.Invalidate();
    }
}
