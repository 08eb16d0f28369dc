namespace Wallboard.Web.Ingest.Asterisk;

/// <summary>
/// One line of an Asterisk/FreePBX <c>queue_log</c>: <c>epoch|callid|queue|agent|EVENT|data1|data2|...</c>.
/// Kept close to the text so the mapper, not the parser, decides what an event means.
/// </summary>
/// <param name="LineNumber">1-based position in the posted text, so a rejection can point at it.</param>
/// <param name="EpochText">The epoch exactly as written: event ids are built from it, so a re-posted file
/// yields the same ids even where a decimal round-trip would not.</param>
/// <param name="Epoch">Unix seconds; Asterisk writes whole seconds, some loggers add a fraction.</param>
/// <param name="CallId">The caller channel's unique id, or <c>NONE</c> for lines about the queue itself.</param>
/// <param name="Agent">The queue member name as Asterisk logs it (<c>Agent/1127</c>, <c>SIP/101</c>, a
/// person's name…), or <c>NONE</c>.</param>
/// <param name="Data">The fields after the event name, possibly empty strings, possibly none.</param>
public sealed record QueueLogLine(
    int LineNumber,
    string EpochText,
    decimal Epoch,
    string CallId,
    string Queue,
    string Agent,
    string Event,
    IReadOnlyList<string> Data)
{
    public DateTimeOffset At => DateTimeOffset.UnixEpoch.AddTicks((long)(Epoch * TimeSpan.TicksPerSecond));

    /// <summary>The data field at a 0-based position (data1 is 0), or null when the line has fewer.</summary>
    public string? DataAt(int index) => index < Data.Count ? Data[index] : null;
}

/// <summary>A line that was refused, with a reason a person can act on.</summary>
public sealed record QueueLogLineError(int LineNumber, string Reason);

/// <summary>A line that was understood and deliberately produces no call event.</summary>
public sealed record QueueLogIgnoredLine(int LineNumber, string Event, string Reason);

/// <summary>What <see cref="QueueLogParser"/> made of a text: the lines it could read and the ones it could not.</summary>
public sealed record QueueLogParseResult(IReadOnlyList<QueueLogLine> Lines, IReadOnlyList<QueueLogLineError> Errors);
