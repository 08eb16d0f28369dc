namespace Wallboard.Web.Ingest;

/// <summary>
/// Caller ids as phone systems hand them over. Normalizing to E.164 is the domain's job (it knows the
/// store's country); recognizing the words a phone system writes for a withheld number is the adapter's.
/// </summary>
internal static class CallerIds
{
    private static readonly HashSet<string> WithheldWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "anonymous", "unknown", "private", "restricted", "unavailable", "withheld", "<unknown>",
    };

    /// <summary>The caller's number as given, trimmed, or null when there is none to call back.</summary>
    public static string? NumberOrNull(string? callerId)
    {
        var trimmed = callerId?.Trim();
        return string.IsNullOrEmpty(trimmed) || WithheldWords.Contains(trimmed) ? null : trimmed;
    }
}
