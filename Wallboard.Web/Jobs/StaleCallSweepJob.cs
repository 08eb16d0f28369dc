using Microsoft.EntityFrameworkCore;
using Quartz;
using Wallboard.Domain.Calls;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;

namespace Wallboard.Web.Jobs;

/// <summary>
/// Closes calls whose end never arrived (§3), so no "waiting" row stays on a screen for ever. A
/// closed call gets a synthetic <c>call.ended</c> through the normal ingest pipeline, so it is
/// stored, projected and pushed like any event, and a real end arriving later still wins.
/// Idempotent: a repeat run finds nothing new, and the synthetic event's id is fixed per call.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class StaleCallSweepJob(
    IDbContextFactory<WallboardDbContext> dbFactory,
    IIngestPipeline pipeline,
    TimeProvider time,
    ILogger<StaleCallSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new(nameof(StaleCallSweepJob));

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var closed = await SweepAsync(cancellationToken);
        if (closed > 0)
        {
            LogClosed(logger, closed);
        }
    }

    /// <summary>Closes every stale call now; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var limits = await db.Stores.AsNoTracking().Select(s => new { s.Id, s.Settings.StaleCallMinutes }).ToListAsync(ct);

        var closed = 0;
        foreach (var store in limits)
        {
            var cutoff = now.AddMinutes(-store.StaleCallMinutes);
            var stale = await db.Calls.AsNoTracking()
                .Where(c => c.StoreId == store.Id && c.EndedAt == null && c.LastEventAt <= cutoff)
                .Select(c => new { c.IntegrationId, c.ExternalId, c.LastEventAt })
                .ToListAsync(ct);

            foreach (var integration in stale.GroupBy(c => c.IntegrationId))
            {
                var events = integration.Select(c => CallState.StaleCloseEvent(c.ExternalId, c.LastEventAt)).ToList();
                var result = await pipeline.SubmitAsync(integration.Key, events, ct);
                closed += result.Accepted;
            }
        }

        return closed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Count} calls whose end never arrived")]
    private static partial void LogClosed(ILogger logger, int count);
}
