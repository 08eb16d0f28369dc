using System.Globalization;
using System.Text.RegularExpressions;
using Wallboard.Domain.Callbacks;

namespace Wallboard.Domain.Stores;

/// <summary>
/// The rules an admin's edit of a store must pass, as messages keyed by the field they are about
/// (<c>Slug</c>, <c>Settings.HoldLimitSeconds</c>, <c>Hours</c>…) so a screen can show each next
/// to its field. Pure: uniqueness against other stores is the caller's to check.
/// </summary>
public static partial class StoreValidation
{
    /// <summary>The range each threshold may take, with its unit, as the admin screen shows them.</summary>
    public static IReadOnlyList<SettingRange> Ranges { get; } =
    [
        new(nameof(StoreSettings.ShortAbandonSeconds), "Short-abandon threshold", "seconds", 0, 60),
        new(nameof(StoreSettings.ServiceLevelSeconds), "Service level (answered within)", "seconds", 5, 300),
        new(nameof(StoreSettings.HoldWarningSeconds), "Hold warning (amber)", "seconds", 5, 600),
        new(nameof(StoreSettings.HoldLimitSeconds), "Hold limit (red)", "seconds", 10, 1800),
        new(nameof(StoreSettings.StaleCallMinutes), "Stale call limit", "minutes", 10, 1440),
        new(nameof(StoreSettings.CallbackSlaMinutes), "Call-back first response", "business minutes", 1, 480),
        new(nameof(StoreSettings.ManagerFollowUpMinutes), "Escalation to managers", "business minutes", 1, 1440),
        new(nameof(StoreSettings.ClaimWindowMinutes), "Claim window", "minutes", 1, 240),
    ];

    public static Dictionary<string, string> Check(Store store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(store.Name))
        {
            errors[nameof(Store.Name)] = "A store needs a name.";
        }
        else if (store.Name.Trim().Length > 120)
        {
            errors[nameof(Store.Name)] = "A name has at most 120 characters.";
        }

        if (SlugError(store.Slug) is { } slug)
        {
            errors[nameof(Store.Slug)] = slug;
        }

        if (!StoreCalendar.IsKnownTimeZone(store.TimeZoneId))
        {
            errors[nameof(Store.TimeZoneId)] = $"'{store.TimeZoneId}' is not an IANA time zone; use a name like America/Chicago.";
        }

        if (store.CountryCode is not { Length: 2 } country || !country.All(char.IsAsciiLetterUpper))
        {
            errors[nameof(Store.CountryCode)] = "Use the two-letter country code (US, CA, GB…) in which callers' national numbers are read.";
        }

        foreach (var (field, message) in CheckSettings(store.Settings))
        {
            errors["Settings." + field] = message;
        }

        if (CheckHours(store.BusinessHours) is { } hours)
        {
            errors["Hours"] = hours;
        }

