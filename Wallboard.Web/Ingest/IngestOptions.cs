namespace Wallboard.Web.Ingest;

/// <summary>Limits of the ingest API (<c>Wallboard:Ingest</c> in configuration).</summary>
public sealed class IngestOptions
{
    /// <summary>Largest request body accepted; a batch of 1,000 full events is about 300 KiB.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Most events in one batch.</summary>
    public int MaxBatchEvents { get; set; } = 1_000;

    /// <summary>Events dated further in the future than this are refused (clock skew).</summary>
    public int MaxFutureSkewSeconds { get; set; } = 300;

    /// <summary>Events older than this are refused; replay old recordings with <c>--shift-end-to-now</c>.</summary>
    public int MaxEventAgeDays { get; set; } = 30;

    /// <summary>
    /// Calls whose events ingest keeps in memory (least recently touched leave first); a call not
    /// kept is read back from its stored events when its next event comes.
    /// </summary>
    public int CallsInMemory { get; set; } = 10_000;

    /// <summary>Requests a second each integration may make, sustained (token bucket).</summary>
    public int RequestsPerSecond { get; set; } = 10_000;

    /// <summary>Requests an integration may make in a burst above the sustained rate.</summary>
    public int BurstRequests { get; set; } = 20_000;

    /// <summary>Requests a second that fail authentication, per remote address, before they are answered 429 (and no longer logged).</summary>
    public int RefusedRequestsPerSecond { get; set; } = 10;

    /// <summary>Refused requests a remote address may make in a burst.</summary>
    public int RefusedBurstRequests { get; set; } = 50;
}
