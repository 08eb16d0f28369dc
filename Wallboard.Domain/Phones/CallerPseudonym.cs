using System.Buffers;

namespace Wallboard.Domain.Phones;

/// <summary>
/// What stands in for a caller's number once the number is anonymized: <c>~</c> and fifteen
/// base32 characters (sixteen in all, so it fits wherever an E.164 number fits). It is kept in the
/// number's place, so the calls of one caller still count as one caller, but nobody can call it
/// and no screen shows it as a number.
/// </summary>
public static class CallerPseudonym
{
    public const char Prefix = '~';
    public const int Length = 16;

    /// <summary>What screens show instead of a pseudonym.</summary>
    public const string Shown = "Anonymized";

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    /// <summary>The pseudonym made from the first 75 bits of <paramref name="digest"/> (a keyed hash or random bytes).</summary>
    public static string FromBytes(ReadOnlySpan<byte> digest)
    {
        if (digest.Length < 10)
        {
            throw new ArgumentException("At least ten bytes are needed.", nameof(digest));
        }

        Span<char> text = stackalloc char[Length];
        text[0] = Prefix;
        var bits = 0;
        var buffer = 0;
        var at = 1;
        foreach (var b in digest)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5 && at < Length)
            {
                bits -= 5;
                text[at++] = Alphabet[(buffer >> bits) & 31];
            }

            if (at == Length)
            {
                break;
            }
        }

        return new string(text);
    }

    public static bool IsPseudonym(string? text) =>
        text is { Length: Length } && text[0] == Prefix && text.AsSpan(1).IndexOfAnyExcept(AlphabetValues) < 0;
}
