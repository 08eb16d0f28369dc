using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Metrics;

/// <summary>
/// The §7 figures of one store over one period, counted by the database: each query is an
/// aggregate over an index range (calls by <c>StoreId, Department, StartedAt</c>; repeat callers
/// by <c>StoreId, CallerE164, StartedAt</c>; rings by their call's key; call-backs by
/// <c>StoreId, FirstMissedAt</c>), so a window's calls are never loaded into memory. The series
/// buckets (hours of a day, days of a longer window) come from the store's calendar and go into
/// the SQL as a small table of instants, so a DST day has its 23 or 25 hours.
/// </summary>
/// <remarks>
/// Plain SQL with positional CASE sums, portable between SQLite and PostgreSQL; enums are their
/// stored numbers (Outcome: 0 Connected, 1 AbandonedOnHold, 2 Voicemail, 3 Abandoned, 4 NoAnswer,
/// 5 ShortAbandon; Department 0 Sales; ring Result 2 NoAnswer; call-back Status 0 Open, 1 Claimed,
/// 3 Completed; Resolution 0 Reached, 1 AppointmentSet, 5 CallerCalledBack; attempt Outcome 1
/// AppointmentSet; transition Action 2 Claimed).
/// </remarks>
public static class MetricsQueries
{
    /// <summary>§7: a caller is first-time with no call to the store in this long before.</summary>
    public static readonly TimeSpan FirstTimeLookBack = TimeSpan.FromDays(90);

    public sealed record StoreFacts(int Id, string Name, string TimeZoneId, StoreSettings Settings, IReadOnlyDictionary<int, string> Sources, IReadOnlyList<Person> People)
    {
        public StoreCalendar Calendar { get; } = new(TimeZoneId);

        public string SourceName(int? id) => id is { } found && Sources.TryGetValue(found, out var name) ? name : LeadSource.UnknownName;
    }

    public sealed record Person(int Id, string Name, SalespersonRole Role, bool IsActive);

    public static async Task<List<StoreFacts>> LoadStoresAsync(WallboardDbContext db, int? storeId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var stores = await db.Stores.AsNoTracking().Where(s => storeId == null || s.Id == storeId).OrderBy(s => s.Id).ToListAsync(ct);
        var ids = stores.Select(s => s.Id).ToList();
        var sources = await db.LeadSources.AsNoTracking().Where(s => ids.Contains(s.StoreId)).ToListAsync(ct);
        var people = await db.Salespeople.AsNoTracking().Where(p => ids.Contains(p.StoreId)).OrderBy(p => p.Name).ToListAsync(ct);
        return stores.Select(s => new StoreFacts(
                s.Id, s.Name, s.TimeZoneId, s.Settings,
                sources.Where(x => x.StoreId == s.Id).ToDictionary(x => x.Id, x => x.Name),
                people.Where(p => p.StoreId == s.Id).Select(p => new Person(p.Id, p.Name, p.Role, p.IsActive)).ToList()))
            .ToList();
    }

