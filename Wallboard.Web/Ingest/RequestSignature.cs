using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Wallboard.Web.Ingest;

/// <summary>
/// The signature integrations put on their posts (§11):
/// <c>X-Wallboard-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")&gt;</c>.
/// The timestamp is signed with the body, so a captured request cannot be replayed later.
/// </summary>
public static class RequestSignature
{
    public const string IntegrationHeader = "X-Wallboard-Integration";
    public const string SignatureHeader = "X-Wallboard-Signature";

    /// <summary>How far the signed timestamp may be from the server's clock.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(Mac(secret, t, body))}";
    }

    /// <summary>Checks a signature header; returns null when it is good, or why it is not.</summary>
    public static string? Verify(string? header, string secret, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!TryParse(header, out var t, out var v1))
        {
            return $"The {SignatureHeader} header is missing or not of the form t=<unix seconds>,v1=<hex>.";
        }

        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > Tolerance.TotalSeconds)
        {
            return "The signature's timestamp is more than 5 minutes from the server's clock.";
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(v1);
        }
        catch (FormatException)
        {
            return "The signature is not hexadecimal.";
        }

        return CryptographicOperations.FixedTimeEquals(given, Mac(secret, t, body)) ? null : "The signature does not match the body.";
    }

    /// <summary>The v1 value of a header, to recognise a signature seen before.</summary>
    public static string? SignatureValue(string? header) => TryParse(header, out _, out var v1) ? v1 : null;

    private static bool TryParse(string? header, out string t, out string v1)
    {
        t = v1 = string.Empty;
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal))
            {
                t = part[2..];
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal))
            {
                v1 = part[3..];
            }
        }

        return t.Length > 0 && v1.Length > 0;
    }

    private static byte[] Mac(string secret, string t, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(t + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }
}
