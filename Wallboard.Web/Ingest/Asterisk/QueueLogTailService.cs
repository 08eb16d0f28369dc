using System.Text;
using Microsoft.Extensions.Options;
using Wallboard.Domain.Calls;

namespace Wallboard.Web.Ingest.Asterisk;

/// <summary>A queue_log file on this machine to follow, and the integration whose events it holds.</summary>
public sealed class QueueLogTailOptions
{
    public int IntegrationId { get; set; }

    public string Path { get; set; } = string.Empty;

    /// <summary>How often to look for new lines.</summary>
    public int PollMilliseconds { get; set; } = 1_000;
}

/// <summary>
/// Follows queue_log files on disk (<c>Wallboard:Asterisk:Tail</c>, a list of
/// <see cref="QueueLogTailOptions"/>) for a PBX on the same machine, and sends new complete lines
/// through the ingest pipeline. At start it reads each file from the beginning: event ids are
/// derived from the lines, so lines already stored are duplicates and cost nothing but the read.
/// A file that shrinks (rotated by logrotate) is read again from the start.
/// </summary>
public sealed partial class QueueLogTailService(
    IOptions<List<QueueLogTailOptions>> tails,
    IOptions<IngestOptions> ingestOptions,
    AttributionCache attribution,
    IIngestPipeline pipeline,
    TimeProvider time,
    ILogger<QueueLogTailService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(tails.Value.Where(t => !string.IsNullOrWhiteSpace(t.Path)).Select(t => FollowAsync(t, stoppingToken)));

    private async Task FollowAsync(QueueLogTailOptions tail, CancellationToken ct)
    {
        LogFollowing(logger, tail.Path, tail.IntegrationId);
        long offset = 0;
        var partial = string.Empty;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(50, tail.PollMilliseconds)), time);
        do
        {
            try
            {
                (offset, partial) = await ReadNewLinesAsync(tail, offset, partial, ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogUnreadable(logger, tail.Path, ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A bad batch must not stop the tail: log it and carry on with the next lines.
                LogFailed(logger, tail.Path, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    private async Task<(long Offset, string Partial)> ReadNewLinesAsync(QueueLogTailOptions tail, long offset, string partial, CancellationToken ct)
    {
        if (!File.Exists(tail.Path))
        {
            return (0, string.Empty);
        }

        await using var stream = new FileStream(tail.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < offset)
        {
            // Rotated or truncated: start again.
            offset = 0;
            partial = string.Empty;
        }

        if (stream.Length == offset)
        {
            return (offset, partial);
        }

        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var text = partial + await reader.ReadToEndAsync(ct);
        var newOffset = stream.Length;

        // Only complete lines: the PBX may be half-way through writing the last one.
        var lastNewline = text.LastIndexOf('\n');
        if (lastNewline < 0)
        {
            return (newOffset, text);
        }

        await SubmitAsync(tail.IntegrationId, text[..lastNewline], ct);
        return (newOffset, text[(lastNewline + 1)..]);
    }

    private async Task SubmitAsync(int integrationId, string lines, CancellationToken ct)
    {
        var directory = await attribution.GetAsync(integrationId, ct);
        if (directory is null)
        {
            LogUnknownIntegration(logger, integrationId);
            return;
        }

        var mapping = new QueueLogMapper(directory.AsteriskMapping).Translate(lines);
        foreach (var error in mapping.Errors)
        {
            LogBadLine(logger, integrationId, error.LineNumber, error.Reason);
        }

        var now = time.GetUtcNow();
        var events = mapping.Events.Where(e => IngestRequests.CheckTime(e, now, ingestOptions.Value) is null).ToList();
        if (events.Count < mapping.Events.Count)
        {
            LogSkippedOld(logger, integrationId, mapping.Events.Count - events.Count);
        }

        foreach (var chunk in events.Chunk(IngestPipeline.MaxEventsPerCommit))
        {
            await pipeline.SubmitAsync(integrationId, chunk, ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Following queue log {Path} for integration {IntegrationId}")]
    private static partial void LogFollowing(ILogger logger, string path, int integrationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read queue log {Path}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Following queue log {Path} failed; carrying on with the next lines")]
    private static partial void LogFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue log tail: integration {IntegrationId} does not exist")]
    private static partial void LogUnknownIntegration(ILogger logger, int integrationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue log of integration {IntegrationId}, line {Line}: {Reason}")]
    private static partial void LogBadLine(ILogger logger, int integrationId, int line, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue log of integration {IntegrationId}: skipped {Count} events outside the accepted time range")]
    private static partial void LogSkippedOld(ILogger logger, int integrationId, int count);
}
