using Wallboard.Domain.Stores;

namespace Wallboard.Domain.Callbacks;

/// <summary>A store's call-back thresholds (§6) with its calendar, for the rules on <see cref="Callback"/>.</summary>
public sealed class CallbackRules
{
    public CallbackRules(StoreCalendar calendar, StoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(settings);
        Calendar = calendar;
        Sla = TimeSpan.FromMinutes(Math.Max(0, settings.CallbackSlaMinutes));
        FollowUp = TimeSpan.FromMinutes(Math.Max(0, settings.ManagerFollowUpMinutes));
        ClaimWindow = TimeSpan.FromMinutes(Math.Max(1, settings.ClaimWindowMinutes));
        // A cadence an admin mistyped must not stop call-backs: the default stands in.
        Cadence = CallbackCadence.TryParse(settings.CallbackCadence, out var cadence, out _) ? cadence : CallbackCadence.Parse(null);
    }

    public StoreCalendar Calendar { get; }

    /// <summary>First-response SLA, business time.</summary>
    public TimeSpan Sla { get; }

    /// <summary>Escalation limit after a miss, business time.</summary>
    public TimeSpan FollowUp { get; }

    /// <summary>How long a claim lasts without an attempt, wall-clock time.</summary>
    public TimeSpan ClaimWindow { get; }

    public CallbackCadence Cadence { get; }

    /// <summary>Attempts in all before a call-back closes as unreached: one more than the cadence has steps.</summary>
    public int MaxAttempts => Cadence.Steps.Count + 1;

    public static CallbackRules For(Store store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new CallbackRules(store.Calendar, store.Settings);
    }

    /// <summary>The first-response due time for a miss at <paramref name="missedAt"/>.</summary>
    public DateTimeOffset DueAfter(Department department, DateTimeOffset missedAt) =>
        BusinessClock.Add(Calendar, department, missedAt, Sla);

    /// <summary>When a miss with no attempt is escalated to managers.</summary>
    public DateTimeOffset EscalationAfter(Department department, DateTimeOffset missedAt) =>
        BusinessClock.Add(Calendar, department, missedAt, FollowUp);
}
