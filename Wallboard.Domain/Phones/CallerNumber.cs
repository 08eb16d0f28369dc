using PhoneNumbers;

namespace Wallboard.Domain.Phones;

/// <summary>
/// A caller's number as the product keeps it: E.164 when the phone system gave something we can
/// parse, <see cref="IsWithheld"/> when the caller hid it, and the raw text otherwise (kept so a
/// manager can still see what arrived).
/// </summary>
public sealed record CallerNumber
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    // What phone systems put in the caller id when the caller withheld it (Asterisk, Twilio,
    // carriers): the one list, for the adapters (WithheldOrGiven) and for parsing alike. Twilio
    // sends +266696687 ("ANONYMOUS" on a keypad) and +7378742833 ("RESTRICTED").
    private static readonly HashSet<string> WithheldMarkers = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "anonymous", "private", "restricted", "unknown", "unavailable", "withheld",
        "blocked", "no caller id", "nocallerid", "0", "00", "000", "0000000000",
        "+266696687", "266696687", "+7378742833", "7378742833", "+86282452253", "+8656696",
    };

    private CallerNumber(string? e164, string? raw, bool isWithheld)
    {
        E164 = e164;
        Raw = raw;
        IsWithheld = isWithheld;
    }

    /// <summary>
    /// The number in E.164 (<c>+13125550142</c>), or null when withheld or unparseable; for an
    /// anonymized caller its <see cref="CallerPseudonym"/>.
    /// </summary>
    public string? E164 { get; }

    /// <summary>What the phone system sent, as sent.</summary>
    public string? Raw { get; }

    public bool IsWithheld { get; }

    public static CallerNumber Withheld { get; } = new(null, null, true);

    /// <summary>
    /// Reads a caller id in any common format. National numbers are read in the store's country
    /// (ISO 3166 alpha-2, e.g. "US"); "+…" and "00…" numbers are international anywhere.
    /// </summary>
    public static CallerNumber Parse(string? raw, string defaultRegion)
    {
        var trimmed = raw?.Trim() ?? string.Empty;
        if (CallerPseudonym.IsPseudonym(trimmed))
        {
            // An anonymized caller keeps its pseudonym in the number's place (same caller, no number).
            return new CallerNumber(trimmed, null, false);
        }

        if (IsWithheldMarker(trimmed))
        {
            return new CallerNumber(null, string.IsNullOrEmpty(trimmed) ? null : trimmed, true);
        }

        var e164 = TryNormalize(trimmed, defaultRegion);
        return new CallerNumber(e164, trimmed, false);
    }

    /// <summary>E.164 for a number we can parse as a possible phone number, otherwise null.</summary>
    public static string? TryNormalize(string? raw, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var text = raw.Trim();
        if (text.StartsWith("00", StringComparison.Ordinal))
        {
            text = "+" + text[2..];
        }

        try
        {
            var number = Util.Parse(text, defaultRegion);
            return Util.IsPossibleNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>The form a public screen may show (§5): the last four digits only.</summary>
    public string Masked => IsWithheld ? "Private" : PhoneMasking.Mask(E164 ?? Raw);

    /// <summary>The caller was anonymized: <see cref="E164"/> holds a pseudonym, not a number.</summary>
    public bool IsAnonymized => CallerPseudonym.IsPseudonym(E164);

    /// <summary>
    /// A caller id as a phone system handed it over, trimmed, or null when the caller withheld it
    /// (or there is none): what the adapters put in an event's <c>from</c>.
    /// </summary>
    public static string? GivenOrNull(string? callerId)
    {
        var trimmed = callerId?.Trim() ?? string.Empty;
        return IsWithheldMarker(trimmed) ? null : trimmed;
    }

    private static bool IsWithheldMarker(string text)
    {
        if (WithheldMarkers.Contains(text))
        {
            return true;
        }

        // A caller id with no digit at all ("Anonymous <anonymous>") cannot be called back.
        return !text.Any(char.IsAsciiDigit);
    }
}
