using Microsoft.Extensions.Options;
using Wallboard.Domain.Calls;

namespace Wallboard.Web.Ingest;

/// <summary>A call as the phone system names it: the integration and its call id.</summary>
public readonly record struct CallKey(int IntegrationId, string CallId);

/// <summary>
/// What ingest knows of one call between its events: its distinct stored events
/// (<see cref="CallEvent.Sequence"/> is the stored row id, the arrival order) and its stored row
/// as last written, with its rings and holds. Never changed in place: a new event makes a new one.
/// </summary>
public sealed class CallInFlight(IReadOnlyList<CallEvent> events, Call row)
{
    public IReadOnlyList<CallEvent> Events { get; } = events;

    public Call Row { get; } = row;
}

/// <summary>
/// The calls ingest keeps in memory, keyed by integration and call id, so a new event is applied
/// to what is known instead of reading and parsing the call's stored events again. Bounded: at
/// most <see cref="IngestOptions.CallsInMemory"/> calls, the least recently touched leave first,
/// and a call with more than <see cref="MaxEventsPerCall"/> events is not kept. A call not here
/// (never seen, pushed out, or after a restart) is read back from its stored events on its next
/// event, so what is kept is only ever a shortcut, never the record. Entries change only after
/// the transaction that wrote them committed.
/// </summary>
public sealed class CallsInFlight(IOptions<IngestOptions> options)
{
    /// <summary>Calls with more events than this (a stuck phone system) are read back each time.</summary>
    public const int MaxEventsPerCall = 1_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<CallKey, LinkedListNode<(CallKey Key, CallInFlight Call)>> _index = [];
    private readonly LinkedList<(CallKey Key, CallInFlight Call)> _recency = new();

    public int Capacity { get; } = Math.Max(0, options.Value.CallsInMemory);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }

    public bool TryGet(CallKey key, out CallInFlight? call)
    {
        lock (_gate)
        {
            if (_index.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                call = node.Value.Call;
                return true;
            }
        }

        call = null;
        return false;
    }

    /// <summary>Keeps (or replaces) a call, pushing out the least recently touched beyond the capacity.</summary>
    public void Set(CallKey key, CallInFlight call)
    {
        ArgumentNullException.ThrowIfNull(call);
        lock (_gate)
        {
            if (_index.Remove(key, out var old))
            {
                _recency.Remove(old);
            }

            if (Capacity == 0 || call.Events.Count > MaxEventsPerCall)
            {
                return;
            }

            _index[key] = _recency.AddFirst((key, call));
            while (_index.Count > Capacity)
            {
                var last = _recency.Last!;
                _recency.RemoveLast();
                _index.Remove(last.Value.Key);
            }
        }
    }

    public void Remove(CallKey key)
    {
        lock (_gate)
        {
            if (_index.Remove(key, out var node))
            {
                _recency.Remove(node);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _index.Clear();
            _recency.Clear();
        }
    }
}
