using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Wallboard.Domain.Alerts;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Stores;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;

namespace Wallboard.Web.Alerts;

/// <summary>
/// Delivers the outbox. A run first fans each new <see cref="Alert"/> out into one
/// <see cref="AlertDelivery"/> per person and channel they chose (in one transaction per alert, with a
/// unique index on alert, person and channel, so a repeated fan-out adds nothing), then sends every
/// delivery that is due. A delivery is taken with a conditional update (pending and due → sending,
/// with a lease), so two runs, or two servers, never send the same one; its result is saved at once.
/// Failures are retried with doubling waits; after the last try it is failed, on the delivery log and
/// in <c>/health</c>. Quiet hours hold a delivery until the store opens, without counting a try.
/// </summary>
public sealed partial class AlertDispatcher(
    IDbContextFactory<WallboardDbContext> dbFactory,
    IEnumerable<IAlertSender> senders,
    AlertRecipients recipients,
    IOptions<AlertDeliveryOptions> options,
    TimeProvider time,
    ILogger<AlertDispatcher> logger)
{
    private const int BatchSize = 100;

    private readonly IReadOnlyDictionary<AlertChannel, IAlertSender> _senders = senders.ToDictionary(s => s.Channel);

    /// <summary>Whether any channel is configured: with none, nothing raises alerts and the admin screen says so.</summary>
    public bool IsOn => _senders.Values.Any(s => s.IsConfigured);

    public bool IsConfigured(AlertChannel channel) => _senders.TryGetValue(channel, out var sender) && sender.IsConfigured;

    /// <summary>One run: fan out, then send what is due. Returns how many deliveries were sent.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await FanOutAsync(ct);
        return await SendDueAsync(ct);
    }

    public async Task FanOutAsync(CancellationToken ct)
    {
        List<long> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            ids = await db.Alerts.Where(a => a.FannedOutAt == null).OrderBy(a => a.Id).Select(a => a.Id).Take(BatchSize).ToListAsync(ct);
        }

        foreach (var id in ids)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var alert = await db.Alerts.SingleAsync(a => a.Id == id, ct);
            if (alert.FannedOutAt is not null)
            {
                continue;
            }

            var now = time.GetUtcNow();
            var store = await LoadStoreAsync(db, alert.StoreId, ct);
            var settings = await db.StoreAlertSettings.AsNoTracking().SingleOrDefaultAsync(s => s.StoreId == alert.StoreId, ct)
                ?? StoreAlertSettings.DefaultFor(alert.StoreId);
            var quietUntil = alert.Kind == AlertKind.DailyDigest ? null : AlertRules.QuietUntil(store.Calendar, store.BusinessHours, now);
            foreach (var to in await recipients.ForAsync(db, alert, store, ct))
            {
                if (!IsConfigured(to.Channel))
                {
                    continue;
                }

                var delivery = new AlertDelivery
                {
                    AlertId = alert.Id,
                    UserId = to.UserId,
                    RecipientName = to.Name,
                    Channel = to.Channel,
                    Address = to.Address,
                    Shared = to.Shared,
                    CreatedAt = now,
                    NextAttemptAt = quietUntil ?? now,
                };
                if (!settings.Enabled)
                {
                    Skip(delivery, "Alerts of this store are switched off.");
                }
                else if (quietUntil is not null && alert.Kind == AlertKind.CallerWaiting)
                {
                    // By the opening the caller is long gone: a late "waiting now" helps nobody.
                    Skip(delivery, "Raised in the store's quiet hours.");
                }

                db.AlertDeliveries.Add(delivery);
            }

            alert.FannedOutAt = now;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex)
            {
                // Another run fanned it out at the same moment: its deliveries stand.
                LogFanOutRaced(logger, alert.Id, ex.InnerException?.Message ?? ex.Message);
            }
        }
    }

    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await db.AlertDeliveries
                .Where(d => (d.Status == AlertDeliveryStatus.Pending && d.NextAttemptAt <= now)
                    || (d.Status == AlertDeliveryStatus.Sending && d.LeaseUntil <= now))
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
                .Select(d => d.Id)
                .Take(BatchSize)
                .ToListAsync(ct);
        }

        var sent = 0;
        foreach (var id in due)
        {
            if (await SendOneAsync(id, ct))
            {
                sent++;
            }
        }

        return sent;
    }

    private async Task<bool> SendOneAsync(long id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var lease = now + options.Value.Lease;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var taken = await db.AlertDeliveries
            .Where(d => d.Id == id && ((d.Status == AlertDeliveryStatus.Pending && d.NextAttemptAt <= now)
                || (d.Status == AlertDeliveryStatus.Sending && d.LeaseUntil <= now)))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, AlertDeliveryStatus.Sending).SetProperty(d => d.LeaseUntil, lease), ct);
        if (taken == 0)
        {
            return false;
        }

        var delivery = await db.AlertDeliveries.Include(d => d.Alert).SingleAsync(d => d.Id == id, ct);
        var alert = delivery.Alert;
        var store = await LoadStoreAsync(db, alert.StoreId, ct);
        var settings = await db.StoreAlertSettings.AsNoTracking().SingleOrDefaultAsync(s => s.StoreId == alert.StoreId, ct);
        var quietUntil = alert.Kind == AlertKind.DailyDigest ? null : AlertRules.QuietUntil(store.Calendar, store.BusinessHours, now);
        var sent = false;
        if (settings is { Enabled: false })
        {
            Skip(delivery, "Alerts of this store are switched off.");
        }
        else if (!IsConfigured(delivery.Channel))
        {
            Skip(delivery, $"{delivery.Channel} is not configured.");
        }
        else if (await NoLongerNeededAsync(db, alert, ct) is { } reason)
        {
            Skip(delivery, reason);
        }
        else if (quietUntil is { } until)
        {
            delivery.Status = AlertDeliveryStatus.Pending;
            delivery.NextAttemptAt = until;
            delivery.LeaseUntil = null;
        }
        else
        {
            sent = await TryAsync(delivery, alert, now, ct);
        }

        await db.SaveChangesAsync(CancellationToken.None);
        return sent;
    }

    private async Task<bool> TryAsync(AlertDelivery delivery, Alert alert, DateTimeOffset now, CancellationToken ct)
    {
        var message = delivery.Channel == AlertChannel.Sms
            ? new AlertMessage(delivery.Id, delivery.Address, delivery.RecipientName, alert.Subject, delivery.Shared ? alert.SmsMasked : alert.Sms, null)
            : new AlertMessage(delivery.Id, delivery.Address, delivery.RecipientName, alert.Subject,
                delivery.Shared ? alert.TextMasked ?? alert.Text : alert.Text,
                delivery.Shared ? alert.HtmlMasked ?? alert.Html : alert.Html);
        delivery.Tries++;
        try
        {
            delivery.ProviderId = await _senders[delivery.Channel].SendAsync(message, ct);
            delivery.Status = AlertDeliveryStatus.Sent;
            delivery.SentAt = time.GetUtcNow();
            delivery.LeaseUntil = null;
            delivery.LastError = null;
            LogSent(logger, delivery.Id, alert.Kind, delivery.Channel, delivery.Tries);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var error = ex is AlertSendException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            delivery.LastError = error.Length > 2000 ? error[..2000] : error;
            delivery.LeaseUntil = null;
            if (delivery.Tries >= options.Value.MaxTries)
            {
                delivery.Status = AlertDeliveryStatus.Failed;
                LogFailed(logger, delivery.Id, alert.Kind, delivery.Channel, delivery.Tries, delivery.LastError);
            }
            else
            {
                delivery.Status = AlertDeliveryStatus.Pending;
                delivery.NextAttemptAt = now + AlertRules.RetryDelay(delivery.Tries, options.Value.FirstRetryDelay);
                LogRetrying(logger, delivery.Id, delivery.Channel, delivery.Tries, delivery.NextAttemptAt, delivery.LastError);
            }

            return false;
        }
    }

    /// <summary>Why an alert about a call-back need not go out any more (someone dealt with it first); null when it still matters.</summary>
    private static async Task<string?> NoLongerNeededAsync(WallboardDbContext db, Alert alert, CancellationToken ct)
    {
        if (alert.CallbackId is not { } callbackId || alert.Kind is not (AlertKind.CallbackEscalated or AlertKind.CallbackUnclaimed))
        {
            return null;
        }

        var callback = await db.Callbacks.AsNoTracking()
            .Where(c => c.Id == callbackId)
            .Select(c => new { c.Status })
            .SingleOrDefaultAsync(ct);
        return callback switch
        {
            null => "The call-back no longer exists.",
            _ when !callback.Status.IsActive() => "The call-back was dealt with before the alert went out.",
            _ when alert.Kind == AlertKind.CallbackUnclaimed && callback.Status != CallbackStatus.Open => "Someone took the call-back before the alert went out.",
            _ => null,
        };
    }

    private static void Skip(AlertDelivery delivery, string reason)
    {
        delivery.Status = AlertDeliveryStatus.Skipped;
        delivery.LastError = reason;
        delivery.LeaseUntil = null;
    }

    internal static Task<Store> LoadStoreAsync(WallboardDbContext db, int storeId, CancellationToken ct) =>
        db.Stores.AsNoTracking().Include(s => s.BusinessHours).Include(s => s.ClosedDates).AsSplitQuery().SingleAsync(s => s.Id == storeId, ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert delivery {DeliveryId} ({Kind}, {Channel}) sent on try {Tries}")]
    private static partial void LogSent(ILogger logger, long deliveryId, AlertKind kind, AlertChannel channel, int tries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert delivery {DeliveryId} ({Channel}) failed on try {Tries}; next try at {NextAttemptAt}: {Error}")]
    private static partial void LogRetrying(ILogger logger, long deliveryId, AlertChannel channel, int tries, DateTimeOffset nextAttemptAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert delivery {DeliveryId} ({Kind}, {Channel}) failed after {Tries} tries: {Error}")]
    private static partial void LogFailed(ILogger logger, long deliveryId, AlertKind kind, AlertChannel channel, int tries, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert {AlertId} was fanned out by another run: {Reason}")]
    private static partial void LogFanOutRaced(ILogger logger, long alertId, string reason);
}
