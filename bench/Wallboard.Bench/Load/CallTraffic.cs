using Wallboard.Domain.Calls;

namespace Wallboard.Bench.Load;

/// <summary>
/// Live traffic: a fixed number of calls in progress at once, each following its script, their
/// events interleaved as a busy phone system's are. Each event taken belongs to a call picked at
/// random; a call that ends is replaced by a new one. Call ids are unique per run.
/// </summary>
/// <remarks>
/// Events are dated when they are taken, not by the script's offsets: the app refuses events more
/// than five minutes ahead of its clock, and a board fed by a load test then shows calls moving as
/// they are posted. What the app does per event (store, project the call from all its events) does
/// not depend on how far apart they are.
/// </remarks>
internal sealed class CallTraffic
{
    private readonly Lock _lock = new();
    private readonly Random _random;
    private readonly string _runId;
    private readonly IReadOnlyList<StoreShape> _stores;
    private readonly LiveCall[] _calls;
    private long _callsMade;

    public CallTraffic(string runId, IReadOnlyList<StoreShape> stores, int callsInFlight, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(callsInFlight, 1);
        _runId = runId;
        _stores = stores;
        _random = new Random(seed);
        _calls = new LiveCall[callsInFlight];
        for (var i = 0; i < _calls.Length; i++)
        {
            _calls[i] = NewCall();
        }
    }

    /// <summary>Calls begun so far (each has sent at least its first event).</summary>
    public long CallsStarted { get; private set; }

    /// <summary>Calls that sent their last event.</summary>
    public long CallsEnded { get; private set; }

    /// <summary>The next <paramref name="count"/> events of the traffic.</summary>
    public List<CallEvent> Take(int count)
    {
        var events = new List<CallEvent>(count);
        lock (_lock)
        {
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < count; i++)
            {
                var slot = _random.Next(_calls.Length);
                var call = _calls[slot];
                events.Add(call.Next(now));
                if (call.Sent == 1)
                {
                    CallsStarted++;
                }

                if (call.IsDone)
                {
                    CallsEnded++;
                    _calls[slot] = NewCall();
                }
            }
        }

        return events;
    }

    /// <summary>
    /// Ends every call that began and has not ended (the caller hangs up), so a run leaves no
    /// "waiting" rows on a real board. Not part of any measurement.
    /// </summary>
    public List<CallEvent> HangUpOpenCalls()
    {
        var events = new List<CallEvent>();
        lock (_lock)
        {
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < _calls.Length; i++)
            {
                if (_calls[i].Sent > 0)
                {
                    events.Add(_calls[i].HangUp(now));
                    CallsEnded++;
                    _calls[i] = NewCall();
                }
            }
        }

        return events;
    }

    private LiveCall NewCall() =>
        new(CallScripts.Next(_random, $"bench-{_runId}-{_callsMade++:x}", _stores));

    private sealed class LiveCall(CallPlan plan)
    {
        private DateTimeOffset _last = DateTimeOffset.MinValue;

        public int Sent { get; private set; }

        public bool IsDone => Sent == plan.Steps.Count;

        public CallEvent Next(DateTimeOffset now) => plan.EventAt(Sent++, Later(now));

        public CallEvent HangUp(DateTimeOffset now) => new()
        {
            EventId = $"{plan.CallId}-hangup",
            CallId = plan.CallId,
            Type = CallEventType.Ended,
            At = Later(now),
            EndedBy = CallEndedBy.Caller,
        };

        // A call's events keep their order in time even when taken within the same millisecond
        // (the wire format carries milliseconds).
        private DateTimeOffset Later(DateTimeOffset now)
        {
            _last = now >= _last.AddMilliseconds(1) ? now : _last.AddMilliseconds(1);
            return _last;
        }
    }
}
