using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;

namespace Wallboard.Web.Live;

/// <summary>
/// What one of today's calls adds to its board's day: the facts the metrics' queries count for it
/// (<see cref="CallGroup.OfCall"/>), its salesperson, its rings that ended unanswered, and, when it
/// was missed, its caller and the two facts its recovery is decided on.
/// </summary>
public sealed record DayCall(
    long Id,
    DateTimeOffset StartedAt,
    int? LeadSourceId,
    CallOutcome? Outcome,
    bool Ended,
    bool Answered,
    int? WaitSeconds,
    int HoldCount,
    int HoldSeconds,
    int? AnsweredBySalespersonId,
    IReadOnlyList<int> NoAnswerRings,
    string? CallerE164,
    string? CallerRaw,
    bool CallerWithheld,
    string? CallerName,
    CallbackResolution? CompletedAs,
    bool GotThroughLater)
{
    public bool IsMissed => Outcome is { } outcome && outcome.IsMissed();

    /// <summary>The recovery of a missed call (<see cref="MissedRecoveries.Of"/>); null for one that is not missed.</summary>
    public MissedRecovery? Recovery => MissedRecoveries.Of(Outcome, CompletedAs, GotThroughLater);

    /// <summary>The call's facts, from its stored row (its rings loaded); recovery facts as given.</summary>
    public static DayCall Of(Call call, CallbackResolution? completedAs, bool gotThroughLater)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new DayCall(
            call.Id, call.StartedAt, call.LeadSourceId, call.Outcome, call.EndedAt is not null, call.AnsweredAt is not null,
            call.WaitSeconds, call.HoldCount, call.HoldSeconds, call.AnsweredBySalespersonId,
            NoAnswerRingsOf(call.Rings),
            call.CallerE164, call.CallerRaw, call.CallerWithheld, call.CallerName, completedAs, gotThroughLater);
    }

    /// <summary>The salesperson of each ring that ended unanswered (the leaderboard's "missed while rung"), in order.</summary>
    public static IReadOnlyList<int> NoAnswerRingsOf(IEnumerable<CallRing> rings) =>
        [.. rings.Where(r => r.Result == RingResult.NoAnswer && r.SalespersonId is not null).Select(r => r.SalespersonId!.Value).Order()];

    /// <summary>What the call adds to the day's totals, by the domain's rules (the same as a group of one in SQL).</summary>
    public CallTotals Totals(int serviceLevelSeconds)
    {
        var calls = CallTotals.Of(CallGroup.OfCall(LeadSourceId, Outcome, Ended, Answered, WaitSeconds, HoldCount, HoldSeconds, firstTimeCaller: false, serviceLevelSeconds));
        return Outcome is { } outcome && outcome.IsMissed()
            ? calls.Plus(CallTotals.Of(new MissedGroup(0, LeadSourceId, outcome, CompletedAs, GotThroughLater, 1)))
            : calls;
    }

    /// <summary>Whether two facts of a call are the same (the rings compared by value).</summary>
    public bool SameAs(DayCall other) =>
        other is not null && this with { NoAnswerRings = [] } == other with { NoAnswerRings = [] } && NoAnswerRings.SequenceEqual(other.NoAnswerRings);
}

/// <summary>
/// Today's figures of one board, kept in memory and updated call by call: each of today's calls
/// keeps what it added (<see cref="DayCall"/>), so a change takes the old contribution away and
/// adds the new one (a call answered after ringing, a late event, a call that moves to another
/// store or department all stay exact). Call-backs add the speed to call-back. Not thread-safe:
/// its owner (<see cref="LiveBoard"/>) guards it.
/// </summary>
/// <remarks>
/// The board does not show first-time callers, so they are not kept (the database's figures are
/// compared without them). The longest wait and hold are kept as each call's values in order, so
/// no change costs a walk over the day's calls.
/// </remarks>
public sealed class BoardDay(DateTimeOffset start, DateTimeOffset end, int serviceLevelSeconds)
{
    private readonly Dictionary<long, (DayCall Call, CallTotals Totals)> _calls = [];
    // By lead source; 0 for calls to numbers the store does not know (source ids start at 1).
    private readonly Dictionary<int, (int Calls, CallTotals Totals)> _sources = [];
    private readonly Dictionary<int, int> _answeredBy = [];
    private readonly Dictionary<int, int> _missedWhileRung = [];
    private readonly SortedSet<(DateTimeOffset StartedAt, long Id)> _missed = new(MissedOrder.Instance);
    private readonly Dictionary<string, HashSet<long>> _missedByNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<long, double> _speedToCallback = [];
    // Every call's longest wait and hold, so the day's longest is the largest at any moment, however
    // often a call's facts are replaced (a running maximum cannot forget a call that changed).
    private readonly SortedSet<(int Seconds, long Id)> _waits = [];
    private readonly SortedSet<(int Seconds, long Id)> _holds = [];
    private CallTotals _totals = CallTotals.None;

    public DateTimeOffset Start { get; } = start;

    public DateTimeOffset End { get; } = end;