    /// <summary>Every figure of the store's sales calls that started in the period, as of <paramref name="now"/>.</summary>
    public static async Task<MetricsReport> ReadAsync(
        WallboardDbContext db, StoreFacts store, MetricsWindow window, MetricsPeriod period, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(period);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var q = new Query(connection, store.Id, period.Start, period.End, now, store.Settings.ServiceLevelSeconds);
            var buckets = period.Buckets(store.Calendar);
            var bucketTable = BucketTable(buckets);

            var callRows = await q.RowsAsync(CallsByBucketAndSourceSql(bucketTable), r => new
            {
                Bucket = r.GetInt32(0),
                Source = r.IsDBNull(1) ? (int?)null : r.GetInt32(1),
                Totals = ReadCallTotals(r, 2),
            }, ct);
            var uniqueBySource = await q.RowsAsync(UniqueCallersBySourceSql, r => (Source: r.IsDBNull(0) ? (int?)null : r.GetInt32(0), Count: r.GetInt32(1)), ct);
            var uniqueInStore = (await q.RowsAsync(UniqueCallersSql, r => r.GetInt32(0), ct)).Single();
            var callbackRows = await q.RowsAsync(CallbacksBySourceSql, r => (
                Source: r.IsDBNull(0) ? (int?)null : r.GetInt32(0),
                Totals: new CallbackTotals { Created = r.GetInt32(1), Completed = r.GetInt32(2), CompletedWithinSla = r.GetInt32(3), Escalated = r.GetInt32(4) }), ct);
            var overdueRows = await q.RowsAsync(OverdueBySourceSql, r => (Source: r.IsDBNull(0) ? (int?)null : r.GetInt32(0), Count: r.GetInt32(1)), ct);
            var speedRows = await q.RowsAsync(SpeedToCallbackSql, r => (
                Source: r.IsDBNull(0) ? (int?)null : r.GetInt32(0),
                FirstBy: r.IsDBNull(1) ? (int?)null : r.GetInt32(1),
                Minutes: r.GetInt64(2) / 60_000.0), ct);
            var attemptRows = await q.RowsAsync(AttemptsSql, r => (
                Source: r.IsDBNull(0) ? (int?)null : r.GetInt32(0),
                Person: r.IsDBNull(1) ? (int?)null : r.GetInt32(1),
                Completing: r.GetInt32(2),
                Appointments: r.GetInt32(3)), ct);
            var claimRows = await q.RowsAsync(ClaimsSql, r => (Person: r.GetInt32(0), Count: r.GetInt32(1)), ct);
            var ringRows = await q.RowsAsync(RingsByBucketSql(bucketTable), r => (Bucket: r.GetInt32(0), Person: r.GetInt32(1), Rung: r.GetInt32(2), NoAnswer: r.GetInt32(3)), ct);
            var answerRows = await q.RowsAsync(AnsweredByBucketSql(bucketTable), r => (
                Bucket: r.GetInt32(0), Person: r.GetInt32(1), Answered: r.GetInt32(2), Unrung: r.GetInt32(3), TalkSeconds: r.GetInt64(4), Talked: r.GetInt32(5)), ct);

            // Store and sources.
            var storeCalls = Sum(callRows.Select(c => c.Totals)) with { UniqueCallers = uniqueInStore };
            var storeCallbacks = Sum(callbackRows.Select(c => c.Totals)) with
            {
                OverdueNow = overdueRows.Sum(o => o.Count),
                Appointments = attemptRows.Sum(a => a.Appointments),
            };
            var storeFigures = CallMetrics.From(storeCalls, storeCallbacks, Median.Of(speedRows.Select(s => s.Minutes)));

            var sourceIds = callRows.Select(c => c.Source)
                .Concat(callbackRows.Select(c => c.Source))
                .Concat(overdueRows.Select(o => o.Source))
                .Concat(attemptRows.Where(a => a.Appointments > 0).Select(a => a.Source))
                .Distinct()
                .ToList();
            var sources = sourceIds
                .Select(id =>
                {
                    var calls = Sum(callRows.Where(c => c.Source == id).Select(c => c.Totals)) with
                    {
                        UniqueCallers = uniqueBySource.Where(u => u.Source == id).Sum(u => u.Count),
                    };
                    var callbacks = Sum(callbackRows.Where(c => c.Source == id).Select(c => c.Totals)) with
                    {
                        OverdueNow = overdueRows.Where(o => o.Source == id).Sum(o => o.Count),
                        Appointments = attemptRows.Where(a => a.Source == id).Sum(a => a.Appointments),
                    };
                    var speed = Median.Of(speedRows.Where(s => s.Source == id).Select(s => s.Minutes));
                    return new SourceMetrics(id, store.SourceName(id), CallMetrics.From(calls, callbacks, speed));
                })
                .OrderByDescending(s => s.Figures.Offered).ThenByDescending(s => s.Figures.Missed).ThenBy(s => s.Name, StringComparer.Ordinal)
                .ToList();

            // Salespeople: every active salesperson, and anyone else with figures (a manager picking up).
            var busy = ringRows.Select(r => r.Person).Concat(answerRows.Select(a => a.Person))
                .Concat(attemptRows.Where(a => a.Person != null).Select(a => a.Person!.Value))
                .Concat(claimRows.Select(c => c.Person))
                .ToHashSet();
            var salespeople = store.People
                .Where(p => (p.IsActive && p.Role == SalespersonRole.Salesperson) || busy.Contains(p.Id))
                .Select(p =>
                {
                    var answered = answerRows.Where(a => a.Person == p.Id).ToList();
                    var rings = ringRows.Where(r => r.Person == p.Id).ToList();
                    var answeredCount = answered.Sum(a => a.Answered);
                    var rung = rings.Sum(r => r.Rung) + answered.Sum(a => a.Unrung);
                    var talked = answered.Sum(a => a.Talked);
                    return new SalespersonMetrics(
                        p.Id,
                        p.Name,
                        Rung: rung,
                        Answered: answeredCount,
                        RingNoAnswer: rings.Sum(r => r.NoAnswer),
                        PersonalAnswerRate: CallMetrics.Ratio(answeredCount, rung),
                        AvgTalkSeconds: CallMetrics.Ratio(answered.Sum(a => a.TalkSeconds), talked),
                        CallbacksClaimed: claimRows.Where(c => c.Person == p.Id).Sum(c => c.Count),
                        CallbacksCompleted: attemptRows.Where(a => a.Person == p.Id).Sum(a => a.Completing),
                        MedianSpeedToCallbackMinutes: Median.Of(speedRows.Where(s => s.FirstBy == p.Id).Select(s => s.Minutes)),
                        Appointments: attemptRows.Where(a => a.Person == p.Id).Sum(a => a.Appointments));
                })
                .OrderByDescending(s => s.Answered).ThenBy(s => s.RingNoAnswer).ThenBy(s => s.Name, StringComparer.Ordinal)
                .ToList();

            var series = buckets
                .Select(b =>
                {
                    var t = Sum(callRows.Where(c => c.Bucket == b.Index).Select(c => c.Totals));
                    return new SeriesPoint(b.Label, b.Start, t.Offered, t.ShortAbandons, t.Connected, t.Missed, t.Offered - t.Ended);
                })
                .ToList();
            var sourceSeries = callRows
                .Select(c => new SubjectPoint(c.Bucket, c.Source ?? 0, c.Totals.Offered, c.Totals.Connected, c.Totals.Missed))
                .OrderBy(p => p.BucketIndex).ThenBy(p => p.SubjectId)
                .ToList();
            var personSeries = answerRows.Select(a => (a.Bucket, a.Person)).Concat(ringRows.Select(r => (r.Bucket, r.Person))).Distinct()
                .Select(k => new SubjectPoint(
                    k.Bucket,
                    k.Person,
                    ringRows.Where(r => r.Bucket == k.Bucket && r.Person == k.Person).Sum(r => r.Rung)
                        + answerRows.Where(a => a.Bucket == k.Bucket && a.Person == k.Person).Sum(a => a.Unrung),
                    answerRows.Where(a => a.Bucket == k.Bucket && a.Person == k.Person).Sum(a => a.Answered),
                    ringRows.Where(r => r.Bucket == k.Bucket && r.Person == k.Person).Sum(r => r.NoAnswer)))
                .OrderBy(p => p.BucketIndex).ThenBy(p => p.SubjectId)
                .ToList();

            return new MetricsReport(
                store.Id, store.Name, store.TimeZoneId, window, period.Start, period.End, now,
                storeFigures, salespeople, sources, series, sourceSeries, personSeries);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private const string InWindow =
        "c.\"StoreId\" = @store AND c.\"Department\" = 0 AND c.\"StartedAt\" >= @start AND c.\"StartedAt\" < @end";

    private static string CallsByBucketAndSourceSql(string buckets) => $"""
        WITH b(i, s, e) AS ({buckets})
        SELECT b.i, c."LeadSourceId",
          COUNT(*),
          SUM(CASE WHEN c."EndedAt" IS NOT NULL THEN 1 ELSE 0 END),
          SUM(CASE WHEN c."Outcome" = 5 THEN 1 ELSE 0 END),
          SUM(CASE WHEN c."Outcome" = 0 THEN 1 ELSE 0 END),
          SUM(CASE WHEN c."Outcome" IN (1, 2, 3, 4) THEN 1 ELSE 0 END),
          SUM(CASE WHEN c."Outcome" = 3 THEN 1 ELSE 0 END),
          SUM(CASE WHEN c."Outcome" = 1 THEN 1 ELSE 0 END),
          SUM(CASE WHEN c."Outcome" = 2 THEN 1 ELSE 0 END),
          SUM(CASE WHEN c."Outcome" = 4 THEN 1 ELSE 0 END),
          SUM(CASE WHEN c."Outcome" = 0 AND c."WaitSeconds" <= @serviceLevel THEN 1 ELSE 0 END),
          SUM(CASE WHEN c."AnsweredAt" IS NOT NULL THEN 1 ELSE 0 END),
          SUM(CASE WHEN c."AnsweredAt" IS NOT NULL THEN COALESCE(c."WaitSeconds", 0) ELSE 0 END),
          MAX(c."WaitSeconds"),
          SUM(CASE WHEN c."Outcome" = 3 THEN COALESCE(c."WaitSeconds", 0) ELSE 0 END),
          SUM(CASE WHEN c."AnsweredAt" IS NOT NULL AND c."HoldCount" > 0 THEN 1 ELSE 0 END),
          SUM(CASE WHEN c."AnsweredAt" IS NOT NULL AND c."HoldCount" > 0 THEN c."HoldSeconds" ELSE 0 END),
          MAX(CASE WHEN c."AnsweredAt" IS NOT NULL AND c."HoldCount" > 0 THEN c."HoldSeconds" END),
          SUM(CASE WHEN c."CallerE164" IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM "Calls" p
                WHERE p."StoreId" = c."StoreId" AND p."CallerE164" = c."CallerE164"
                  AND p."StartedAt" < c."StartedAt" AND p."StartedAt" >= c."StartedAt" - @lookBack) THEN 1 ELSE 0 END),
          SUM(CASE WHEN c."Outcome" IN (1, 2, 3, 4) AND c."CallerE164" IS NOT NULL AND (
                EXISTS (
                  SELECT 1 FROM "CallbackCalls" l JOIN "Callbacks" cb ON cb."Id" = l."CallbackId"
                  WHERE l."CallId" = c."Id" AND cb."Status" = 3 AND cb."Resolution" IN (0, 1, 5))
                OR EXISTS (
                  SELECT 1 FROM "Calls" n
                  WHERE n."StoreId" = c."StoreId" AND n."CallerE164" = c."CallerE164"
                    AND n."StartedAt" > c."StartedAt" AND n."Outcome" = 0)) THEN 1 ELSE 0 END)
        FROM "Calls" c JOIN b ON c."StartedAt" >= b.s AND c."StartedAt" < b.e
        WHERE {InWindow}
        GROUP BY b.i, c."LeadSourceId"
        """;

    private const string UniqueCallersBySourceSql = $"""
        SELECT c."LeadSourceId", COUNT(DISTINCT c."CallerE164") FROM "Calls" c WHERE {InWindow} GROUP BY c."LeadSourceId"
        """;

    private const string UniqueCallersSql = $"""
        SELECT COUNT(DISTINCT c."CallerE164") FROM "Calls" c WHERE {InWindow}
        """;

    private const string CallbacksInWindow =
        "cb.\"StoreId\" = @store AND cb.\"Department\" = 0 AND cb.\"FirstMissedAt\" >= @start AND cb.\"FirstMissedAt\" < @end";

    private const string CallbacksBySourceSql = $"""
        SELECT cb."LeadSourceId",
          COUNT(*),
          SUM(CASE WHEN cb."Status" = 3 THEN 1 ELSE 0 END),
          SUM(CASE WHEN cb."Status" = 3 AND COALESCE(cb."FirstAttemptAt", cb."ClosedAt") <= cb."FirstResponseDueAt" THEN 1 ELSE 0 END),
          SUM(CASE WHEN cb."EscalatedAt" IS NOT NULL THEN 1 ELSE 0 END)
        FROM "Callbacks" cb WHERE {CallbacksInWindow}
        GROUP BY cb."LeadSourceId"
        """;

    // §6 "overdue": open or claimed, past due, no attempt since it fell due; a no-number one never is.
    private const string OverdueBySourceSql = """
        SELECT cb."LeadSourceId", COUNT(*) FROM "Callbacks" cb
        WHERE cb."StoreId" = @store AND cb."Department" = 0 AND cb."Status" IN (0, 1) AND cb."DueAt" <= @now
          AND cb."NoNumber" = 0 AND (cb."LastAttemptAt" IS NULL OR cb."LastAttemptAt" < cb."DueAt")
        GROUP BY cb."LeadSourceId"
        """;

    // Speed to call-back: from the first missed call's start to the first attempt (as on the TV).
    private const string SpeedToCallbackSql = $"""
        SELECT cb."LeadSourceId",
          (SELECT a."SalespersonId" FROM "CallbackAttempts" a WHERE a."CallbackId" = cb."Id" ORDER BY a."At", a."Id" LIMIT 1),
          cb."FirstAttemptAt" - cb."FirstMissedAt"
        FROM "Callbacks" cb WHERE {CallbacksInWindow} AND cb."FirstAttemptAt" IS NOT NULL
        """;

    // Work done in the window: attempts that completed a call-back, and appointments set.
    private const string AttemptsSql = """
        SELECT cb."LeadSourceId", a."SalespersonId",
          SUM(CASE WHEN a."Outcome" IN (0, 1, 4, 5, 6) THEN 1 ELSE 0 END),
          SUM(CASE WHEN a."Outcome" = 1 THEN 1 ELSE 0 END)
        FROM "CallbackAttempts" a JOIN "Callbacks" cb ON cb."Id" = a."CallbackId"
        WHERE cb."StoreId" = @store AND cb."Department" = 0 AND a."At" >= @start AND a."At" < @end
        GROUP BY cb."LeadSourceId", a."SalespersonId"
        """;

    private const string ClaimsSql = """
        SELECT t."ActorSalespersonId", COUNT(DISTINCT t."CallbackId")
        FROM "CallbackTransitions" t JOIN "Callbacks" cb ON cb."Id" = t."CallbackId"
        WHERE cb."StoreId" = @store AND cb."Department" = 0 AND t."Action" = 2 AND t."ActorSalespersonId" IS NOT NULL
          AND t."At" >= @start AND t."At" < @end
        GROUP BY t."ActorSalespersonId"
        """;

    private static string RingsByBucketSql(string buckets) => $"""
        WITH b(i, s, e) AS ({buckets})
        SELECT b.i, r."SalespersonId", COUNT(DISTINCT r."CallId"), SUM(CASE WHEN r."Result" = 2 THEN 1 ELSE 0 END)
        FROM "Calls" c JOIN b ON c."StartedAt" >= b.s AND c."StartedAt" < b.e
          JOIN "CallRings" r ON r."CallId" = c."Id"
        WHERE {InWindow} AND r."SalespersonId" IS NOT NULL
        GROUP BY b.i, r."SalespersonId"
        """;

    // Answered calls per person; "unrung" are answers with no ring of theirs on the call (phone
    // systems that send no ringing), so that rung counts every call that reached them.
    // The unary + keeps SQLite's planner on the ring's primary key (CallId, Ordinal): left free it
    // took the (SalespersonId, StartedAt) index and read every ring of that person for each call,
    // minutes for a 30-day window at a million calls. + is a no-op on PostgreSQL too.
    private static string AnsweredByBucketSql(string buckets) => $"""
        WITH b(i, s, e) AS ({buckets})
        SELECT b.i, c."AnsweredBySalespersonId", COUNT(*),
          SUM(CASE WHEN NOT EXISTS (
                SELECT 1 FROM "CallRings" r WHERE r."CallId" = c."Id" AND +r."SalespersonId" = c."AnsweredBySalespersonId") THEN 1 ELSE 0 END),
          COALESCE(SUM(c."TalkSeconds"), 0),
          COUNT(c."TalkSeconds")
        FROM "Calls" c JOIN b ON c."StartedAt" >= b.s AND c."StartedAt" < b.e
        WHERE {InWindow} AND c."AnsweredBySalespersonId" IS NOT NULL
        GROUP BY b.i, c."AnsweredBySalespersonId"
        """;

    private static string BucketTable(IReadOnlyList<MetricsBucket> buckets)
    {
        var sql = new StringBuilder("VALUES ");
        foreach (var bucket in buckets)
        {
            if (bucket.Index > 0)
            {
                sql.Append(", ");
            }

            sql.Append(CultureInfo.InvariantCulture, $"({bucket.Index}, {bucket.Start.ToUnixTimeMilliseconds()}, {bucket.End.ToUnixTimeMilliseconds()})");
        }

        return sql.ToString();
    }

    private static CallTotals ReadCallTotals(DbDataReader r, int at) => new()
    {
        Offered = r.GetInt32(at),
        Ended = r.GetInt32(at + 1),
        ShortAbandons = r.GetInt32(at + 2),
        Connected = r.GetInt32(at + 3),
        Missed = r.GetInt32(at + 4),
        Abandoned = r.GetInt32(at + 5),
        AbandonedOnHold = r.GetInt32(at + 6),
        Voicemail = r.GetInt32(at + 7),
        NoAnswer = r.GetInt32(at + 8),
        ConnectedWithinServiceLevel = r.GetInt32(at + 9),
        Answered = r.GetInt32(at + 10),
        AnsweredWaitSeconds = r.GetInt64(at + 11),
        LongestWaitSeconds = r.IsDBNull(at + 12) ? null : r.GetInt32(at + 12),
        AbandonedWaitSeconds = r.GetInt64(at + 13),
        Held = r.GetInt32(at + 14),
        HeldSeconds = r.GetInt64(at + 15),
        LongestHoldSeconds = r.IsDBNull(at + 16) ? null : r.GetInt32(at + 16),
        FirstTimeCallers = r.GetInt32(at + 17),
        RecoveredMissed = r.GetInt32(at + 18),
    };

    private static CallTotals Sum(IEnumerable<CallTotals> parts) => parts.Aggregate(CallTotals.None, (a, b) => new CallTotals
    {
        Offered = a.Offered + b.Offered,
        Ended = a.Ended + b.Ended,
        ShortAbandons = a.ShortAbandons + b.ShortAbandons,
        Connected = a.Connected + b.Connected,
        Missed = a.Missed + b.Missed,
        Abandoned = a.Abandoned + b.Abandoned,
        AbandonedOnHold = a.AbandonedOnHold + b.AbandonedOnHold,
        Voicemail = a.Voicemail + b.Voicemail,
        NoAnswer = a.NoAnswer + b.NoAnswer,
        ConnectedWithinServiceLevel = a.ConnectedWithinServiceLevel + b.ConnectedWithinServiceLevel,
        Answered = a.Answered + b.Answered,
        AnsweredWaitSeconds = a.AnsweredWaitSeconds + b.AnsweredWaitSeconds,
        LongestWaitSeconds = Max(a.LongestWaitSeconds, b.LongestWaitSeconds),
        AbandonedWaitSeconds = a.AbandonedWaitSeconds + b.AbandonedWaitSeconds,
        Held = a.Held + b.Held,
        HeldSeconds = a.HeldSeconds + b.HeldSeconds,
        LongestHoldSeconds = Max(a.LongestHoldSeconds, b.LongestHoldSeconds),
        UniqueCallers = a.UniqueCallers + b.UniqueCallers,
        FirstTimeCallers = a.FirstTimeCallers + b.FirstTimeCallers,
        RecoveredMissed = a.RecoveredMissed + b.RecoveredMissed,
    });

    private static CallbackTotals Sum(IEnumerable<CallbackTotals> parts) => parts.Aggregate(CallbackTotals.None, (a, b) => new CallbackTotals
    {
        Created = a.Created + b.Created,
        Completed = a.Completed + b.Completed,
        CompletedWithinSla = a.CompletedWithinSla + b.CompletedWithinSla,
        Escalated = a.Escalated + b.Escalated,
        OverdueNow = a.OverdueNow + b.OverdueNow,
        Appointments = a.Appointments + b.Appointments,
    });

    private static int? Max(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    /// <summary>One store and period's parameters, bound to every statement.</summary>
    private sealed class Query(DbConnection connection, int storeId, DateTimeOffset start, DateTimeOffset end, DateTimeOffset now, int serviceLevelSeconds)
    {
        public async Task<List<T>> RowsAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken ct)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            Add(command, "@store", storeId);
            Add(command, "@start", start.ToUnixTimeMilliseconds());
            Add(command, "@end", end.ToUnixTimeMilliseconds());
            Add(command, "@now", now.ToUnixTimeMilliseconds());
            Add(command, "@serviceLevel", serviceLevelSeconds);
            Add(command, "@lookBack", (long)FirstTimeLookBack.TotalMilliseconds);
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(read(reader));
            }

            return rows;
        }

        private static void Add(DbCommand command, string name, object value)
        {
            if (!command.CommandText.Contains(name, StringComparison.Ordinal))
            {
                return;
            }

            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }
}
