using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Wallboard.Domain.Calls;
using Wallboard.Web.Data;
using Wallboard.Web.Live;
using Wallboard.Web.Privacy;

namespace Wallboard.Web.Ingest;

/// <summary>
/// The durable ingest pipeline (§8, §10). Submissions queue up; one writer takes everything
/// waiting, up to a limit, and commits it in one transaction (group commit), so a burst of
/// requests costs one fsync rather than one per event. In the same transaction every call that got
/// a new event is projected again from all its events, so the stored calls always agree with the
/// stored events. Only after the commit are the submitters answered and the changes published.
/// </summary>
public sealed partial class IngestPipeline(
    IDbContextFactory<WallboardDbContext> dbFactory,
    AttributionCache attribution,
    ICallChangeNotifier notifier,
    TimeProvider time,
    ILogger<IngestPipeline> logger) : BackgroundService, IIngestPipeline
{
    /// <summary>Most events one transaction takes; more waiting go in the next.</summary>
    public const int MaxEventsPerCommit = 5_000;

    private readonly Channel<Submission> _queue = Channel.CreateBounded<Submission>(
        new BoundedChannelOptions(20_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public async Task<IngestResult> SubmitAsync(int integrationId, IReadOnlyList<CallEvent> events, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return new IngestResult(0, 0);
        }

        var submission = new Submission(integrationId, events);
        try
        {
            await _queue.Writer.WriteAsync(submission, ct);
        }
        catch (ChannelClosedException)
        {
            throw new IngestUnavailableException();
        }

        // Once queued the events will be committed whatever the caller does; the caller may stop
        // waiting, but the write is not undone.
        return await submission.Completion.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<Submission>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                var events = 0;
                while (events < MaxEventsPerCommit && reader.TryRead(out var next))
                {
                    batch.Add(next);
                    events += next.Events.Count;
                }

                // Not cancelled by shutdown: a commit under way finishes, so what is acknowledged is stored.
                await CommitAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever is still queued was never acknowledged.
            while (reader.TryRead(out var left))
            {
                left.Completion.TrySetCanceled(stoppingToken);
            }
        }
    }

    /// <summary>Takes no new submissions, commits those already queued, then stops.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            try
            {
                await running.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The host's shutdown timeout ran out; what is left is cancelled below.
            }
        }

        await base.StopAsync(cancellationToken);
    }

    private async Task CommitAsync(List<Submission> batch, CancellationToken ct)
    {
        try
        {
            var (results, changes) = await WriteAsync(batch, ct);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(results[i]);
            }

            notifier.Publish(changes);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && batch.Count > 1)
        {
            // One bad submission must not fail the others that shared its transaction: commit
            // each alone, so only the one that really fails is told so.
            LogBatchRetriedAlone(logger, batch.Count, ex);
            foreach (var submission in batch)
            {
                await CommitAsync([submission], ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCommitFailed(logger, batch[0].IntegrationId, batch[0].Events.Count, ex);
            batch[0].Completion.TrySetException(ex);
        }
    }

    private async Task<(IngestResult[] Results, List<CallChange> Changes)> WriteAsync(List<Submission> batch, CancellationToken ct)
    {
        var receivedAt = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var results = new IngestResult[batch.Count];
        var touched = new Dictionary<int, HashSet<string>>();
        await using (var insert = CreateInsertCommand(db, transaction))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var submission = batch[i];
                int accepted = 0, duplicates = 0;
                foreach (var e in submission.Events)
                {
                    insert.Parameters[0].Value = submission.IntegrationId;
                    insert.Parameters[1].Value = e.EventId;
                    insert.Parameters[2].Value = e.CallId;
                    insert.Parameters[3].Value = (int)e.Type;
                    insert.Parameters[4].Value = e.At.ToUnixTimeMilliseconds();
                    insert.Parameters[5].Value = receivedAt.ToUnixTimeMilliseconds();
                    insert.Parameters[6].Value = CallEventJson.Serialize(e);
                    if (await insert.ExecuteNonQueryAsync(ct) == 1)
                    {
                        accepted++;
                        if (!touched.TryGetValue(submission.IntegrationId, out var calls))
                        {
                            touched[submission.IntegrationId] = calls = new HashSet<string>(StringComparer.Ordinal);
                        }

                        calls.Add(e.CallId);
                    }
                    else
                    {
                        duplicates++;
                    }
                }

                results[i] = new IngestResult(accepted, duplicates);
            }
        }

        foreach (var (integrationId, callIds) in touched)
        {
            await KeepAnonymousAsync(db, integrationId, callIds, receivedAt, ct);
        }

        var changes = new List<CallChange>();
        foreach (var (integrationId, callIds) in touched)
        {
            var directory = await attribution.GetAsync(integrationId, ct)
                ?? throw new InvalidOperationException($"Integration {integrationId} does not exist.");
            changes.AddRange(await CallProjector.ProjectAsync(db, directory, callIds, ct));
        }

        await transaction.CommitAsync(ct);
        return (results, changes);
    }

    /// <summary>
    /// A later event of a call whose caller was anonymized (an erase while it was live, a late
    /// event of an old call) is anonymized as it lands, so the number or name it carries is not
    /// stored again and the call stays the same anonymous caller.
    /// </summary>
    private static async Task KeepAnonymousAsync(WallboardDbContext db, int integrationId, HashSet<string> callIds, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var chunk in callIds.Chunk(500))
        {
            var anonymous = await db.Calls.AsNoTracking()
                .Where(c => c.IntegrationId == integrationId && chunk.Contains(c.ExternalId) && c.AnonymizedAt != null)
                .Select(c => new CallToAnonymize(c.Id, c.IntegrationId, c.ExternalId, c.CallerE164))
                .ToListAsync(ct);
            await CallerAnonymizer.AnonymizeCallsAsync(db, anonymous, now, ct);
        }
    }

    // Raw SQL for the hot path: one prepared statement, and ON CONFLICT DO NOTHING tells a repeat
    // from a new event in the same round trip (SQLite and PostgreSQL both speak it).
    private static DbCommand CreateInsertCommand(WallboardDbContext db, IDbContextTransaction transaction)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText =
            """
            INSERT INTO "CallEvents" ("IntegrationId", "EventId", "CallId", "Type", "At", "ReceivedAt", "Payload")
            VALUES (@integrationId, @eventId, @callId, @type, @at, @receivedAt, @payload)
            ON CONFLICT ("IntegrationId", "EventId") DO NOTHING
            """;
        foreach (var name in (string[])["@integrationId", "@eventId", "@callId", "@type", "@at", "@receivedAt", "@payload"])
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An ingest batch of {Count} submissions failed; committing them one by one")]
    private static partial void LogBatchRetriedAlone(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not commit {EventCount} events of integration {IntegrationId}")]
    private static partial void LogCommitFailed(ILogger logger, int integrationId, int eventCount, Exception exception);

    private sealed class Submission(int integrationId, IReadOnlyList<CallEvent> events)
    {
        public int IntegrationId { get; } = integrationId;

        public IReadOnlyList<CallEvent> Events { get; } = events;

        public TaskCompletionSource<IngestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
