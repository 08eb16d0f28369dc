namespace Wallboard.Domain.Phones;

/// <summary>
/// Masking for screens that customers can see (§5): never a full number, only its last four
/// digits, in one fixed shape so the length of the number leaks nothing either.
/// </summary>
public static class PhoneMasking
{
    public const string Private = "Private";

    public static string Mask(string? number)
    {
        if (string.IsNullOrWhiteSpace(number))
        {
            return Private;
        }

        if (CallerPseudonym.IsPseudonym(number))
        {
            return CallerPseudonym.Shown;
        }

        var digits = new string(number.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0)
        {
            return Private;
        }

        var last = digits.Length >= 4 ? digits[^4..] : digits.PadLeft(4, '•');
        return "•••-•••-" + last;
    }
}