    public int ServiceLevelSeconds { get; } = serviceLevelSeconds;

    public int Count => _calls.Count;

    public IEnumerable<DayCall> Calls => _calls.Values.Select(c => c.Call);

    public IReadOnlyDictionary<long, double> SpeedToCallback => _speedToCallback;

    public bool Covers(DateTimeOffset startedAt) => startedAt >= Start && startedAt < End;

    public DayCall? Find(long callId) => _calls.TryGetValue(callId, out var found) ? found.Call : null;

    /// <summary>Today's missed calls of this caller number.</summary>
    public IReadOnlyCollection<long> MissedOf(string number) => _missedByNumber.TryGetValue(number, out var ids) ? ids : [];

    /// <summary>Adds the call, or replaces what it added before with its new facts.</summary>
    public void Set(DayCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        Remove(call.Id);
        var totals = call.Totals(ServiceLevelSeconds);
        _calls[call.Id] = (call, totals);
        _totals = _totals.Plus(totals);
        if (totals.LongestWaitSeconds is { } wait)
        {
            _waits.Add((wait, call.Id));
        }

        if (totals.LongestHoldSeconds is { } hold)
        {
            _holds.Add((hold, call.Id));
        }

        var source = _sources.GetValueOrDefault(call.LeadSourceId ?? 0, (Calls: 0, Totals: CallTotals.None));
        _sources[call.LeadSourceId ?? 0] = (source.Calls + 1, source.Totals.Plus(totals));
        if (call.AnsweredBySalespersonId is { } person)
        {
            Bump(_answeredBy, person, 1);
        }

        foreach (var rung in call.NoAnswerRings)
        {
            Bump(_missedWhileRung, rung, 1);
        }

        if (call.IsMissed)
        {
            _missed.Add((call.StartedAt, call.Id));
            if (call.CallerE164 is { } number)
            {
                if (!_missedByNumber.TryGetValue(number, out var ids))
                {
                    _missedByNumber[number] = ids = [];
                }

                ids.Add(call.Id);
            }
        }
    }

    /// <summary>Takes away what the call added (it ended up on another board, or another day).</summary>
    public bool Remove(long callId)
    {
        if (!_calls.Remove(callId, out var old))
        {
            return false;
        }

        var (call, totals) = old;
        _totals = _totals.Minus(totals);
        if (totals.LongestWaitSeconds is { } wait)
        {
            _waits.Remove((wait, callId));
        }

        if (totals.LongestHoldSeconds is { } hold)
        {
            _holds.Remove((hold, callId));
        }

        var source = _sources[call.LeadSourceId ?? 0];
        if (source.Calls == 1)
        {
            _sources.Remove(call.LeadSourceId ?? 0);
        }
        else
        {
            _sources[call.LeadSourceId ?? 0] = (source.Calls - 1, source.Totals.Minus(totals));
        }

        if (call.AnsweredBySalespersonId is { } person)
        {
            Bump(_answeredBy, person, -1);
        }

        foreach (var rung in call.NoAnswerRings)
        {
            Bump(_missedWhileRung, rung, -1);
        }

        if (call.IsMissed)
        {
            _missed.Remove((call.StartedAt, call.Id));
            if (call.CallerE164 is { } number && _missedByNumber.TryGetValue(number, out var ids))
            {
                ids.Remove(call.Id);
                if (ids.Count == 0)
                {
                    _missedByNumber.Remove(number);
                }
            }
        }

        return true;
    }

    /// <summary>Sets (null: clears) a call-back's minutes from the first miss to the first attempt.</summary>
    public void SetSpeedToCallback(long callbackId, double? minutes)
    {
        if (minutes is { } value)
        {
            _speedToCallback[callbackId] = value;
        }
        else
        {
            _speedToCallback.Remove(callbackId);
        }
    }

    /// <summary>The minutes the speed-to-call-back figure counts: from the first missed call to the first attempt (as the metrics' query does).</summary>
    public static double MinutesToFirstAttempt(DateTimeOffset firstMissedAt, DateTimeOffset firstAttemptAt) =>
        (firstAttemptAt.ToUnixTimeMilliseconds() - firstMissedAt.ToUnixTimeMilliseconds()) / 60_000.0;

    /// <summary>The day's figures as the board shows them, from memory only.</summary>
    public BoardQueries.DayFigures Figures()
    {
        _totals = _totals with
        {
            LongestWaitSeconds = _waits.Count == 0 ? null : _waits.Max.Seconds,
            LongestHoldSeconds = _holds.Count == 0 ? null : _holds.Max.Seconds,
        };

        var latestMissed = _missed.Take(MissedTile.MaxListed)
            .Select(m => _calls[m.Id].Call)
            .Select(c => new BoardQueries.MissedRow(
                c.Id, c.StartedAt, c.Outcome!.Value, c.CallerE164, c.CallerRaw, c.CallerWithheld, c.CallerName, c.LeadSourceId,
                c.Recovery ?? MissedRecovery.StillOpen))
            .ToList();
        var speed = _speedToCallback.Count == 0
            ? SpeedToCallbackTile.NotYet
            : new SpeedToCallbackTile(Median.Of(_speedToCallback.Values), _speedToCallback.Count);
        return new BoardQueries.DayFigures(
            _totals,
            latestMissed,
            new Dictionary<int, int>(_answeredBy),
            new Dictionary<int, int>(_missedWhileRung),
            _sources.Select(s => new BoardQueries.SourceCount(s.Key == 0 ? null : s.Key, s.Value.Totals.Offered, s.Value.Totals.Missed)).ToList(),
            speed);
    }

