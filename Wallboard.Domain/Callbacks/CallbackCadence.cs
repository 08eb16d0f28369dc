using System.Globalization;
using Wallboard.Domain.Stores;

namespace Wallboard.Domain.Callbacks;

/// <summary>
/// When to try a caller again after an attempt that did not reach them (§6), as a store setting:
/// a comma-separated list of steps, one per unsuccessful attempt. <c>30m</c> and <c>1h</c> are
/// minutes and hours of business time; <c>1bd</c> and <c>3bd</c> are the opening of the first and
/// third business day after the attempt. The default, <c>1h, 1bd, 3bd</c>, gives four attempts in
/// all: after the fourth without reaching the caller the call-back closes as unreached.
/// </summary>
public sealed class CallbackCadence
{
    public const string Default = "1h, 1bd, 3bd";

    private CallbackCadence(IReadOnlyList<CadenceStep> steps) => Steps = steps;

    public IReadOnlyList<CadenceStep> Steps { get; }

    /// <summary>Reads a cadence; an empty text is the default cadence.</summary>
    public static CallbackCadence Parse(string? text)
    {
        if (!TryParse(text, out var cadence, out var error))
        {
            throw new FormatException(error);
        }

        return cadence;
    }

    public static bool TryParse(string? text, out CallbackCadence cadence, out string? error)
    {
        cadence = null!;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            text = Default;
        }

        var steps = new List<CadenceStep>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (unit, digits) = part.EndsWith("bd", StringComparison.OrdinalIgnoreCase) ? (CadenceUnit.BusinessDays, part[..^2])
                : part.EndsWith('h') || part.EndsWith('H') ? (CadenceUnit.BusinessHours, part[..^1])
                : part.EndsWith('m') || part.EndsWith('M') ? (CadenceUnit.BusinessMinutes, part[..^1])
                : ((CadenceUnit?)null, part);
            if (unit is null || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount is <= 0 or > 10_000)
            {
                error = $"'{part}' is not a cadence step: use minutes (30m), hours (1h) or business days (1bd).";
                return false;
            }

            steps.Add(new CadenceStep(amount, unit.Value));
        }

        if (steps.Count is 0 or > 10)
        {
            error = "A cadence has between one and ten steps.";
            return false;
        }

        cadence = new CallbackCadence(steps);
        return true;
    }

    /// <summary>When to try again after the <paramref name="unsuccessfulAttempts"/>-th attempt that missed the caller; null when none is left.</summary>
    public DateTimeOffset? NextAttempt(StoreCalendar calendar, Department department, DateTimeOffset attemptAt, int unsuccessfulAttempts)
    {
        if (unsuccessfulAttempts < 1 || unsuccessfulAttempts > Steps.Count)
        {
            return null;
        }

        var step = Steps[unsuccessfulAttempts - 1];
        return step.Unit switch
        {
            CadenceUnit.BusinessDays => BusinessClock.OpeningOfBusinessDay(calendar, department, attemptAt, step.Amount),
            CadenceUnit.BusinessHours => BusinessClock.Add(calendar, department, attemptAt, TimeSpan.FromHours(step.Amount)),
            _ => BusinessClock.Add(calendar, department, attemptAt, TimeSpan.FromMinutes(step.Amount)),
        };
    }

    public override string ToString() => string.Join(", ", Steps);
}

public enum CadenceUnit
{
    BusinessMinutes = 0,
    BusinessHours = 1,
    BusinessDays = 2,
}

public sealed record CadenceStep(int Amount, CadenceUnit Unit)
{
    public override string ToString() => Unit switch
    {
        CadenceUnit.BusinessDays => Amount.ToString(CultureInfo.InvariantCulture) + "bd",
        CadenceUnit.BusinessHours => Amount.ToString(CultureInfo.InvariantCulture) + "h",
        _ => Amount.ToString(CultureInfo.InvariantCulture) + "m",
    };

    /// <summary>Words for a person: "1 h", "next business day", "3 business days".</summary>
    public string Describe() => Unit switch
    {
        CadenceUnit.BusinessDays when Amount == 1 => "next business day",
        CadenceUnit.BusinessDays => $"{Amount.ToString(CultureInfo.InvariantCulture)} business days",
        CadenceUnit.BusinessHours => $"+{Amount.ToString(CultureInfo.InvariantCulture)} h",
        _ => $"+{Amount.ToString(CultureInfo.InvariantCulture)} min",
    };
}
