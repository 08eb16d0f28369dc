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
    DateTimeOffset LastEventAt);
