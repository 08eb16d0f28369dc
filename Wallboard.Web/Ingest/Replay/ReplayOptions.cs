using System.Globalization;

namespace Wallboard.Web.Ingest.Replay;

/// <summary>What a recorded file holds.</summary>
public enum ReplayFormat
{
    /// <summary>An Asterisk queue_log: <c>epoch|callid|queue|agent|EVENT|data…</c> lines.</summary>
    Asterisk = 0,

    /// <summary>JSON lines: one §4 call event object per line.</summary>
    Jsonl = 1,
}

/// <summary>How the recorded times are moved before they are sent.</summary>
public enum TimeShift
{
    /// <summary>Times are sent as recorded.</summary>
    None = 0,

    /// <summary>Every time moves by the same amount, so that the earliest is now (<c>--shift-to-now</c>).</summary>
    FirstToNow = 1,

    /// <summary>Every time moves by the same amount, so that the latest is now (<c>--shift-end-to-now</c>).</summary>
    LastToNow = 2,
}

/// <summary>A replay as the command line asked for it.</summary>
public sealed record ReplayOptions(
    string File,
    ReplayFormat Format,
    int IntegrationId,
    string Secret,
    Uri BaseUrl,
    double? Speed = null,
    int BatchSize = ReplayOptions.DefaultBatchSize,
    TimeShift Shift = TimeShift.None)
{
    public const int DefaultBatchSize = 100;

    /// <summary>The server takes at most 1,000 events in one request.</summary>
    public const int MaxBatchSize = 1_000;

    /// <summary>A request body stays below this, whatever the batch size (the server takes 1 MiB).</summary>
    public const int MaxBodyBytes = 512 * 1024;

    /// <summary>Where the chunks go.</summary>
    public Uri Endpoint => new(
        BaseUrl.AbsoluteUri.EndsWith('/') ? BaseUrl : new Uri(BaseUrl.AbsoluteUri + "/"),
        Format == ReplayFormat.Jsonl
            ? "api/v1/call-events"
            : string.Create(CultureInfo.InvariantCulture, $"api/v1/integrations/{IntegrationId}/asterisk/queue-log"));

    /// <summary>What one record is called in messages.</summary>
    public string Unit => Format == ReplayFormat.Jsonl ? "events" : "lines";
}
