using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Wallboard.Domain.Calls;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;
using Wallboard.Web.Live;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Ingest;

/// <summary>
/// The durable ingest pipeline (§8, §10). Submissions queue up; one writer takes everything
/// waiting, up to a limit, and commits it in one transaction (group commit), so a burst of
/// requests costs one fsync rather than one per event. In the same transaction every call that got
/// a new event is projected again from all its events (kept in memory, <see cref="CallsInFlight"/>,
/// or read back on a miss) and only what changed is written (<see cref="CallUpdater"/>), so the
/// stored calls always agree with the stored events; the call-backs of missed and connected sales
/// calls are created, joined or resolved in the same transaction (<see cref="CallbackIntake"/>).
/// Only after the commit are the submitters answered and the changes published.
/// </summary>
public sealed partial class IngestPipeline(
    IDbContextFactory<WallboardDbContext> dbFactory,
    AttributionCache attribution,
    ICallChangeNotifier notifier,
    TimeProvider time,
    ILogger<IngestPipeline> logger,
    CallsInFlight? callsInFlight = null,
    CallbackIntake? callbacks = null) : BackgroundService, IIngestPipeline
{
    private readonly CallsInFlight _inFlight = callsInFlight ?? new CallsInFlight(Options.Create(new IngestOptions()));

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
            Written written;
            try
            {
                written = await WriteAsync(batch, ct);
            }
            catch
            {
                // Nothing was committed; forget these calls so their next event reads them back.
                ForgetCalls(batch);
                throw;
            }

            foreach (var (key, call) in written.ToKeep)
            {
                _inFlight.Set(key, call);
            }

            // Hand the changes to the subscribers before acknowledging: a client that got its
            // acknowledgement and then asks the live board to catch up finds its events applied.
            notifier.Publish(written.Changes);
            callbacks?.Publish(written.CallbackChanges);

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(written.Results[i]);
            }
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

    private async Task<Written> WriteAsync(List<Submission> batch, CancellationToken ct)
    {
        var receivedAt = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var results = new IngestResult[batch.Count];
        // The events this transaction stored, by integration and call, each with its row id (arrival order).
        var added = new Dictionary<int, Dictionary<string, List<CallEvent>>>();
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
                    if (await insert.ExecuteScalarAsync(ct) is { } id)
                    {
                        accepted++;
                        if (!added.TryGetValue(submission.IntegrationId, out var calls))
                        {
                            added[submission.IntegrationId] = calls = new Dictionary<string, List<CallEvent>>(StringComparer.Ordinal);
                        }

                        if (!calls.TryGetValue(e.CallId, out var events))
                        {
                            calls[e.CallId] = events = [];
                        }

                        events.Add(e with { Sequence = Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) });
                    }
                    else
                    {
                        duplicates++;
                    }
                }

                results[i] = new IngestResult(accepted, duplicates);
            }
        }

        var changes = new List<CallChange>();
        using var updater = new CallUpdater(db, transaction.GetDbTransaction(), _inFlight);
        foreach (var (integrationId, calls) in added)
        {
            var directory = await attribution.GetAsync(integrationId, ct)
                ?? throw new InvalidOperationException($"Integration {integrationId} does not exist.");
            changes.AddRange(await updater.ApplyAsync(directory, calls, receivedAt, ct));
        }

        var callbackChanges = callbacks is null ? [] : await callbacks.ApplyAsync(db, transaction, updater.Written, ct);
        // A late event for a closed day makes that day's metrics roll-up stale, in this transaction.
        await DailyRollups.MarkLateCallsAsync(db, updater.Written, receivedAt, ct);
        await transaction.CommitAsync(ct);
        return new Written(results, changes, callbackChanges, updater.ToKeep);
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
            RETURNING "Id"
            """;
        foreach (var name in (string[])["@integrationId", "@eventId", "@callId", "@type", "@at", "@receivedAt", "@payload"])
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private void ForgetCalls(List<Submission> batch)
    {
        foreach (var submission in batch)
        {
            foreach (var e in submission.Events)
            {
                _inFlight.Remove(new CallKey(submission.IntegrationId, e.CallId));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An ingest batch of {Count} submissions failed; committing them one by one")]
    private static partial void LogBatchRetriedAlone(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not commit {EventCount} events of integration {IntegrationId}")]
    private static partial void LogCommitFailed(ILogger logger, int integrationId, int eventCount, Exception exception);

    private sealed record Written(
        IngestResult[] Results, List<CallChange> Changes, IReadOnlyList<CallbackChange> CallbackChanges, Dictionary<CallKey, CallInFlight> ToKeep);

    private sealed class Submission(int integrationId, IReadOnlyList<CallEvent> events)
    {
        public int IntegrationId { get; } = integrationId;

        public IReadOnlyList<CallEvent> Events { get; } = events;

        public TaskCompletionSource<IngestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
