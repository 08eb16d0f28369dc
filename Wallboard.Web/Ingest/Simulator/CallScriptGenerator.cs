using System.Globalization;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Ingest.Simulator;

/// <summary>
/// Writes the events of one department's calls, one call at a time in arrival order: which
/// number was dialled, who called, how the hunt group rang, who answered, holds, abandons,
/// voicemail. Pure and deterministic for a given random source. It remembers which salespeople
/// are on a call, so a busy phone is skipped and callers queue when everyone is busy, and it
/// rings the group round-robin, so the work spreads as a real queue spreads it.
/// </summary>
/// <remarks>
/// The numbers are chosen to land where dealership studies put the industry (about a third of
/// sales calls never reach a person; of those, roughly a third hang up on hold and another third
/// land in voicemail) and where the anonymous-bank data puts waits and talk times.
/// </remarks>
public sealed class CallScriptGenerator
{
    /// <summary>Callers who hang up within seconds (misdials, §3 short abandons).</summary>
    public const double ShortAbandonShare = 0.04;

    /// <summary>The hunt stops after this many phones rang out; the call goes to voicemail.</summary>
    public const int MaxRings = 3;

    /// <summary>Longest time in the queue before the phone system gives up on the hunt group.</summary>
    public static readonly TimeSpan QueueTimeout = TimeSpan.FromSeconds(90);

    /// <summary>When the hunt gives up, this share is hung up by the system instead of voicemail.</summary>
    public const double OverflowNoAnswerShare = 0.2;

    /// <summary>Answered calls on which the salesperson puts the caller on hold (checking stock).</summary>
    public const double HoldShare = 0.3;

    public const double SecondHoldShare = 0.25;

    public const double MessageLeftShare = 0.6;

    // Seconds.
    private const double FirstRingAt = 1.0;
    private const double RingNoAnswerMin = 15;
    private const double RingNoAnswerMax = 20;
    private const double AnswerDelayMin = 2.5;
    private const double AnswerDelayMax = 12;
    private const double HopGap = 0.5;
    private const double WrapUp = 10;
    private const double MinPatience = 5.5;

