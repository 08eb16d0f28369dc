using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Calls;

/// <summary>How a call list is ordered.</summary>
public enum CallSort
{
    NewestFirst = 0,
    OldestFirst = 1,
    LongestWaitFirst = 2,
}

/// <summary>Which calls a list shows. One filter for the manager's screen, the JSON list and the CSV export, so they show the same rows.</summary>
public sealed record CallFilter(int StoreId)
{
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>Only these outcomes; null or empty for any.</summary>
    public IReadOnlyCollection<CallOutcome>? Outcomes { get; init; }

    public int? SourceId { get; init; }

    /// <summary>Calls that rang this salesperson or that they answered.</summary>
    public int? SalespersonId { get; init; }

    /// <summary>Only calls whose call-back has this status.</summary>
    public CallbackStatus? CallbackStatus { get; init; }

    /// <summary>Sales only unless told otherwise.</summary>
    public Department? Department { get; init; } = Wallboard.Domain.Stores.Department.Sales;

    public CallSort Sort { get; init; } = CallSort.NewestFirst;

    /// <summary>The missed outcomes (§3), from the domain's one list.</summary>
    public static IReadOnlyCollection<CallOutcome> MissedOutcomes => [.. CallOutcomes.Missed];
}

/// <summary>One row of a call list, as the screen and the CSV show it (full numbers: managers only).</summary>
public sealed record CallRow(
    long Id,
    DateTimeOffset StartedAt,
    string? Caller,
    bool CallerWithheld,
    string? CallerName,
    int? SourceId,
    string Source,
    CallOutcome? Outcome,
    int? WaitSeconds,
    int HoldSeconds,
    int? TalkSeconds,
    int? AnsweredById,
    string? AnsweredBy,
    long? CallbackId,
    CallbackStatus? CallbackStatus,
    bool HasRecording,
    MissedRecovery? Recovery = null);

/// <summary>
/// The filtered call list: a page (offset over the (<c>StoreId, Department, StartedAt</c>) index,
/// with the total) or every row in order, streamed, for the export. A missed call's
/// <see cref="CallRow.Recovery"/> comes from the same facts and rule as the figures
/// (<see cref="MetricsQueries.ReadRecoveriesAsync"/>).
/// </summary>
public static class CallList
{
    public const int MaxExportRows = 100_000;

    public static async Task<(IReadOnlyList<CallRow> Rows, int Total)> PageAsync(WallboardDbContext db, CallFilter filter, int page, int pageSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var query = Filtered(db, filter);
        var total = await query.CountAsync(ct);
        var rows = await Project(db, Ordered(query, filter.Sort).Skip(Math.Max(page - 1, 0) * pageSize).Take(pageSize)).ToListAsync(ct);
        return (await WithRecoveryAsync(db, await NameAsync(db, filter.StoreId, rows, ct), ct), total);
    }

    /// <summary>
    /// Every row, in order. <paramref name="lookups"/> is a second context for the recovery of each
    /// few hundred rows, read while <paramref name="db"/> streams.
    /// </summary>
    public static async IAsyncEnumerable<CallRow> StreamAsync(
        WallboardDbContext db, WallboardDbContext lookups, CallFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var names = await NamesAsync(db, filter.StoreId, ct);
        var batch = new List<CallRow>(RecoveryBatch);
        await foreach (var row in Project(db, Ordered(Filtered(db, filter), filter.Sort).Take(MaxExportRows)).AsAsyncEnumerable().WithCancellation(ct))
        {
            batch.Add(Name(row, names));
            if (batch.Count == RecoveryBatch)
            {
                foreach (var done in await WithRecoveryAsync(lookups, batch, ct))
                {
                    yield return done;
                }

                batch.Clear();
            }
        }

        foreach (var done in await WithRecoveryAsync(lookups, batch, ct))
        {
            yield return done;
        }
    }

    private const int RecoveryBatch = 500;

