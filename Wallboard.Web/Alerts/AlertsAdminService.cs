using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Alerts;
using Wallboard.Domain.Phones;
using Wallboard.Web.Admin;
using Wallboard.Web.Data;

namespace Wallboard.Web.Alerts;

/// <summary>One line of the delivery log.</summary>
public sealed record DeliveryLogRow(
    long Id, DateTimeOffset CreatedAt, string Store, AlertKind Kind, string Subject, string Recipient, AlertChannel Channel, string Address,
    AlertDeliveryStatus Status, int Tries, DateTimeOffset? SentAt, DateTimeOffset NextAttemptAt, string? LastError);

/// <summary>A person's alert choices as the account page edits them.</summary>
public sealed class AlertChoices
{
    public string? Mobile { get; set; }

    public bool MobileShared { get; set; }

    public bool EmailShared { get; set; }

    public Dictionary<AlertKind, (bool Email, bool Sms)> Kinds { get; set; } = [];
}

/// <summary>
/// The admin side of alerts (a store's switches and thresholds, audited; the delivery log; sending a
/// failed delivery again) and a person's own channel choices for the account page.
/// </summary>
public sealed class AlertsAdminService(IDbContextFactory<WallboardDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    public const int PageSize = 50;

    public async Task<StoreAlertSettings> GetStoreAsync(int storeId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.StoreAlertSettings.AsNoTracking().SingleOrDefaultAsync(s => s.StoreId == storeId, ct) ?? StoreAlertSettings.DefaultFor(storeId);
    }

    /// <summary>Checks and saves a store's alert settings with an audit line (<c>store.alerts-updated</c>) in the same transaction.</summary>
    public async Task<AdminResult> SaveStoreAsync(string actor, StoreAlertSettings form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var errors = new Dictionary<string, string>();
        if (form.CallerWaitingPerHour is < 1 or > 60)
        {
            errors[nameof(form.CallerWaitingPerHour)] = "Between 1 and 60 alerts an hour.";
        }

        if (form.IntegrationSilentMinutes is < 5 or > 1440)
        {
            errors[nameof(form.IntegrationSilentMinutes)] = "Between 5 and 1440 minutes.";
        }

        if (errors.Count > 0)
        {
            return AdminResult.Invalid(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Stores.AnyAsync(s => s.Id == form.StoreId, ct))
        {
            return AdminResult.Invalid(AdminResult.General, "There is no such store.");
        }

        var row = await db.StoreAlertSettings.SingleOrDefaultAsync(s => s.StoreId == form.StoreId, ct);
        var before = View(row ?? StoreAlertSettings.DefaultFor(form.StoreId));
        if (row is null)
        {
            row = StoreAlertSettings.DefaultFor(form.StoreId);
            db.StoreAlertSettings.Add(row);
        }

        row.Enabled = form.Enabled;
        row.CallerWaitingPerHour = form.CallerWaitingPerHour;
        row.IntegrationSilentMinutes = form.IntegrationSilentMinutes;
        row.DigestEnabled = form.DigestEnabled;
        var after = View(row);
        if (before == after)
        {
            return AdminResult.Done;
        }

        await audit.SaveAsync(db, actor, () => new AuditFact("store.alerts-updated", "Store", form.StoreId.ToString(CultureInfo.InvariantCulture), form.StoreId, before, after), ct);
        return AdminResult.Done;
    }

    private static StoreAlertsView View(StoreAlertSettings s) => new(s.Enabled, s.CallerWaitingPerHour, s.IntegrationSilentMinutes, s.DigestEnabled);

    private sealed record StoreAlertsView(bool Enabled, int CallerWaitingPerHour, int IntegrationSilentMinutes, bool DigestEnabled);

    /// <summary>The delivery log, newest first; <paramref name="failedOnly"/> for the failures alone.</summary>
    public async Task<(IReadOnlyList<DeliveryLogRow> Rows, int Total)> LogAsync(bool failedOnly, int page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.AlertDeliveries.AsNoTracking().Where(d => !failedOnly || d.Status == AlertDeliveryStatus.Failed);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .Skip(Math.Max(page - 1, 0) * PageSize).Take(PageSize)
            .Select(d => new DeliveryLogRow(
                d.Id, d.CreatedAt, db.Stores.Where(s => s.Id == d.Alert.StoreId).Select(s => s.Name).FirstOrDefault() ?? "",
                d.Alert.Kind, d.Alert.Subject, d.RecipientName, d.Channel, d.Address, d.Status, d.Tries, d.SentAt, d.NextAttemptAt, d.LastError))
            .ToListAsync(ct);
        return (rows, total);
    }

    /// <summary>Sends a failed delivery again from its first try (audited).</summary>
    public async Task<AdminResult> RetryAsync(string actor, long deliveryId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delivery = await db.AlertDeliveries.Include(d => d.Alert).SingleOrDefaultAsync(d => d.Id == deliveryId, ct);
        if (delivery is null || delivery.Status != AlertDeliveryStatus.Failed)
        {
            return AdminResult.Invalid(AdminResult.General, "Only a failed delivery can be sent again.");
        }

        delivery.Status = AlertDeliveryStatus.Pending;
        delivery.Tries = 0;
        delivery.NextAttemptAt = time.GetUtcNow();
        var lastError = delivery.LastError;
        await audit.SaveAsync(db, actor, () => new AuditFact("alert-delivery.retried", "AlertDelivery", deliveryId.ToString(CultureInfo.InvariantCulture), delivery.Alert.StoreId,
            new { Status = "Failed", LastError = lastError }, new { Status = "Pending" }), ct);
        return AdminResult.Done;
    }

    /// <summary>A person's choices: saved ones, else their role's defaults.</summary>
    public async Task<AlertChoices> GetChoicesAsync(int userId, AlertAudience audience, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var profile = await db.AlertProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, ct);
        var saved = await db.AlertPreferences.AsNoTracking().Where(p => p.UserId == userId).ToDictionaryAsync(p => p.Kind, ct);
        var choices = new AlertChoices { Mobile = profile?.MobileE164, MobileShared = profile?.MobileShared ?? false, EmailShared = profile?.EmailShared ?? false };
        foreach (var kind in AlertKinds.All.Where(k => k.IsFor(audience)))
        {
            choices.Kinds[kind] = saved.TryGetValue(kind, out var row)
                ? (row.Email, row.Sms)
                : (kind.IsOnByDefault(audience, AlertChannel.Email), kind.IsOnByDefault(audience, AlertChannel.Sms));
        }

        return choices;
    }

    /// <summary>Saves a person's choices; the mobile number is read as a phone number in the country of their (first) store.</summary>
    public async Task<AdminResult> SaveChoicesAsync(int userId, AlertAudience audience, AlertChoices choices, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(choices);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var country = await db.AccountStores.Where(a => a.UserId == userId)
            .Join(db.Stores, a => a.StoreId, s => s.Id, (a, s) => s.CountryCode).FirstOrDefaultAsync(ct) ?? "US";
        string? mobile = null;
        if (!string.IsNullOrWhiteSpace(choices.Mobile))
        {
            mobile = CallerNumber.TryNormalize(choices.Mobile, country);
            if (mobile is null)
            {
                return AdminResult.Invalid(nameof(choices.Mobile), "Not a phone number: type it as you would dial it, e.g. (312) 555-0142 or +1 312 555 0142.");
            }
        }

        if (mobile is null && choices.Kinds.Values.Any(k => k.Sms))
        {
            return AdminResult.Invalid(nameof(choices.Mobile), "Give a mobile number to get texts.");
        }

        var profile = await db.AlertProfiles.SingleOrDefaultAsync(p => p.UserId == userId, ct);
        if (profile is null)
        {
            profile = new AlertProfile { UserId = userId };
            db.AlertProfiles.Add(profile);
        }

        profile.MobileE164 = mobile;
        profile.MobileShared = choices.MobileShared;
        profile.EmailShared = choices.EmailShared;
        var saved = await db.AlertPreferences.Where(p => p.UserId == userId).ToListAsync(ct);
        foreach (var (kind, (email, sms)) in choices.Kinds.Where(k => k.Key.IsFor(audience)))
        {
            var row = saved.SingleOrDefault(p => p.Kind == kind);
            if (row is null)
            {
                row = new AlertPreference { UserId = userId, Kind = kind };
                db.AlertPreferences.Add(row);
            }

            row.Email = email;
            row.Sms = sms && kind.Channels().Contains(AlertChannel.Sms);
        }

        await db.SaveChangesAsync(ct);
        choices.Mobile = mobile;
        return AdminResult.Done;
    }
}
