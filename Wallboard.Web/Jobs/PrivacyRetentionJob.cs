using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Phones;
using Wallboard.Web.Data;
using Wallboard.Web.Privacy;

namespace Wallboard.Web.Jobs;

/// <summary>
/// Nightly, anonymizes calls that started before the retention period (default 13 months) and
/// the finished call-backs of those calls (<see cref="CallerAnonymizer"/>): numbers become their
/// keyed pseudonym, names, recordings, notes and reasons go, every figure stays. Works in batches
/// of <see cref="PrivacyOptions.BatchSize"/>, each its own transaction, found through a small
/// index of the calls not yet anonymized; a crash loses at most the batch in flight, and the next
/// run goes on from there. A rerun finds nothing to do.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class PrivacyRetentionJob(
    IDbContextFactory<WallboardDbContext> dbFactory,
    PrivacyKey key,
    IOptions<PrivacyOptions> options,
    TimeProvider time,
    ILogger<PrivacyRetentionJob> logger) : IJob
{
    public const string RetentionReason = "Removed after the retention period";

    public static readonly JobKey Key = new(nameof(PrivacyRetentionJob));

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await RunAsync(cancellationToken);
    }

    /// <summary>Anonymizes everything older than the retention period now; returns how many rows changed.</summary>
    public async Task<AnonymizedCounts> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var cutoff = now.AddMonths(-options.Value.RetentionMonths);
        var batchSize = options.Value.BatchSize;
        var total = AnonymizedCounts.None;

        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var batch = await db.Calls.AsNoTracking()
                .Where(c => c.AnonymizedAt == null && c.StartedAt < cutoff)
                .OrderBy(c => c.StartedAt)
                .Take(batchSize)
                .Select(c => new { c.Id, c.IntegrationId, c.ExternalId, c.CallerE164 })
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }

            var calls = batch.Select(c => new CallToAnonymize(c.Id, c.IntegrationId, c.ExternalId, PseudonymOf(c.CallerE164))).ToList();
            total += await CallerAnonymizer.AnonymizeCallsAsync(db, calls, now, ct);
            await transaction.CommitAsync(ct);
        }

        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // A call-back still being worked keeps its number however old its miss; the sweep ends it.
            var batch = await db.Callbacks.AsNoTracking()
                .Where(c => c.AnonymizedAt == null && c.LastMissedAt < cutoff
                    && c.Status != CallbackStatus.Open && c.Status != CallbackStatus.Claimed && c.Status != CallbackStatus.Scheduled)
                .OrderBy(c => c.Id)
                .Take(batchSize)
                .Select(c => c.Id)
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }

            total += await CallerAnonymizer.AnonymizeCallbacksAsync(db, batch, PseudonymOf, RetentionReason, now, ct);
            await transaction.CommitAsync(ct);
        }

        LogDone(logger, options.Value.RetentionMonths, cutoff, total.Calls, total.Events, total.Callbacks, total.Attempts, total.Transitions);
        return total;
    }

    private string? PseudonymOf(string? number) =>
        number is null || CallerPseudonym.IsPseudonym(number) ? number : key.Pseudonym(number);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retention ({Months} months, before {Cutoff:O}): anonymized {Calls} calls, {Events} events, {Callbacks} call-backs, {Attempts} attempt notes, {Transitions} trail reasons")]
    private static partial void LogDone(ILogger logger, int months, DateTimeOffset cutoff, int calls, int events, int callbacks, int attempts, int transitions);
}
