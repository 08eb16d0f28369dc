using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wallboard.Web.Ingest.Replay;

/// <summary>
/// One line of a recording, with the time it records (null when it has none we can read) and,
/// for a line that cannot be sent, why.
/// </summary>
public sealed record ReplayRecord(int LineNumber, string Text, DateTimeOffset? At, string? Problem = null);

/// <summary>Requests to send: a chunk of records, and when to send it counted from the start of the replay.</summary>
public sealed record ReplayChunk(TimeSpan Due, IReadOnlyList<ReplayRecord> Records);

/// <summary>Reading recordings, moving their times, and cutting them into requests. Pure but for reading the file.</summary>
public static class ReplayFile
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The file's records in order; blank lines are left out.</summary>
    public static IEnumerable<ReplayRecord> Read(string path, ReplayFormat format) =>
        Parse(File.ReadLines(path, Encoding.UTF8), format);

    public static IEnumerable<ReplayRecord> Parse(IEnumerable<string> lines, ReplayFormat format)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return format == ReplayFormat.Jsonl ? JsonLine(number, line) : QueueLogLine(number, line);
        }
    }

    /// <summary>The earliest and latest recorded times, or nulls when no line has one.</summary>
    public static (DateTimeOffset? First, DateTimeOffset? Last) Span(IEnumerable<ReplayRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        DateTimeOffset? first = null, last = null;
        foreach (var at in records.Select(r => r.At).OfType<DateTimeOffset>())
        {
            first = first is null || at < first ? at : first;
            last = last is null || at > last ? at : last;
        }

        return (first, last);
    }

    /// <summary>
    /// How far to move every time so that the earliest (or latest) becomes <paramref name="now"/>,
    /// in whole seconds so that a queue_log's epochs stay whole and every interval is kept exactly.
    /// </summary>
    public static TimeSpan ShiftFor(TimeShift shift, DateTimeOffset? first, DateTimeOffset? last, DateTimeOffset now)
    {
        var anchor = shift switch
        {
            TimeShift.FirstToNow => first,
            TimeShift.LastToNow => last,
            _ => null,
        };
        return anchor is { } at ? TimeSpan.FromSeconds(Math.Floor((now - at).TotalSeconds)) : TimeSpan.Zero;
    }

    /// <summary>The record with its time moved by <paramref name="by"/> (jsonl: <c>at</c>; queue_log: the epoch field).</summary>
    public static ReplayRecord Shift(ReplayRecord record, TimeSpan by, ReplayFormat format)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (by == TimeSpan.Zero || record.At is not { } at || record.Problem is not null)
        {
            return record;
        }

        var moved = at + by;
        if (format == ReplayFormat.Asterisk)
        {
            var bar = record.Text.IndexOf('|', StringComparison.Ordinal);
            var epoch = moved.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            return record with { Text = epoch + record.Text[bar..], At = moved };
        }

        var json = JsonNode.Parse(record.Text)!.AsObject();
        json["at"] = FormatInstant(moved);
        return record with { Text = json.ToJsonString(Compact), At = moved };
    }

    /// <summary>
    /// Cuts the records into requests of at most <paramref name="batchSize"/> records and
    /// <paramref name="maxBytes"/> bytes. Without a speed every chunk is due at once; with one,
    /// a chunk holds records of the same instant and is due at that instant's place in the
    /// recording divided by the speed (records with no time go with the one before them).
    /// </summary>
    public static IEnumerable<ReplayChunk> Chunks(
        IEnumerable<ReplayRecord> records, int batchSize, int maxBytes, double? speed, DateTimeOffset? first)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var chunk = new List<ReplayRecord>();
        var bytes = 0;
        var due = TimeSpan.Zero;
        foreach (var record in records)
        {
            var recordDue = speed is { } s && record.At is { } at && first is { } start
                ? TimeSpan.FromTicks((long)((at - start).Ticks / s))
                : due;
            if (recordDue < due)
            {
                // Out of order in the file: it is late already, send it with what is due now.
                recordDue = due;
            }

            var size = Encoding.UTF8.GetByteCount(record.Text) + 1;
            if (chunk.Count > 0 && (recordDue != due || chunk.Count >= batchSize || bytes + size > maxBytes))
            {
                yield return new ReplayChunk(due, chunk);
                chunk = [];
                bytes = 0;
            }

            due = recordDue;
            chunk.Add(record);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            yield return new ReplayChunk(due, chunk);
        }
    }

    /// <summary>The request body of a chunk: a JSON array of the events, or the queue_log lines.</summary>
    public static byte[] Body(IReadOnlyList<ReplayRecord> records, ReplayFormat format)
    {
        ArgumentNullException.ThrowIfNull(records);
        var text = format == ReplayFormat.Jsonl
            ? "[" + string.Join(",", records.Select(r => r.Text)) + "]"
            : string.Concat(records.Select(r => r.Text + "\n"));
        return Encoding.UTF8.GetBytes(text);
    }

    internal static string FormatInstant(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static ReplayRecord JsonLine(int number, string line)
    {
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(line);
        }
        catch (JsonException ex)
        {
            // Sent in a batch it would spoil the whole array: it stays here, with the reason.
            return new ReplayRecord(number, line, null, $"not JSON ({ex.Message})");
        }

        DateTimeOffset? at = null;
        if (json is JsonObject obj
            && obj["at"] is JsonValue value
            && value.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            at = parsed.ToUniversalTime();
        }

        return new ReplayRecord(number, line, at);
    }

    private static ReplayRecord QueueLogLine(int number, string line)
    {
        var bar = line.IndexOf('|', StringComparison.Ordinal);
        DateTimeOffset? at = null;
        if (bar > 0
            && long.TryParse(line.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            && epoch is > 0 and < 253_402_300_800)
        {
            at = DateTimeOffset.FromUnixTimeSeconds(epoch);
        }

        // A line without an epoch is still sent: the server judges it and says why it refuses it.
        return new ReplayRecord(number, line, at);
    }
}
