namespace Wallboard.Domain.Stores;

/// <summary>
/// A store's thresholds and SLAs. The defaults are the design's (§3, §5, §6); each store may
/// change them.
/// </summary>
public sealed class StoreSettings
{
    /// <summary>A caller who hangs up unanswered sooner than this after the call started misdialled (§3).</summary>
    public int ShortAbandonSeconds { get; set; } = 5;

    /// <summary>A call with no end event this long after its last event is closed by a sweep (§3).</summary>
    public int StaleCallMinutes { get; set; } = 240;

    /// <summary>Hold timer turns amber (§5).</summary>
    public int HoldWarningSeconds { get; set; } = 30;

    /// <summary>Hold timer turns red (§5).</summary>
    public int HoldLimitSeconds { get; set; } = 60;

    /// <summary>Answer-rate target shown against today's rate (§5), as a fraction.</summary>
    public double AnswerRateTarget { get; set; } = 0.90;

    /// <summary>Answered within this wait counts towards the service level (§5, §7).</summary>
    public int ServiceLevelSeconds { get; set; } = 20;

    /// <summary>First-response SLA of a call-back, in business time (§6).</summary>
    public int CallbackSlaMinutes { get; set; } = 15;

    /// <summary>A call-back with no attempt this long (business time) after the miss is escalated (§6).</summary>
    public int ManagerFollowUpMinutes { get; set; } = 60;

    /// <summary>A claim with no attempt within this window lapses back to the pool (§6).</summary>
    public int ClaimWindowMinutes { get; set; } = 10;

    /// <summary>
    /// When to try again after a call-back attempt that missed the caller (§6): business-time steps,
    /// see <see cref="Callbacks.CallbackCadence"/>. Empty means the default.
    /// </summary>
    public string CallbackCadence { get; set; } = Callbacks.CallbackCadence.Default;

    public TimeSpan ShortAbandon => TimeSpan.FromSeconds(ShortAbandonSeconds);

    public TimeSpan StaleCallLimit => TimeSpan.FromMinutes(StaleCallMinutes);
}
