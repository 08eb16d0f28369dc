using Wallboard.Domain.Calls;

namespace Wallboard.Web.Ingest;

/// <summary>
/// The one way call events get in, whatever sent them (API, adapters, simulator). The returned
/// task completes only once the events are durably committed and their calls projected.
/// </summary>
public interface IIngestPipeline
{
    /// <summary>
    /// Stores the events of one integration. Events must already be valid; repeats (same
    /// integration and event id, here or earlier) are counted as duplicates and ignored.
    /// </summary>
    Task<IngestResult> SubmitAsync(int integrationId, IReadOnlyList<CallEvent> events, CancellationToken ct);
}

/// <summary>What became of a submission: new events stored, and repeats ignored.</summary>
public sealed record IngestResult(int Accepted, int Duplicates);

/// <summary>The pipeline takes no more events: the app is shutting down.</summary>
public sealed class IngestUnavailableException() : InvalidOperationException("The app is shutting down and takes no more events.");