    /// <summary>
    /// The figures added up again from the calls kept (not from the running counters): what the
    /// self-check holds the counters against, to find a counter that went wrong.
    /// </summary>
    public BoardQueries.DayFigures Recount()
    {
        var again = new BoardDay(Start, End, ServiceLevelSeconds);
        foreach (var (call, _) in _calls.Values)
        {
            again.Set(call);
        }

        foreach (var (id, minutes) in _speedToCallback)
        {
            again.SetSpeedToCallback(id, minutes);
        }

        return again.Figures();
    }

    /// <summary>Test hook: makes a running counter wrong, as a bug would, for the self-check to find.</summary>
    internal void CorruptTotalsForTest(Func<CallTotals, CallTotals> change) => _totals = change(_totals);

    private static void Bump(Dictionary<int, int> counts, int key, int by)
    {
        var count = counts.GetValueOrDefault(key) + by;
        if (count == 0)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key] = count;
        }
    }

    // Newest first, then the higher id: the order the missed tile lists.
    private sealed class MissedOrder : IComparer<(DateTimeOffset StartedAt, long Id)>
    {
        public static readonly MissedOrder Instance = new();

        public int Compare((DateTimeOffset StartedAt, long Id) x, (DateTimeOffset StartedAt, long Id) y)
        {
            var byStart = y.StartedAt.CompareTo(x.StartedAt);
            return byStart != 0 ? byStart : y.Id.CompareTo(x.Id);
        }
    }
}

/// <summary>The differences between two versions of a board's day figures, in words for the log.</summary>
public static class DayFiguresDiff
{
    /// <summary>What differs between <paramref name="expected"/> (by default the database's) and <paramref name="actual"/> (memory); empty when nothing does.</summary>
    public static List<string> Of(BoardQueries.DayFigures expected, BoardQueries.DayFigures actual, string expectedFrom = "database")
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var differences = new List<string>();
        // The board does not show first-time callers; the database's figures may count them.
        var (t1, t2) = (expected.Totals with { FirstTimeCallers = 0, UniqueCallers = 0 }, actual.Totals with { FirstTimeCallers = 0, UniqueCallers = 0 });
        if (t1 != t2)
        {
            foreach (var property in typeof(CallTotals).GetProperties().Where(p => p.GetIndexParameters().Length == 0))
            {
                var (a, b) = (property.GetValue(t1), property.GetValue(t2));
                if (!Equals(a, b))
                {
                    differences.Add($"{property.Name} {b} ({expectedFrom} {a})");
                }
            }
        }

        Compare(differences, expectedFrom, "answered by", expected.AnsweredBy, actual.AnsweredBy);
        Compare(differences, expectedFrom, "missed while rung", expected.MissedWhileRung, actual.MissedWhileRung);
        Compare(
            differences,
            expectedFrom,
            "sources",
            expected.Sources.ToDictionary(s => s.LeadSourceId ?? 0, s => (s.Calls, s.Missed)),
            actual.Sources.ToDictionary(s => s.LeadSourceId ?? 0, s => (s.Calls, s.Missed)));
        if (!expected.LatestMissed.SequenceEqual(actual.LatestMissed))
        {
            differences.Add($"latest missed calls [{string.Join(", ", actual.LatestMissed.Select(m => $"{m.Id}:{m.Recovery}"))}] ({expectedFrom} [{string.Join(", ", expected.LatestMissed.Select(m => $"{m.Id}:{m.Recovery}"))}])");
        }

        if (expected.SpeedToCallback != actual.SpeedToCallback)
        {
            differences.Add($"speed to call-back {actual.SpeedToCallback} ({expectedFrom} {expected.SpeedToCallback})");
        }

        return differences;
    }

    private static void Compare<TValue>(List<string> differences, string expectedFrom, string what, IReadOnlyDictionary<int, TValue> expected, IReadOnlyDictionary<int, TValue> actual)
    {
        var keys = expected.Keys.Union(actual.Keys).Order().ToList();
        var differing = keys.Where(k => !(expected.TryGetValue(k, out var a) & actual.TryGetValue(k, out var b)) || !Equals(a, b)).ToList();
        if (differing.Count > 0)
        {
            differences.Add($"{what}: " + string.Join(", ", differing.Select(k => $"{k} {Shown(actual, k)} ({expectedFrom} {Shown(expected, k)})")));
        }
    }

    private static string Shown<TValue>(IReadOnlyDictionary<int, TValue> values, int key) => values.TryGetValue(key, out var value) ? $"{value}" : "none";
}
