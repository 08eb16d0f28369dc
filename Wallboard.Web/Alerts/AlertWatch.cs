using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Alerts;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Alerts;

/// <summary>
/// The alerts no single change raises, looked for on a schedule: callers waiting or on hold past the
/// store's hold limit (at most once per call, at most N per store per hour), integrations silent for
/// too long in business hours, and the daily digest once the store has closed. Each is an outbox row
/// with a dedup key, so a check that runs twice (or on two servers) raises it once.
/// </summary>
public sealed partial class AlertWatch(
    IDbContextFactory<WallboardDbContext> dbFactory,
    AlertDispatcher dispatcher,
    AlertComposer composer,
    DailyDigest digest,
    TimeProvider time,
    ILogger<AlertWatch> logger)
{
    /// <summary>An integration with no call in the store for this long is not in use there (it alerted when it went quiet).</summary>
    public static readonly TimeSpan SilenceLookBack = TimeSpan.FromDays(7);

    /// <summary>A digest missed (the app was down at closing) is still sent this long after closing, not later.</summary>
    public static readonly TimeSpan DigestCatchUp = TimeSpan.FromHours(6);

    /// <summary>Runs every check for every store; returns how many alerts were raised.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        if (!dispatcher.IsOn)
        {
            return 0;
        }

        List<int> storeIds;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            storeIds = await db.Stores.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
        }

        var raised = 0;
        foreach (var storeId in storeIds)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var store = await AlertDispatcher.LoadStoreAsync(db, storeId, ct);
            var settings = await db.StoreAlertSettings.AsNoTracking().SingleOrDefaultAsync(s => s.StoreId == storeId, ct) ?? StoreAlertSettings.DefaultFor(storeId);
            if (!settings.Enabled)
            {
                continue;
            }

            raised += await CallersWaitingAsync(store, settings, ct);
            raised += await SilentIntegrationsAsync(store, settings, ct);
            if (settings.DigestEnabled && dispatcher.IsConfigured(AlertChannel.Email))
            {
                raised += await DigestsAsync(store, ct);
            }
        }

        return raised;
    }

    private async Task<int> CallersWaitingAsync(Store store, StoreAlertSettings settings, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var limit = TimeSpan.FromSeconds(store.Settings.HoldLimitSeconds);
        var over = now - limit;
        var live = now - store.Settings.StaleCallLimit;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var calls = await db.Calls.AsNoTracking()
            .Where(c => c.StoreId == store.Id && c.Department == Department.Sales && c.Outcome == null && c.StartedAt >= live
                && ((c.Phase == CallPhase.Waiting && c.StartedAt <= over) || (c.Phase == CallPhase.OnHold && c.HoldStartedAt <= over)))
            .OrderBy(c => c.StartedAt)
            .ToListAsync(ct);
        if (calls.Count == 0)
        {
            return 0;
        }

        var keys = calls.Select(c => $"caller-waiting:{c.Id}").ToList();
        var done = await db.Alerts.Where(a => a.DedupKey != null && keys.Contains(a.DedupKey)).Select(a => a.DedupKey).ToListAsync(ct);
        var hourAgo = now.AddHours(-1);
        var lastHour = await db.Alerts.CountAsync(a => a.StoreId == store.Id && a.Kind == AlertKind.CallerWaiting && a.CreatedAt > hourAgo, ct);
        var raised = 0;
        foreach (var call in calls.Where(c => !done.Contains($"caller-waiting:{c.Id}")))
        {
            if (lastHour + raised >= settings.CallerWaitingPerHour)
            {
                LogRateLimited(logger, store.Id, settings.CallerWaitingPerHour);
                break;
            }

            var onHold = call.Phase == CallPhase.OnHold;
            var since = onHold ? call.HoldStartedAt!.Value : call.StartedAt;
            var source = await SourceNameAsync(db, call.LeadSourceId, ct);
            if (await AddAsync(composer.CallerWaiting(store, call, source, onHold, now - since, now), ct))
            {
                raised++;
            }
        }

        return raised;
    }

    private async Task<int> SilentIntegrationsAsync(Store store, StoreAlertSettings settings, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!store.Calendar.IsOpen(now, Department.Sales))
        {
            return 0;
        }

        var since = now - SilenceLookBack;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lastByIntegration = await db.Calls.AsNoTracking()
            .Where(c => c.StoreId == store.Id && c.Department == Department.Sales && c.LastEventAt >= since)
            .GroupBy(c => c.IntegrationId)
            .Select(g => new { IntegrationId = g.Key, Last = g.Max(c => c.LastEventAt) })
            .ToListAsync(ct);
        var raised = 0;
        foreach (var entry in lastByIntegration)
        {
            var silent = AlertRules.OpenTimeBetween(store.Calendar, Department.Sales, entry.Last, now);
            if (silent < TimeSpan.FromMinutes(settings.IntegrationSilentMinutes))
            {
                continue;
            }

            var integration = await db.Integrations.AsNoTracking().SingleAsync(i => i.Id == entry.IntegrationId, ct);
            if (!integration.IsEnabled)
            {
                continue;
            }

            var alert = composer.IntegrationSilent(store, integration, entry.Last, silent, now);
            if (!await db.Alerts.AnyAsync(a => a.DedupKey == alert.DedupKey, ct) && await AddAsync(alert, ct))
            {
                raised++;
            }
        }

        return raised;
    }

    private async Task<int> DigestsAsync(Store store, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = store.Calendar.LocalDate(now);
        var raised = 0;
        // Yesterday too: a day whose hours run past midnight closes on the next local date.
        foreach (var date in new[] { today.AddDays(-1), today })
        {
            if (AlertRules.ClosingTime(store.Calendar, date) is not { } closing || now < closing || now >= closing + DigestCatchUp)
            {
                continue;
            }

            var key = DailyDigest.DedupKey(store.Id, date);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.Alerts.AnyAsync(a => a.DedupKey == key, ct))
            {
                continue;
            }

            var content = await digest.ReadAsync(db, store.Id, date, ct);
            if (await AddAsync(digest.ToAlert(content), ct))
            {
                raised++;
            }
        }

        return raised;
    }

    /// <summary>Adds an alert in its own transaction; false when its dedup key is taken (raised already).</summary>
    private async Task<bool> AddAsync(Alert alert, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Alerts.Add(alert);
        try
        {
            await db.SaveChangesAsync(ct);
            LogRaised(logger, alert.Kind, alert.StoreId, alert.DedupKey);
            return true;
        }
        catch (DbUpdateException ex)
        {
            LogAlreadyRaised(logger, alert.DedupKey, ex.InnerException?.Message ?? ex.Message);
            return false;
        }
    }

    private static async Task<string> SourceNameAsync(WallboardDbContext db, int? sourceId, CancellationToken ct) =>
        sourceId is { } id
            ? await db.LeadSources.AsNoTracking().Where(s => s.Id == id).Select(s => s.Name).SingleOrDefaultAsync(ct) ?? LeadSource.UnknownName
            : LeadSource.UnknownName;

    [LoggerMessage(Level = LogLevel.Information, Message = "Raised a {Kind} alert for store {StoreId} ({DedupKey})")]
    private static partial void LogRaised(ILogger logger, AlertKind kind, int storeId, string? dedupKey);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert {DedupKey} was raised already: {Reason}")]
    private static partial void LogAlreadyRaised(ILogger logger, string? dedupKey, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store {StoreId} reached {PerHour} caller-waiting alerts this hour; more wait for the next")]
    private static partial void LogRateLimited(ILogger logger, int storeId, int perHour);
}
