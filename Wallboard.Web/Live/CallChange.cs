using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Live;

/// <summary>A call that changed in a committed ingest batch, for whatever shows calls live (<see cref="ICallChangeNotifier"/>).</summary>
public sealed record CallChange(
    long CallId,
    int StoreId,
    Department Department,
    CallPhase Phase,
    CallOutcome? Outcome,
    DateTimeOffset LastEventAt)
{
    /// <summary>
    /// The call as committed, with its rings, when the publisher has it in memory (ingest does):
    /// the live board then needs no read. Null: whoever needs the call reads it by id (another
    /// node's change, an erasure). Never changed after it is published.
    /// </summary>
    public Call? Row { get; init; }
}
