using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Wallboard.Web.Ingest.Asterisk;

/// <summary>
/// Reads Asterisk/FreePBX <c>queue_log</c> text line by line. A line it cannot read becomes a
/// <see cref="QueueLogLineError"/> with its line number and what was wrong, never an exception: a queue
/// log is posted by a machine we do not control, and one bad line must not cost the rest of the batch.
/// </summary>
public static class QueueLogParser
{
    // epoch|callid|queue|agent|EVENT: the data fields after EVENT are optional (QUEUESTART has none).
    private const int MinimumFields = 5;

    // Unix seconds up to DateTimeOffset.MaxValue (year 9999), optionally with a fraction.
    private const decimal MaximumEpoch = 253_402_300_799m;

    /// <summary>Parses every line of <paramref name="text"/>; a final line break does not make an empty line.</summary>
    public static QueueLogParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var rawLines = text.Split('\n');
        // "a\nb\n" splits into ["a", "b", ""]: the last piece is the end of the text, not a line.
        var count = rawLines.Length > 0 && rawLines[^1].Length == 0 ? rawLines.Length - 1 : rawLines.Length;

        var lines = new List<QueueLogLine>(count);
        var errors = new List<QueueLogLineError>();
        for (var i = 0; i < count; i++)
        {
            if (TryParseLine(rawLines[i], i + 1, out var line, out var error))
            {
                lines.Add(line);
            }
            else
            {
                errors.Add(error);
            }
        }

        return new QueueLogParseResult(lines, errors);
    }

    /// <summary>Parses one line (without its line break; a trailing <c>\r</c> is tolerated).</summary>
    public static bool TryParseLine(
        string text,
        int lineNumber,
        [NotNullWhen(true)] out QueueLogLine? line,
        [NotNullWhen(false)] out QueueLogLineError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        line = null;
        error = null;

        var trimmed = text.TrimEnd('\r');
        if (string.IsNullOrWhiteSpace(trimmed))
        {
            error = new QueueLogLineError(lineNumber, $"line {lineNumber}: empty line");
            return false;
        }

        var fields = trimmed.Split('|');
        if (fields.Length < MinimumFields)
        {
            error = new QueueLogLineError(
                lineNumber,
                $"line {lineNumber}: expected at least {MinimumFields} '|'-separated fields " +
                $"(epoch|callid|queue|agent|EVENT), found {fields.Length}");
            return false;
        }

        var epochText = fields[0].Trim();
        if (!TryParseEpoch(epochText, out var epoch))
        {
            error = new QueueLogLineError(
                lineNumber,
                $"line {lineNumber}: epoch '{Shorten(epochText)}' is not a Unix time in seconds");
            return false;
        }

        var callId = fields[1].Trim();
        if (callId.Length == 0)
        {
            error = new QueueLogLineError(lineNumber, $"line {lineNumber}: call id (field 2) is empty");
            return false;
        }

        var eventName = fields[4].Trim();
        if (eventName.Length == 0)
        {
            error = new QueueLogLineError(lineNumber, $"line {lineNumber}: event name (field 5) is empty");
            return false;
        }

        line = new QueueLogLine(
            lineNumber,
            epochText,
            epoch,
            callId,
            fields[2].Trim(),
            fields[3].Trim(),
            eventName.ToUpperInvariant(),
            fields[MinimumFields..]);
        return true;
    }

    private static bool TryParseEpoch(string text, out decimal epoch)
    {
        epoch = 0;
        // Digits with an optional fraction only: no sign, exponent, thousands separator or spaces, which
        // decimal.TryParse would otherwise let through.
        if (text.Length == 0 || !text.All(c => char.IsAsciiDigit(c) || c == '.') || text.Count(c => c == '.') > 1
            || text[0] == '.' || text[^1] == '.')
        {
            return false;
        }

        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out epoch)
            && epoch > 0
            && epoch <= MaximumEpoch;
    }

    // A garbage line can be huge; the reason should stay readable.
    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
