using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Ingest.Simulator;

/// <summary>
/// One simulated call from start to end: its events (in time order, simulated time) and the
/// outcome they were written to produce (§3).
/// </summary>
public sealed record CallScript(
    string CallId,
    int StoreId,
    Department Department,
    string Source,
    string? Caller,
    string Dialed,
    DateTimeOffset Start,
    bool AfterHours,
    CallOutcome Outcome,
    IReadOnlyList<CallEvent> Events)
{
    public DateTimeOffset End => Events[^1].At;

    /// <summary>The agent who answered, if someone did.</summary>
    public string? AnsweredBy => Events.FirstOrDefault(e => e.Type == CallEventType.Answered)?.Agent;
}
