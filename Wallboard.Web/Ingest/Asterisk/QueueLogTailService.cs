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

    /// <summary>
    /// The most bytes read and sent at once (4 MiB, tens of thousands of lines): a large log met at
    /// start-up is sent in pieces of this size instead of being read into memory whole. A stretch
    /// this long without a line end is no queue log and is skipped with a warning.
    /// </summary>
    public int MaxReadBytes { get; set; } = 4 * 1024 * 1024;
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
        var state = new TailState();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(50, tail.PollMilliseconds)), time);
        do
        {
            try
            {
                await ReadNewLinesAsync(tail, state, ct);
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

    /// <summary>
    /// Sends the complete lines after the tail's offset (at most
    /// <see cref="QueueLogTailOptions.MaxReadBytes"/> at once, so a large log met at start-up is sent in
    /// pieces, not read into memory whole) and moves
    /// the offset just past the last of them. The offset only moves past bytes that were read and
    /// sent: a line the PBX is still writing, or one appended while this read was under way, is read
    /// whole on the next tick.
    /// </summary>
    private async Task ReadNewLinesAsync(QueueLogTailOptions tail, TailState state, CancellationToken ct)
    {
        if (!File.Exists(tail.Path))
        {
            state.Offset = 0;
            return;
        }

        // A log longer than one read is sent piece by piece in the same tick.
        long before;
        do
        {
            before = state.Offset;
            state.Offset = await ReadFromAsync(tail, state, state.Offset, ct);
        }
        while (state.Offset - before >= MaxRead(tail) / 2);
    }

    private async Task<long> ReadFromAsync(QueueLogTailOptions tail, TailState state, long offset, CancellationToken ct)
    {
        await using var stream = new FileStream(tail.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = stream.Length;
        if (length < offset)
        {
            // Rotated or truncated: start again.
            offset = 0;
        }

        if (length == offset)
        {
            return offset;
        }

        // Read up to the length seen above, never to a moving end: bytes appended after it wait
        // for the next tick instead of being skipped.
        var bytes = new byte[Math.Min(length - offset, MaxRead(tail))];
        stream.Seek(offset, SeekOrigin.Begin);
        await stream.ReadExactlyAsync(bytes, ct);

        // Only complete lines: the PBX may be half-way through writing the last one. Cutting at a
        // newline byte never splits a UTF-8 character.
        var lastNewline = Array.LastIndexOf(bytes, (byte)'\n');
        if (lastNewline < 0)
        {
            if (bytes.Length < MaxRead(tail))
            {
                return offset;
            }

            // No queue_log line is this long: the bytes are not a queue log. Step over them.
            LogOverlongLine(logger, tail.Path, offset, bytes.Length);
            return offset + bytes.Length;
        }

        if (!await SubmitAsync(tail.IntegrationId, state, Encoding.UTF8.GetString(bytes, 0, lastNewline), ct))
        {
            // The integration is not there (yet): keep the lines for the next tick.
            return offset;
        }

        return offset + lastNewline + 1;
    }

    private async Task<bool> SubmitAsync(int integrationId, TailState state, string lines, CancellationToken ct)
    {
        var directory = await attribution.GetAsync(integrationId, ct);
        if (directory is null)
        {
            // Said once, not on every poll, until the integration appears.
            if (!state.UnknownIntegrationLogged)
            {
                LogUnknownIntegration(logger, integrationId);
                state.UnknownIntegrationLogged = true;
            }

            return false;
        }

        state.UnknownIntegrationLogged = false;

        var mapping = new QueueLogMapper(directory.AsteriskMapping).Translate(lines);
        foreach (var error in mapping.Errors)
        {
            LogBadLine(logger, integrationId, error.LineNumber, error.Reason);
        }

        var now = time.GetUtcNow();
        var events = mapping.Events.Where(e => IngestRequests.Admit(e, now, ingestOptions.Value) is null).ToList();
        if (events.Count < mapping.Events.Count)
        {
            LogSkippedOld(logger, integrationId, mapping.Events.Count - events.Count);
        }

        foreach (var chunk in events.Chunk(IngestPipeline.MaxEventsPerCommit))
        {
            await pipeline.SubmitAsync(integrationId, chunk, ct);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Following queue log {Path} for integration {IntegrationId}")]
    private static partial void LogFollowing(ILogger logger, string path, int integrationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read queue log {Path}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Following queue log {Path} failed; carrying on with the next lines")]
    private static partial void LogFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue log tail: integration {IntegrationId} does not exist; its lines wait until it does")]
    private static partial void LogUnknownIntegration(ILogger logger, int integrationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue log {Path}: {Length} bytes from offset {Offset} hold no line end; skipped")]
    private static partial void LogOverlongLine(ILogger logger, string path, long offset, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue log of integration {IntegrationId}, line {Line}: {Reason}")]
    private static partial void LogBadLine(ILogger logger, int integrationId, int line, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue log of integration {IntegrationId}: skipped {Count} events outside the accepted time range or that the event reader refuses")]
    private static partial void LogSkippedOld(ILogger logger, int integrationId, int count);

    // Room for one line at the least.
    private static int MaxRead(QueueLogTailOptions tail) => Math.Max(1_024, tail.MaxReadBytes);

    private sealed class TailState
    {
        public long Offset { get; set; }

        public bool UnknownIntegrationLogged { get; set; }
    }
}