        var duplicate = store.ClosedDates.GroupBy(d => d.Date).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            errors["ClosedDates"] = $"{duplicate.Key:yyyy-MM-dd} is listed twice.";
        }

        return errors;
    }

    /// <summary>Null for a good slug: lowercase letters, digits and single hyphens, 2 to 60 long.</summary>
    public static string? SlugError(string? slug) =>
        slug is null || !SlugPattern().IsMatch(slug)
            ? "A slug is 2 to 60 lowercase letters, digits and hyphens, starting with a letter (e.g. lakeside-toyota)."
            : null;

    /// <summary>A slug made from a store's name (what the screen suggests).</summary>
    public static string SlugFrom(string name)
    {
        var slug = NotSlugChars().Replace((name ?? string.Empty).ToLowerInvariant(), "-").Trim('-');
        return slug.Length > 60 ? slug[..60].TrimEnd('-') : slug;
    }

    public static Dictionary<string, string> CheckSettings(StoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var values = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            [nameof(StoreSettings.ShortAbandonSeconds)] = settings.ShortAbandonSeconds,
            [nameof(StoreSettings.ServiceLevelSeconds)] = settings.ServiceLevelSeconds,
            [nameof(StoreSettings.HoldWarningSeconds)] = settings.HoldWarningSeconds,
            [nameof(StoreSettings.HoldLimitSeconds)] = settings.HoldLimitSeconds,
            [nameof(StoreSettings.StaleCallMinutes)] = settings.StaleCallMinutes,
            [nameof(StoreSettings.CallbackSlaMinutes)] = settings.CallbackSlaMinutes,
            [nameof(StoreSettings.ManagerFollowUpMinutes)] = settings.ManagerFollowUpMinutes,
            [nameof(StoreSettings.ClaimWindowMinutes)] = settings.ClaimWindowMinutes,
        };
        foreach (var range in Ranges)
        {
            var value = values[range.Field];
            if (value < range.Min || value > range.Max)
            {
                errors[range.Field] = string.Create(CultureInfo.InvariantCulture, $"{range.Label} must be between {range.Min} and {range.Max} {range.Unit}.");
            }
        }

        if (!errors.ContainsKey(nameof(StoreSettings.HoldLimitSeconds)) && settings.HoldLimitSeconds <= settings.HoldWarningSeconds)
        {
            errors[nameof(StoreSettings.HoldLimitSeconds)] = "The hold limit (red) must be longer than the hold warning (amber).";
        }

        if (!errors.ContainsKey(nameof(StoreSettings.ManagerFollowUpMinutes)) && settings.ManagerFollowUpMinutes < settings.CallbackSlaMinutes)
        {
            errors[nameof(StoreSettings.ManagerFollowUpMinutes)] = "Escalation cannot come before the call-back is due: make it at least the first-response time.";
        }

        if (double.IsNaN(settings.AnswerRateTarget) || settings.AnswerRateTarget is < 0.5 or > 1)
        {
            errors[nameof(StoreSettings.AnswerRateTarget)] = "The answer-rate target must be between 50 and 100 percent.";
        }

        if (!CallbackCadence.TryParse(settings.CallbackCadence, out _, out var cadenceError))
        {
            errors[nameof(StoreSettings.CallbackCadence)] = cadenceError!;
        }

        return errors;
    }

    /// <summary>
    /// Null when the periods are good; otherwise why not. A period whose closing time is before its
    /// opening runs past midnight into the next day (allowed); one that opens and closes at the same
    /// minute has no length; two periods of one department may not overlap, across midnight and
    /// across the end of the week too.
    /// </summary>
    public static string? CheckHours(IEnumerable<BusinessHours> hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        const int week = 7 * 24 * 60;
        foreach (var department in hours.GroupBy(h => h.Department))
        {
            var periods = new List<(BusinessHours Hours, int Start, int End)>();
            foreach (var h in department)
            {
                if (h.Opens == h.Closes)
                {
                    return $"{Describe(h)} opens and closes at the same time. (A closing time before the opening is fine: the period runs past midnight into the next day.)";
                }

                var start = ((int)h.Day * 24 * 60) + (h.Opens.Hour * 60) + h.Opens.Minute;
                var length = (int)(h.Closes > h.Opens ? h.Closes - h.Opens : TimeSpan.FromDays(1) - (h.Opens - h.Closes)).TotalMinutes;
                periods.Add((h, start, start + length));
            }

            for (var i = 0; i < periods.Count; i++)
            {
                for (var j = i + 1; j < periods.Count; j++)
                {
                    var (a, b) = (periods[i], periods[j]);
                    // Compare on a circular week: Saturday night's period may run into Sunday morning.
                    if (Overlaps(a.Start, a.End, b.Start, b.End) || Overlaps(a.Start + week, a.End + week, b.Start, b.End)
                        || Overlaps(a.Start, a.End, b.Start + week, b.End + week))
                    {
                        return $"{Describe(a.Hours)} overlaps {Describe(b.Hours)} in {department.Key}.";
                    }
                }
            }
        }

        return null;
    }

    private static bool Overlaps(int aStart, int aEnd, int bStart, int bEnd) => aStart < bEnd && bStart < aEnd;

    private static string Describe(BusinessHours h) =>
        string.Create(CultureInfo.InvariantCulture, $"{h.Day} {h.Opens:HH\\:mm}–{h.Closes:HH\\:mm}");

    [GeneratedRegex("^(?=.{2,60}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlugChars();
}

/// <summary>A threshold's allowed range and unit.</summary>
public sealed record SettingRange(string Field, string Label, string Unit, int Min, int Max);
