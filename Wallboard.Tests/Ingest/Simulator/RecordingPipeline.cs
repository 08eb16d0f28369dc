using Wallboard.Domain.Calls;
using Wallboard.Web.Ingest;

namespace Wallboard.Tests.Ingest.Simulator;

/// <summary>
/// An ingest pipeline that keeps what it is given. It can be told to fail some submissions, and a
/// test can wait (event-driven, with a time limit) until what it has seen meets a condition.
/// </summary>
internal sealed class RecordingPipeline(Func<int, bool>? failSubmission = null) : IIngestPipeline
{
    private readonly object _gate = new();
    private readonly List<(int IntegrationId, CallEvent Event)> _events = [];
    private readonly List<(Func<RecordingPipeline, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private int _submissions;

    public int Failures { get; private set; }

    public IReadOnlyList<(int IntegrationId, CallEvent Event)> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.ToList();
            }
        }
    }

    /// <summary>Calls with both a start and an end.</summary>
    public int CompleteCalls
    {
        get
        {
            lock (_gate)
            {
                return _events.GroupBy(e => e.Event.CallId)
                    .Count(g => g.Any(e => e.Event.Type == CallEventType.Started) && g.Any(e => e.Event.Type == CallEventType.Ended));
            }
        }
    }

    public Task<IngestResult> SubmitAsync(int integrationId, IReadOnlyList<CallEvent> events, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _submissions++;
            if (failSubmission?.Invoke(_submissions) == true)
            {
                Failures++;
                throw new InvalidOperationException("The database is locked (a test failure).");
            }

            _events.AddRange(events.Select(e => (integrationId, e)));
        }

        Notify();
        return Task.FromResult(new IngestResult(events.Count, 0));
    }

    /// <summary>Completes when the condition holds; fails the test if it does not within <paramref name="limit"/>.</summary>
    public async Task WaitUntilAsync(Func<RecordingPipeline, bool> condition, TimeSpan limit)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((condition, done));
        }

        Notify();
        await done.Task.WaitAsync(limit);
    }

    private void Notify()
    {
        List<(Func<RecordingPipeline, bool> Condition, TaskCompletionSource Done)> waiters;
        lock (_gate)
        {
            waiters = _waiters.ToList();
        }

        foreach (var waiter in waiters.Where(w => w.Condition(this)))
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }

            waiter.Done.TrySetResult();
        }
    }
}