    private static async Task<IReadOnlyList<CallRow>> WithRecoveryAsync(WallboardDbContext db, IReadOnlyList<CallRow> rows, CancellationToken ct)
    {
        var missed = rows.Where(r => r.Outcome is { } o && o.IsMissed()).Select(r => r.Id).ToList();
        var recoveries = await MetricsQueries.ReadRecoveriesAsync(db, missed, ct);
        return rows.Select(r => recoveries.TryGetValue(r.Id, out var recovery) ? r with { Recovery = recovery } : r).ToList();
    }

    private static IQueryable<Call> Filtered(WallboardDbContext db, CallFilter filter)
    {
        var query = db.Calls.AsNoTracking().Where(c => c.StoreId == filter.StoreId);
        if (filter.Department is { } department)
        {
            query = query.Where(c => c.Department == department);
        }

        if (filter.From is { } from)
        {
            query = query.Where(c => c.StartedAt >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(c => c.StartedAt < to);
        }

        if (filter.Outcomes is { Count: > 0 } outcomes)
        {
            var wanted = outcomes.Select(o => (CallOutcome?)o).ToList();
            query = query.Where(c => wanted.Contains(c.Outcome));
        }

        if (filter.SourceId is { } source)
        {
            query = query.Where(c => c.LeadSourceId == source);
        }

        if (filter.SalespersonId is { } person)
        {
            query = query.Where(c => c.AnsweredBySalespersonId == person || db.CallRings.Any(r => r.CallId == c.Id && r.SalespersonId == person));
        }

        if (filter.CallbackStatus is { } status)
        {
            query = query.Where(c => db.CallbackCalls.Any(l => l.CallId == c.Id && db.Callbacks.Any(cb => cb.Id == l.CallbackId && cb.Status == status)));
        }

        return query;
    }

    private static IQueryable<Call> Ordered(IQueryable<Call> query, CallSort sort) => sort switch
    {
        CallSort.OldestFirst => query.OrderBy(c => c.StartedAt).ThenBy(c => c.Id),
        CallSort.LongestWaitFirst => query.OrderByDescending(c => c.WaitSeconds).ThenByDescending(c => c.StartedAt).ThenByDescending(c => c.Id),
        _ => query.OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id),
    };

    private static IQueryable<CallRow> Project(WallboardDbContext db, IQueryable<Call> query) =>
        from c in query
        let link = db.CallbackCalls.FirstOrDefault(l => l.CallId == c.Id)
        select new CallRow(
            c.Id,
            c.StartedAt,
            c.CallerE164 ?? c.CallerRaw,
            c.CallerWithheld,
            c.CallerName,
            c.LeadSourceId,
            string.Empty,
            c.Outcome,
            c.WaitSeconds,
            c.HoldSeconds,
            c.TalkSeconds,
            c.AnsweredBySalespersonId,
            c.AnsweredByAgent,
            link == null ? null : link.CallbackId,
            link == null ? null : db.Callbacks.Where(cb => cb.Id == link.CallbackId).Select(cb => (CallbackStatus?)cb.Status).FirstOrDefault(),
            c.RecordingUrl != null);

    private sealed record Names(IReadOnlyDictionary<int, string> Sources, IReadOnlyDictionary<int, string> People);

    private static async Task<Names> NamesAsync(WallboardDbContext db, int storeId, CancellationToken ct) => new(
        await db.LeadSources.AsNoTracking().Where(s => s.StoreId == storeId).ToDictionaryAsync(s => s.Id, s => s.Name, ct),
        await db.Salespeople.AsNoTracking().Where(p => p.StoreId == storeId).ToDictionaryAsync(p => p.Id, p => p.Name, ct));

    private static async Task<IReadOnlyList<CallRow>> NameAsync(WallboardDbContext db, int storeId, List<CallRow> rows, CancellationToken ct)
    {
        var names = await NamesAsync(db, storeId, ct);
        return rows.Select(r => Name(r, names)).ToList();
    }

    private static CallRow Name(CallRow row, Names names) => row with
    {
        Source = row.SourceId is { } id && names.Sources.TryGetValue(id, out var source) ? source : LeadSource.UnknownName,
        AnsweredBy = row.AnsweredById is { } person && names.People.TryGetValue(person, out var name) ? name : row.AnsweredBy,
    };
}
