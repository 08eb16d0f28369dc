using System.Security.Cryptography;
using System.Text;

namespace Wallboard.Web.Ingest.Twilio;

/// <summary>The verdict on a request's <c>X-Twilio-Signature</c>; the endpoint answers 401 unless <see cref="Valid"/>.</summary>
public enum TwilioSignatureCheck
{
    Valid,
    Missing,
    Mismatch,
}

/// <summary>
/// Twilio's request signature (https://www.twilio.com/docs/usage/webhooks/webhooks-security): the full URL
/// Twilio requested, query string included, followed by each POST parameter's name and value, sorted by
/// name, with no delimiters; HMAC-SHA1 keyed with the account's auth token; base64.
/// </summary>
/// <remarks>
/// Twilio does not always sign the URL the way it was configured: its own helper libraries (twilio-csharp
/// <c>RequestValidator.Validate</c>, and the Node and Python validators) accept the URL with its port
/// removed and with the scheme's default port added (:443, :80), because "sig generation on back end is
/// inconsistent". We accept exactly those variants, and nothing looser. The rest of the URL is used
/// byte for byte as given: the endpoint must pass the public URL as Twilio requested it (scheme and host
/// as seen outside any proxy, query string still percent-encoded as received).
/// </remarks>
public static class TwilioSignature
{
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>The signature Twilio would send for this URL and form.</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(formParameters);
        return Convert.ToBase64String(Hash(authToken, url, SignedParameters(formParameters)));
    }

    /// <summary>
    /// Checks a received signature in constant time. <paramref name="formParameters"/> are the decoded
    /// form fields of a form-encoded POST (empty for a GET, whose parameters are in the URL).
    /// </summary>
    public static TwilioSignatureCheck Check(
        string authToken,
        string url,
        IEnumerable<KeyValuePair<string, string>> formParameters,
        string? signature)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(formParameters);

        if (string.IsNullOrWhiteSpace(signature))
        {
            return TwilioSignatureCheck.Missing;
        }

        var received = Encoding.ASCII.GetBytes(signature.Trim());
        var parameters = SignedParameters(formParameters);
        var valid = false;
        foreach (var candidate in UrlVariants(url))
        {
            var expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(Hash(authToken, candidate, parameters)));
            valid |= CryptographicOperations.FixedTimeEquals(expected, received);
        }

        return valid ? TwilioSignatureCheck.Valid : TwilioSignatureCheck.Mismatch;
    }

    /// <summary>The URL as given, without its port, and with the scheme's default port when it has none.</summary>
    internal static IReadOnlyList<string> UrlVariants(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return [url];
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var authority = url[authorityStart..authorityEnd];
        var hostStart = authority.LastIndexOf('@') + 1; // keeps user:password@, as Twilio's libraries do
        var portColon = authority.LastIndexOf(':');
        var hasPort = portColon >= hostStart
            && portColon > authority.LastIndexOf(']') // an IPv6 literal's colons are not a port
            && authority[(portColon + 1)..].All(char.IsAsciiDigit)
            && portColon < authority.Length - 1;

        var prefix = url[..authorityStart];
        var rest = url[authorityEnd..];
        if (hasPort)
        {
            return [url, prefix + authority[..portColon] + rest];
        }

        var scheme = url[..schemeEnd];
        var defaultPort = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? ":443"
            : scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? ":80"
            : null;
        return defaultPort is null ? [url] : [url, prefix + authority + defaultPort + rest];
    }

    // Sorted by name (ordinal, as twilio-csharp sorts); a name sent several times contributes each distinct
    // value, sorted, as the Node and Python validators do.
    private static string SignedParameters(IEnumerable<KeyValuePair<string, string>> formParameters)
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in formParameters
                     .Select(p => (Name: p.Key, Value: p.Value ?? string.Empty))
                     .Distinct()
                     .OrderBy(p => p.Name, StringComparer.Ordinal)
                     .ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            builder.Append(name).Append(value);
        }

        return builder.ToString();
    }

#pragma warning disable CA5350 // Twilio's signature is defined as HMAC-SHA1; we verify it, we do not choose it.
    private static byte[] Hash(string authToken, string url, string parameters) =>
        HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(url + parameters));
#pragma warning restore CA5350
}
