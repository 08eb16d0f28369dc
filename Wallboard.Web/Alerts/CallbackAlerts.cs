using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Alerts;

/// <summary>
/// Raises the call-back alerts on the <see cref="WallboardDbContext"/> that carries the change, so the
/// outbox row commits with it or not at all: "escalated" when the change escalated the call-back,
/// "due and unclaimed" when it marked an unclaimed call-back overdue. Nothing when no channel is
/// configured (the app runs as it did without alerts).
/// </summary>
public sealed class CallbackAlerts(AlertDispatcher dispatcher, AlertComposer composer)
{
    /// <summary>The flags of a call-back before a change, to tell what the change did.</summary>
    public readonly record struct Flags(DateTimeOffset? EscalatedAt, DateTimeOffset? OverdueSince)
    {
        public static Flags Of(Callback? callback) => new(callback?.EscalatedAt, callback?.OverdueSince);
    }

    /// <summary>Adds the alerts the change from <paramref name="before"/> raised; the caller saves.</summary>
    public async Task RaiseAsync(WallboardDbContext db, Store store, Callback callback, Flags before, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(callback);
        if (!dispatcher.IsOn || !callback.IsActive || callback.Department != Department.Sales)
        {
            return;
        }

        var escalated = before.EscalatedAt is null && callback.EscalatedAt is not null;
        var fellDueUnclaimed = before.OverdueSince is null && callback.OverdueSince is not null
            && callback.Status == CallbackStatus.Open && !callback.NoNumber;
        if (!escalated && !fellDueUnclaimed)
        {
            return;
        }

        var source = callback.LeadSourceId is { } sourceId
            ? await db.LeadSources.AsNoTracking().Where(s => s.Id == sourceId).Select(s => s.Name).SingleOrDefaultAsync(ct) ?? LeadSource.UnknownName
            : LeadSource.UnknownName;
        if (escalated)
        {
            db.Alerts.Add(composer.CallbackEscalated(store, callback, source, now));
        }

        if (fellDueUnclaimed)
        {
            db.Alerts.Add(composer.CallbackUnclaimed(store, callback, source, now));
        }
    }
}
