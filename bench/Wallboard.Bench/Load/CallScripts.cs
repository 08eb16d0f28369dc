using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;

namespace Wallboard.Bench.Load;

/// <summary>One number a store is called on, with what the app attributes to it (ids are 0 when unknown).</summary>
internal sealed record StoreLine(string E164, Department Department, int TrackingNumberId = 0, int LeadSourceId = 0);

/// <summary>A store as the traffic sees it: the numbers callers dial, its hunt group, its agents' phone-system names.</summary>
internal sealed record StoreShape(int StoreId, string Group, IReadOnlyList<StoreLine> Lines, IReadOnlyList<string> Agents);

/// <summary>One step of a call's script: what happens, and when, in seconds from the call's start.</summary>
internal sealed record ScriptStep(
    CallEventType Type, double AtSeconds, string? Agent = null, double? RingSeconds = null, CallEndedBy? EndedBy = null, bool? MessageLeft = null);

/// <summary>A whole call, planned in advance: who calls which number, and the steps until it ends.</summary>
internal sealed record CallPlan(string CallId, string? From, StoreShape Store, StoreLine Line, IReadOnlyList<ScriptStep> Steps)
{
    /// <summary>The event of step <paramref name="index"/>, dated <paramref name="at"/>.</summary>
    public CallEvent EventAt(int index, DateTimeOffset at)
    {
        var step = Steps[index];
        var e = new CallEvent
        {
            EventId = $"{CallId}-{index + 1}",
            CallId = CallId,
            Type = step.Type,
            At = at,
            Sequence = index + 1,
            Agent = step.Agent,
            RingSeconds = step.RingSeconds,
            EndedBy = step.EndedBy,
            MessageLeft = step.MessageLeft,
        };
        return step.Type switch
        {
            CallEventType.Started => e with { From = From, To = Line.E164 },
            CallEventType.Queued => e with { Group = Store.Group },
            CallEventType.Voicemail => e with { Mailbox = Store.Group },
            _ => e,
        };
    }

    /// <summary>All the call's events, dated from <paramref name="start"/> by the script's offsets.</summary>
    public IReadOnlyList<CallEvent> EventsFrom(DateTimeOffset start) =>
        Steps.Select((step, i) => EventAt(i, start.AddSeconds(step.AtSeconds))).ToList();
}

/// <summary>
/// Realistic dealership calls (the shapes of DESIGN.md §3 and of the recorded queue log in
/// shared/data): a call starts, queues in the store's hunt group and rings salespeople in turn;
/// most are answered (some after a missed ring, some with a hold), some callers give up while
/// waiting (a few within seconds: short abandons), some reach voicemail, a few hang up on hold,
/// a few are ended by the phone system with nobody answering.
/// </summary>
internal static class CallScripts
{
    // Area codes around the demo stores; 555-01xx numbers are reserved for fiction, and a small
    // pool makes repeat callers, as in real traffic.
    private static readonly string[] CallerAreaCodes = ["312", "630", "708", "773", "815", "813", "727", "941"];

    public static CallPlan Next(Random random, string callId, IReadOnlyList<StoreShape> stores)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(stores);
        var store = stores[random.Next(stores.Count)];
        var line = store.Lines[random.Next(store.Lines.Count)];
        var from = random.NextDouble() < 0.03
            ? null // withheld
            : $"+1{CallerAreaCodes[random.Next(CallerAreaCodes.Length)]}5550{100 + random.Next(100)}";
        return new CallPlan(callId, from, store, line, Steps(random, store.Agents));
    }

    private static List<ScriptStep> Steps(Random random, IReadOnlyList<string> agents)
    {
        var steps = new List<ScriptStep> { new(CallEventType.Started, 0), new(CallEventType.Queued, 1) };
        var t = 1.0;
        var first = agents[random.Next(agents.Count)];
        var second = agents[(agents.IndexOf(first) + 1 + random.Next(agents.Count - 1)) % agents.Count];
        var kind = random.NextDouble();

        void Ring(string agent) => steps.Add(new ScriptStep(CallEventType.Ringing, t += 1, agent));

        void Miss(string agent)
        {
            var ring = 15 + random.Next(11);
            steps.Add(new ScriptStep(CallEventType.RingNoAnswer, t += ring, agent, RingSeconds: ring));
        }

        void End(CallEndedBy by, double after, bool? messageLeft = null) =>
            steps.Add(new ScriptStep(CallEventType.Ended, t += after, EndedBy: by, MessageLeft: messageLeft));

        if (kind < 0.55)
        {
            // Answered, a third of them after the first phone rang out, a third with a hold.
            var answeredBy = first;
            Ring(first);
            if (random.NextDouble() < 0.33)
            {
                Miss(first);
                Ring(second);
                answeredBy = second;
            }

            steps.Add(new ScriptStep(CallEventType.Answered, t += 3 + random.Next(12), answeredBy));
            if (random.NextDouble() < 0.33)
            {
                steps.Add(new ScriptStep(CallEventType.HoldStarted, t += 30 + random.Next(120), answeredBy));
                steps.Add(new ScriptStep(CallEventType.HoldEnded, t += 15 + random.Next(90), answeredBy));
            }

            End(random.NextDouble() < 0.6 ? CallEndedBy.Caller : CallEndedBy.Agent, 30 + random.Next(480));
        }
        else if (kind < 0.75)
        {
            // The caller gives up while it rings; one in five within seconds.
            Ring(first);
            End(CallEndedBy.Caller, random.NextDouble() < 0.2 ? 1 + random.Next(2) : 5 + random.Next(60));
        }
        else if (kind < 0.90)
        {
            // Nobody picks up: two phones ring out, voicemail takes the call.
            Ring(first);
            Miss(first);
            Ring(second);
            Miss(second);
            steps.Add(new ScriptStep(CallEventType.Voicemail, t += 1));
            End(CallEndedBy.Caller, 10 + random.Next(50), messageLeft: random.NextDouble() < 0.6);
        }
        else if (kind < 0.95)
        {
            // Answered, put on hold, and the caller hangs up waiting.
            Ring(first);
            steps.Add(new ScriptStep(CallEventType.Answered, t += 3 + random.Next(10), first));
            steps.Add(new ScriptStep(CallEventType.HoldStarted, t += 20 + random.Next(60), first));
            End(CallEndedBy.Caller, 30 + random.Next(150));
        }
        else
        {
            // The phone system gives up after a ring nobody answered.
            Ring(first);
            Miss(first);
            End(CallEndedBy.System, 1);
        }

        return steps;
    }

    private static int IndexOf(this IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], item, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