    // Relative weight of each lead source among sales calls; a source's numbers share its weight.
    private static readonly Dictionary<string, double> SourceWeights = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Main line"] = 30,
        ["Website"] = 24,
        ["Google Business Profile"] = 12,
        ["Cars.com"] = 12,
        ["AutoTrader"] = 8,
        ["CarGurus"] = 8,
        ["Radio"] = 3,
    };

    private const double OtherSourceWeight = 5;

    private readonly SimulatedStore _store;
    private readonly Department _department;
    private readonly Random _random;
    private readonly string _callIdPrefix;
    private readonly IReadOnlyList<SimulatedLine> _lines;
    private readonly double[] _lineWeights;
    private readonly IReadOnlyList<string> _agents;
    private readonly double[] _answerPropensity;
    private readonly DateTimeOffset[] _busyUntil;
    private readonly CallerPool _callers;
    private int _nextAgent;
    private long _calls;

    /// <param name="callIdPrefix">Makes call ids unique across runs, e.g. a random run id.</param>
    public CallScriptGenerator(SimulatedStore store, Department department, Random random, string callIdPrefix)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(random);
        _store = store;
        _department = department;
        _random = random;
        _callIdPrefix = callIdPrefix;
        _lines = store.LinesOf(department);
        if (_lines.Count == 0)
        {
            throw new ArgumentException($"Store {store.Slug} has no {department} number to call.", nameof(department));
        }

        var perSource = _lines.GroupBy(l => l.Source).ToDictionary(g => g.Key, g => g.Count());
        _lineWeights = _lines
            .Select(l => (SourceWeights.TryGetValue(l.Source, out var w) ? w : OtherSourceWeight) / perSource[l.Source])
            .ToArray();

        _agents = store.AgentsOf(department);
        // Some salespeople pick up more readily than others (the leaderboard should show it):
        // chances spread evenly from 30 % to 60 %, dealt out at random.
        _answerPropensity = _agents
            .Select((_, i) => _agents.Count == 1 ? 0.45 : 0.3 + (0.3 * i / (_agents.Count - 1)))
            .OrderBy(_ => random.Next())
            .ToArray();
        _busyUntil = new DateTimeOffset[_agents.Count];
        _nextAgent = _agents.Count == 0 ? 0 : random.Next(_agents.Count);
        _callers = new CallerPool(store.AreaCode, store.Lines.Select(l => l.Number), random);
    }

    public Department Department => _department;

    /// <summary>The events of the next call, which starts at <paramref name="start"/> (calls come in arrival order).</summary>
    public CallScript Next(DateTimeOffset start)
    {
        _calls++;
        // Whole milliseconds, the wire form's precision, so a call reads back as it was written.
        start = start.AddTicks(-(start.UtcTicks % TimeSpan.TicksPerMillisecond));
        var callId = string.Create(CultureInfo.InvariantCulture, $"{_callIdPrefix}-{_store.Id}{(_department == Department.Sales ? "s" : "v")}-{_calls:000000}");
        var line = _lines[PickWeighted(_lineWeights)];
        var caller = _callers.Next();
        var afterHours = !_store.Calendar.IsOpen(start, _department);

        var script = new Script(callId, start, _store.ShortAbandon);
        script.Add(CallEventType.Started, 0, e => e with { From = caller ?? "anonymous", To = line.Number });

        if (afterHours)
        {
            AfterHours(script);
        }
        else
        {
            script.Add(CallEventType.Queued, 0, e => e with { Group = _store.GroupOf(_department) });
            HuntGroup(script);
        }

        return new CallScript(callId, _store.Id, _department, line.Source, caller, line.Number, start, afterHours, script.Outcome!.Value, script.Events);
    }

    // Closed: an auto-attendant says so and offers the department's voicemail.
    private void AfterHours(Script script)
    {
        var r = _random.NextDouble();
        if (r < 0.08)
        {
            script.CallerHangsUp(Uniform(1.5, 4.5));
        }
        else if (r < 0.2)
        {
            script.CallerHangsUp(Uniform(MinPatience, 14));
        }
        else
        {
            Voicemail(script, Uniform(12, 20));
        }
    }

    private void HuntGroup(Script script)
    {
        if (_random.NextDouble() < ShortAbandonShare)
        {
            var (first, freeAt) = NextAgent(script.Start, FirstRingAt, []);
            if (first >= 0 && freeAt <= FirstRingAt)
            {
                script.Add(CallEventType.Ringing, FirstRingAt, e => e with { Agent = _agents[first] });
            }

            script.CallerHangsUp(Uniform(1.5, 4.5));
            return;
        }

        var patience = Math.Max(MinPatience, LogNormal(median: 90, sigma: 0.8));
        var timeout = QueueTimeout.TotalSeconds;
        var rung = new HashSet<int>();
        var t = FirstRingAt;
        while (true)
        {
            if (rung.Count >= MaxRings)
            {
                Overflow(script, t, patience);
                return;
            }

            var (agent, freeAt) = NextAgent(script.Start, t, rung);
            if (agent < 0)
            {
                // Every phone of the group has rung (or there are none): the hunt is over.
                Overflow(script, t, patience);
                return;
            }

            if (freeAt > t)
            {
                // Everyone left is on a call: the caller waits in the queue.
                if (Math.Min(freeAt, timeout) >= patience)
                {
                    script.CallerHangsUp(patience);
                    return;
                }

                if (freeAt >= timeout)
                {
                    Overflow(script, timeout, patience);
                    return;
                }

                t = freeAt;
            }

            if (rung.Count == 0)
            {
                _nextAgent = (agent + 1) % _agents.Count;
            }

            rung.Add(agent);
            var ringAt = t;
            var name = _agents[agent];
            script.Add(CallEventType.Ringing, ringAt, e => e with { Agent = name });

            if (_random.NextDouble() < _answerPropensity[agent])
            {
                var answerAt = ringAt + Uniform(AnswerDelayMin, AnswerDelayMax);
                if (answerAt >= patience)
                {
                    script.CallerHangsUp(patience);
                    return;
                }

                script.Add(CallEventType.Answered, answerAt, e => e with { Agent = name });
                Conversation(script, agent, answerAt);
                return;
            }

            var ringOut = ringAt + Uniform(RingNoAnswerMin, RingNoAnswerMax);
            if (ringOut >= patience)
            {
                script.CallerHangsUp(patience);
                return;
            }

            script.Add(CallEventType.RingNoAnswer, ringOut, e => e with { Agent = name, RingSeconds = Math.Round(ringOut - ringAt, 3) });
            t = ringOut + HopGap;
        }
    }

    // Nobody picked up: voicemail, or (some phone systems, some of the time) the system hangs up.
    private void Overflow(Script script, double at, double patience)
    {
        if (at >= patience)
        {
            script.CallerHangsUp(patience);
            return;
        }

        if (_random.NextDouble() < OverflowNoAnswerShare)
        {
            script.End(at, CallEndedBy.System);
            return;
        }

        Voicemail(script, at);
    }

    private void Voicemail(Script script, double at)
    {
        var mailbox = _store.MailboxOf(_department);
        script.Add(CallEventType.Voicemail, at, e => e with { Mailbox = mailbox });
        var left = _random.NextDouble() < MessageLeftShare;
        script.End(at + (left ? Uniform(20, 60) : Uniform(4, 12)), CallEndedBy.Caller, messageLeft: left);
    }

    // A salesperson has the caller: talk, perhaps a hold or two, and the caller may give up on hold.
    private void Conversation(Script script, int agent, double answeredAt)
    {
        var name = _agents[agent];
        var talk = Math.Clamp(LogNormal(median: 150, sigma: 0.7), 20, 1800);
        var holds = _random.NextDouble() < HoldShare ? (_random.NextDouble() < SecondHoldShare ? 2 : 1) : 0;
        var holdPatience = Math.Max(10, LogNormal(median: 130, sigma: 0.6));

        var t = answeredAt;
        var talked = 0.0;
        for (var i = 0; i < holds; i++)
        {
            var before = talk * Uniform(0.15, 0.45) / holds;
            t += before;
            talked += before;
            var hold = Math.Clamp(LogNormal(median: 45, sigma: 0.8), 8, 400);
            script.Add(CallEventType.HoldStarted, t, e => e with { Agent = name });
            if (hold > holdPatience)
            {
                var hangUp = t + holdPatience;
                script.End(hangUp, CallEndedBy.Caller);
                Busy(agent, script.Start, hangUp);
                return;
            }

            holdPatience -= hold;
            t += hold;
            script.Add(CallEventType.HoldEnded, t, e => e with { Agent = name });
        }

        var end = t + (talk - talked);
        script.End(end, _random.NextDouble() < 0.55 ? CallEndedBy.Caller : CallEndedBy.Agent);
        Busy(agent, script.Start, end);
    }

    private void Busy(int agent, DateTimeOffset start, double endSeconds) =>
        _busyUntil[agent] = start + TimeSpan.FromSeconds(endSeconds + WrapUp);

    // The next phone to ring, round-robin from where the last call started, skipping phones that
    // already rang for this call; a phone on a call is skipped while a free one is left. Returns
    // the agent and the offset at which it is free, or -1 when every phone has rung.
    private (int Agent, double FreeAt) NextAgent(DateTimeOffset start, double t, HashSet<int> rung)
    {
        var now = start + TimeSpan.FromSeconds(t);
        var soonest = -1;
        for (var k = 0; k < _agents.Count; k++)
        {
            var i = (_nextAgent + k) % _agents.Count;
            if (rung.Contains(i))
            {
                continue;
            }

            if (_busyUntil[i] <= now)
            {
                return (i, t);
            }

            if (soonest < 0 || _busyUntil[i] < _busyUntil[soonest])
            {
                soonest = i;
            }
        }

        return soonest < 0 ? (-1, t) : (soonest, (_busyUntil[soonest] - start).TotalSeconds);
    }

    private int PickWeighted(double[] weights)
    {
        var r = _random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            r -= weights[i];
            if (r < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    private double Uniform(double min, double max) => min + ((max - min) * _random.NextDouble());

    // Waits, talk and hold times are skewed: most short, a few long (log-normal).
    private double LogNormal(double median, double sigma)
    {
        var u1 = 1 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return median * Math.Exp(sigma * normal);
    }

    /// <summary>A call's events as they are written, with the outcome they add up to.</summary>
    private sealed class Script(string callId, DateTimeOffset start, TimeSpan shortAbandon)
    {
        private readonly List<CallEvent> _events = [];
        private TimeSpan _last = TimeSpan.Zero;
        private bool _answered;
        private bool _onHold;
        private bool _voicemail;

        public DateTimeOffset Start => start;

        public IReadOnlyList<CallEvent> Events => _events;

        public CallOutcome? Outcome { get; private set; }

        public void Add(CallEventType type, double seconds, Func<CallEvent, CallEvent> fill)
        {
            // Whole milliseconds (the wire form's precision), never before the previous event.
            var offset = TimeSpan.FromMilliseconds(Math.Round(seconds * 1000));
            _last = offset > _last ? offset : _last;
            var e = new CallEvent
            {
                EventId = string.Create(CultureInfo.InvariantCulture, $"{callId}-{_events.Count + 1}"),
                CallId = callId,
                Type = type,
                At = start + _last,
            };
            _events.Add(fill(e));

            switch (type)
            {
                case CallEventType.Answered:
                    _answered = true;
                    break;
                case CallEventType.HoldStarted:
                    _onHold = true;
                    break;
                case CallEventType.HoldEnded:
                    _onHold = false;
                    break;
                case CallEventType.Voicemail:
                    _voicemail = true;
                    break;
                default:
                    break;
            }
        }

        public void CallerHangsUp(double seconds) => End(seconds, CallEndedBy.Caller);

        public void End(double seconds, CallEndedBy by, bool? messageLeft = null)
        {
            Add(CallEventType.Ended, seconds, e => e with { EndedBy = by, MessageLeft = messageLeft });
            Outcome = _onHold && by != CallEndedBy.Agent ? CallOutcome.AbandonedOnHold
                : _voicemail ? CallOutcome.Voicemail
                : _answered ? CallOutcome.Connected
                : by == CallEndedBy.System ? CallOutcome.NoAnswer
                : _last < shortAbandon ? CallOutcome.ShortAbandon
                : CallOutcome.Abandoned;
        }
    }
}
