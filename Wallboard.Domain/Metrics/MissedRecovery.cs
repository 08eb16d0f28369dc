using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;

namespace Wallboard.Domain.Metrics;

/// <summary>How a missed call was recovered, if it was (§5 tile 3, §7 recoveredMissed). Numbers are stored in snapshots: never renumber.</summary>
public enum MissedRecovery
{
    StillOpen = 0,

    /// <summary>The same number called the store again later and got through (connected), the same day or any later one.</summary>
    CallerGotThrough = 1,

    /// <summary>A call-back reached the caller: it was completed as Reached or AppointmentSet.</summary>
    CallbackReached = 2,
}

/// <summary>
/// The one rule of "recovered" (§5, §7): a missed call is recovered when a call-back reached the
/// caller, or the caller got through later. The TV, the metrics, the overview and the export all
/// decide it here from the same two facts the database reports per missed call.
/// </summary>
public static class MissedRecoveries
{
    /// <summary>Call-back resolutions that mean the caller was spoken to.</summary>
    public static readonly IReadOnlyList<CallbackResolution> Reaching =
        [CallbackResolution.Reached, CallbackResolution.AppointmentSet, CallbackResolution.CallerCalledBack];

    /// <summary>Whether a completed call-back with this resolution spoke to the caller.</summary>
    public static bool ReachesCaller(this CallbackResolution resolution) => Reaching.Contains(resolution);

    /// <summary>
    /// How a call was recovered, from its outcome, the resolution of its completed call-back (null
    /// when it has none or it is not completed) and whether a later call of the same number
    /// connected. Null for a call that is not missed (nothing to recover). A call-back that reached
    /// the caller comes first; a call-back completed because the caller called back is the caller
    /// getting through. A call-back closed any other way (wrong number, not sales, do not call)
    /// does not recover the call.
    /// </summary>
    public static MissedRecovery? Of(CallOutcome? outcome, CallbackResolution? completedAs, bool gotThroughLater)
    {
        if (outcome is not { } decided || !decided.IsMissed())
        {
            return null;
        }

        return completedAs switch
        {
            CallbackResolution.Reached or CallbackResolution.AppointmentSet => MissedRecovery.CallbackReached,
            CallbackResolution.CallerCalledBack => MissedRecovery.CallerGotThrough,
            _ when gotThroughLater => MissedRecovery.CallerGotThrough,
            _ => MissedRecovery.StillOpen,
        };
    }

    /// <summary>Whether the call counts as recovered.</summary>
    public static bool IsRecovered(this MissedRecovery? recovery) => recovery is MissedRecovery.CallerGotThrough or MissedRecovery.CallbackReached;

    /// <summary>Words for a person (the calls list and its export).</summary>
    public static string Describe(this MissedRecovery recovery) => recovery switch
    {
        MissedRecovery.CallerGotThrough => "Caller got through",
        MissedRecovery.CallbackReached => "Call-back reached",
        _ => "Still open",
    };
}
