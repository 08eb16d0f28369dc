using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Alerts;
using Wallboard.Domain.Stores;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;

namespace Wallboard.Web.Alerts;

/// <summary>One person on one channel an alert goes to.</summary>
public sealed record AlertRecipient(int UserId, string Name, AlertChannel Channel, string Address, bool Shared);

/// <summary>
/// Who gets an alert: by its kind, the store's managers, the store's salespeople on shift, or the
/// admins (enabled accounts only); then each person's own channel choices for that kind (or their
/// role's default), an SMS only to a person with a mobile number.
/// </summary>
public sealed class AlertRecipients(TimeProvider time)
{
    /// <summary>The people and channels of an alert of the store.</summary>
    public async Task<IReadOnlyList<AlertRecipient>> ForAsync(WallboardDbContext db, Alert alert, Store store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(store);
        var storeId = store.Id;
        var accounts = await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled && (u.Role == WallboardRole.Admin || u.Stores.Any(s => s.StoreId == storeId)))
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.Role, u.SalespersonId })
            .ToListAsync(ct);
        var people = accounts.Where(a => alert.Kind.IsFor(Audience(a.Role))).ToList();
        if (alert.Kind == AlertKind.CallbackUnclaimed)
        {
            var onShift = await OnShiftAsync(db, store, people.Where(p => p.SalespersonId is not null).Select(p => p.SalespersonId!.Value).ToList(), ct);
            people = people.Where(p => p.SalespersonId is { } id && onShift.Contains(id)).ToList();
        }

        var ids = people.Select(p => p.Id).ToList();
        var choices = await db.AlertPreferences.AsNoTracking().Where(p => ids.Contains(p.UserId) && p.Kind == alert.Kind).ToDictionaryAsync(p => p.UserId, ct);
        var profiles = await db.AlertProfiles.AsNoTracking().Where(p => ids.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, ct);
        var result = new List<AlertRecipient>();
        foreach (var person in people)
        {
            var audience = Audience(person.Role);
            var choice = choices.GetValueOrDefault(person.Id);
            var profile = profiles.GetValueOrDefault(person.Id);
            var name = string.IsNullOrWhiteSpace(person.DisplayName) ? person.Email ?? $"User {person.Id}" : person.DisplayName;
            var email = choice?.Email ?? alert.Kind.IsOnByDefault(audience, AlertChannel.Email);
            var sms = (choice?.Sms ?? alert.Kind.IsOnByDefault(audience, AlertChannel.Sms)) && alert.Kind.Channels().Contains(AlertChannel.Sms);
            if (email && !string.IsNullOrWhiteSpace(person.Email))
            {
                result.Add(new AlertRecipient(person.Id, name, AlertChannel.Email, person.Email, profile?.EmailShared ?? false));
            }

            if (sms && profile?.MobileE164 is { Length: > 0 } mobile)
            {
                result.Add(new AlertRecipient(person.Id, name, AlertChannel.Sms, mobile, profile.MobileShared));
            }
        }

        return result;
    }

    public static AlertAudience Audience(WallboardRole role) => role switch
    {
        WallboardRole.Admin => AlertAudience.Admin,
        WallboardRole.Manager => AlertAudience.Manager,
        _ => AlertAudience.Salesperson,
    };

    /// <summary>
    /// The salespeople on shift: active, and rung by one of the store's calls since the store's local
    /// midnight (the phone system only rings people who are logged in to take calls).
    /// </summary>
    private async Task<HashSet<int>> OnShiftAsync(WallboardDbContext db, Store store, List<int> salespeople, CancellationToken ct)
    {
        if (salespeople.Count == 0)
        {
            return [];
        }

        var dayStart = store.Calendar.DayContaining(time.GetUtcNow()).Start;
        var storeId = store.Id;
        var rung = await db.CallRings.AsNoTracking()
            .Where(r => r.SalespersonId != null && salespeople.Contains(r.SalespersonId.Value) && r.StartedAt >= dayStart
                && db.Calls.Any(c => c.Id == r.CallId && c.StoreId == storeId))
            .Select(r => r.SalespersonId!.Value)
            .Distinct()
            .ToListAsync(ct);
        var active = await db.Salespeople.AsNoTracking().Where(p => rung.Contains(p.Id) && p.IsActive).Select(p => p.Id).ToListAsync(ct);
        return [.. active];
    }
}
