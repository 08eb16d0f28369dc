using System.Collections.Concurrent;
using System.Diagnostics;
using Wallboard.Domain.Calls;

namespace Wallboard.Bench.Load;

/// <summary>
/// One stamped probe: a new call whose caller number ends in four digits no other call of the run
/// has, posted at a known moment (the bench's monotonic clock for the hub clients, Unix
/// milliseconds for the browser's <c>Date.now()</c>), so every screen can tell when it first shows it.
/// </summary>
internal sealed class Probe(int number, int phase, string suffix, string callId)
{
    public int Number { get; } = number;

    /// <summary>Which phase of the scenario posted it (idle, loaded).</summary>
    public int Phase { get; } = phase;

    /// <summary>The last four digits of its caller: what a masked screen shows (•••-•••-2017).</summary>
    public string Suffix { get; } = suffix;

    public string CallId { get; } = callId;

    /// <summary><see cref="Stopwatch.GetTimestamp"/> when its POST started.</summary>
    public long PostedTimestamp { get; private set; }

    /// <summary>Unix milliseconds when its POST started, to compare with a browser's <c>Date.now()</c>.</summary>
    public long PostedUnixMs { get; private set; }

    /// <summary>Its POST's acknowledgement time; null when the POST failed.</summary>
    public double? AckMs { get; set; }

    public void MarkPosted()
    {
        PostedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        PostedTimestamp = Stopwatch.GetTimestamp();
    }
}

/// <summary>
/// The probes of a run, found by the suffix a screen shows. The background traffic's callers end
/// in 0100–0199 (<see cref="CallScripts"/>); probes take 2000–9999, each once.
/// </summary>
/// <remarks>
/// Probes are dated back in time, each earlier than the one before: the TV lists the longest
/// waits first and only three of them, so the newest probe must sort first to be seen at all
/// while hundreds of background calls wait. What the app does with an event (store it, project
/// the call, rebuild the board) does not depend on its date.
/// </remarks>
internal sealed class ProbeBook(string runId, StoreLine line, DateTimeOffset datedFrom)
{
    public const int Capacity = 8000;

    private readonly ConcurrentDictionary<string, Probe> _bySuffix = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Probe> _all = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public IEnumerable<Probe> All => _all;

    /// <summary>The probe a masked or full caller shown on a screen belongs to, if any.</summary>
    public Probe? Find(string? caller) =>
        caller is { Length: >= 4 } && _bySuffix.TryGetValue(caller[^4..], out var probe) ? probe : null;

    /// <summary>A new probe, known to the screens before it is posted; null once the run used every suffix.</summary>
    public Probe? Next(int phase)
    {
        var number = Interlocked.Increment(ref _count) - 1;
        if (number >= Capacity)
        {
            return null;
        }

        var suffix = (2000 + number).ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
        var probe = new Probe(number, phase, suffix, $"probe-{runId}-{number}");
        _bySuffix[suffix] = probe;
        _all.Add(probe);
        return probe;
    }

    /// <summary>The probe's call begins (waiting, not yet answered).</summary>
    public CallEvent Started(Probe probe) => new()
    {
        EventId = $"{probe.CallId}-1",
        CallId = probe.CallId,
        Type = CallEventType.Started,
        At = datedFrom.AddMilliseconds(-20.0 * probe.Number),
        Sequence = 1,
        From = $"+1312555{probe.Suffix}",
        To = line.E164,
    };

    /// <summary>The caller hangs up, so the board is left clean.</summary>
    public static CallEvent Ended(Probe probe) => new()
    {
        EventId = $"{probe.CallId}-2",
        CallId = probe.CallId,
        Type = CallEventType.Ended,
        At = DateTimeOffset.UtcNow,
        Sequence = 2,
        EndedBy = CallEndedBy.Caller,
    };
}
