using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Metrics;

/// <summary>
/// The facts behind the §7 figures of one store over one period, counted by the database: each
/// query is an aggregate over an index range (calls by <c>StoreId, Department, StartedAt</c>; repeat
/// callers by <c>StoreId, CallerE164, StartedAt</c>; rings by their call's key; call-backs by
/// <c>StoreId, FirstMissedAt</c>), so a window's calls are never loaded into memory. The series
/// buckets (hours of a day, days of a longer window) come from the store's calendar and go into
/// the SQL as a small table of instants, so a DST day has its 23 or 25 hours.
/// </summary>
/// <remarks>
/// The SQL only groups and counts; what an outcome counts as, what recovers a missed call and which
/// attempt completes a call-back are decided in <c>Wallboard.Domain</c>
/// (<see cref="MetricsAggregation"/>, <see cref="CallTotals"/>, <see cref="MissedRecoveries"/>).
/// Enum values the SQL filters on are parameters taken from the enums, and every column is read by
/// its name. The live board reads the same queries for its day (<see cref="ReadRowsAsync"/>), so
/// the TV and the reports count each figure the same way. Portable between SQLite and PostgreSQL.
/// </remarks>
public static class MetricsQueries
{
    /// <summary>§7: a caller is first-time with no call to the store in this long before.</summary>
    public static readonly TimeSpan FirstTimeLookBack = TimeSpan.FromDays(90);

    public sealed record StoreFacts(int Id, string Name, string TimeZoneId, StoreSettings Settings, IReadOnlyDictionary<int, string> Sources, IReadOnlyList<Person> People)
    {
        public StoreCalendar Calendar { get; } = new(TimeZoneId);

        public string SourceName(int? id) => id is { } found && Sources.TryGetValue(found, out var name) ? name : LeadSource.UnknownName;

        public MetricsSubject Subject => new(Id, Name, TimeZoneId, Sources, People.Select(p => new MetricsSubject.Person(p.Id, p.Name, p.Role, p.IsActive)).ToList());
    }

    public sealed record Person(int Id, string Name, SalespersonRole Role, bool IsActive);

    /// <summary>Which calls are counted: a store's department, calls that started in [Start, End), as of Now.</summary>
    public sealed record Scope(int StoreId, Department Department, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset Now, int ServiceLevelSeconds);

    /// <summary>
    /// What to read: the call figures only (<see cref="Calls"/>, the live board's day), everything a
    /// report needs (<see cref="All"/>), or a part of it: the facts of single calls that a closed
    /// day keeps (<see cref="CallFacts"/>, <see cref="Callers"/>: what daily roll-ups hold), and what
    /// keeps moving after the day (<see cref="Moving"/>: recovery, call-backs, attempts, claims).
    /// </summary>
    [Flags]
    public enum Parts
    {
        None = 0,

        /// <summary>Call groups, rings and answers.</summary>
        CallFacts = 1,

        /// <summary>Missed calls by the facts their recovery is decided on.</summary>
        Recovery = 2,

        /// <summary>Speed to call-back per call-back with an attempt.</summary>
        Speed = 4,

        /// <summary>Distinct callers of the store and per source.</summary>
        Callers = 8,

        /// <summary>Call-backs, overdue ones, attempts and claims.</summary>
        Callbacks = 16,

        Calls = CallFacts | Recovery | Speed,
        Moving = Recovery | Speed | Callbacks,
        All = Calls | Callers | Callbacks,
    }

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

    /// <summary>
    /// Every figure of the store's sales calls that started in the period, as of <paramref name="now"/>:
    /// the closed days from their daily roll-ups (<see cref="DailyRollups"/>; a day whose roll-up is
    /// missing or stale is read from its calls, and nothing is written), the days not closed yet and
    /// what keeps moving (recovery, call-backs) read now; a period without any current roll-up
    /// (today) is read from its calls whole. The same figures as <see cref="ReadFromCallsAsync"/>.
    /// </summary>
    public static async Task<MetricsReport> ReadAsync(
        WallboardDbContext db, StoreFacts store, MetricsWindow window, MetricsPeriod period, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(period);
        if (period.DayCount > DailyRollup.MaxDays || await DailyRollups.FactsAsync(db, store, period, now, ct) is not { } days)
        {
            return await ReadFromCallsAsync(db, store, window, period, now, ct);
        }

        var buckets = period.Buckets(store.Calendar);
        var scope = new Scope(store.Id, Department.Sales, period.Start, period.End, now, store.Settings.ServiceLevelSeconds);
        var moving = await ReadRowsAsync(db, scope, buckets, Parts.Moving, ct);
        return MetricsAggregation.Report(store.Subject, window, period, buckets, now, DailyRollup.Rows(days, moving));
    }

    /// <summary>Every figure of the period recomputed from its calls, without roll-ups (the reference the roll-ups are checked against).</summary>
    public static async Task<MetricsReport> ReadFromCallsAsync(
        WallboardDbContext db, StoreFacts store, MetricsWindow window, MetricsPeriod period, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(period);
        var buckets = period.Buckets(store.Calendar);
        var scope = new Scope(store.Id, Department.Sales, period.Start, period.End, now, store.Settings.ServiceLevelSeconds);
        var rows = await ReadRowsAsync(db, scope, buckets, Parts.All, ct);
        return MetricsAggregation.Report(store.Subject, window, period, buckets, now, rows);
    }

    /// <summary>
    /// The facts of one store-local day's calls that its roll-up keeps (<see cref="DailyFacts"/>):
    /// call groups, rings and answers by hour, and each numbered call's gap to the number's previous call.
    /// </summary>
    public static async Task<DailyFacts> ReadDayAsync(WallboardDbContext db, StoreFacts store, DateOnly day, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(store);
        var period = MetricsPeriod.Days(store.Calendar, day, 1);
        var scope = new Scope(store.Id, Department.Sales, period.Start, period.End, now, store.Settings.ServiceLevelSeconds);
        var rows = await ReadRowsAsync(db, scope, period.Buckets(store.Calendar), Parts.CallFacts, ct);
        List<(int? Source, DateTimeOffset? InStore, DateTimeOffset? InSource)> previous;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            previous = await new Query(db.Database.GetDbConnection(), scope).RowsAsync(PreviousCallsSql, r => (
                r.IntOrNull("source"),
                r.LongOrNull("previous_in_store") is { } s ? DateTimeOffset.FromUnixTimeMilliseconds(s) : (DateTimeOffset?)null,
                r.LongOrNull("previous_in_source") is { } p ? DateTimeOffset.FromUnixTimeMilliseconds(p) : (DateTimeOffset?)null), ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        DateOnly? LocalDay(DateTimeOffset? at) => at is { } instant ? store.Calendar.LocalDate(instant) : null;
        return new DailyFacts
        {
            Calls = rows.Calls,
            Rings = [.. rows.Rings.Select(r => new DailyRings(r.Bucket, r.SalespersonId, r.Rung, r.NoAnswer))],
            Answers = [.. rows.Answers.Select(a => new DailyAnswers(a.Bucket, a.SalespersonId, a.Answered, a.Unrung, a.TalkSeconds, a.Talked))],
            Callers = [.. previous
                .GroupBy(p => (SourceId: p.Source, InStore: DailyRollup.Gap(day, LocalDay(p.InStore)), InSource: DailyRollup.Gap(day, LocalDay(p.InSource))))
                .Select(g => new CallerGap(g.Key.SourceId, g.Key.InStore, g.Key.InSource, g.Count()))
                .OrderBy(g => g.SourceId).ThenBy(g => g.StoreGapDays).ThenBy(g => g.SourceGapDays)],
        };
    }

    /// <summary>The facts of the scope's calls (and with <see cref="Parts.All"/> its call-backs, attempts and claims), per bucket.</summary>
    public static async Task<MetricsRows> ReadRowsAsync(
        WallboardDbContext db, Scope scope, IReadOnlyList<MetricsBucket> buckets, Parts parts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(buckets);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var q = new Query(connection, scope);
            var bucketOf = BucketOf(buckets, scope);
            var rows = new MetricsRows();
            if (parts.HasFlag(Parts.CallFacts))
            {
                rows = rows with
                {
                    Calls = await q.RowsAsync(CallGroupsSql(bucketOf), r => new CallGroup(
                        Bucket: r.Int("bucket"),
                        SourceId: r.IntOrNull("source"),
                        Outcome: r.IntOrNull("outcome") is { } outcome ? (CallOutcome)outcome : null,
                        Ended: r.Flag("ended"),
                        Answered: r.Flag("answered"),
                        Calls: r.Int("calls"),
                        WithinServiceLevel: r.Int("within_service_level"),
                        WaitSeconds: r.Long("wait_seconds"),
                        LongestWaitSeconds: r.IntOrNull("longest_wait"),
                        Held: r.Int("held"),
                        HeldSeconds: r.Long("held_seconds"),
                        LongestHoldSeconds: r.IntOrNull("longest_hold"),
                        FirstTimeCallers: r.Int("first_time_callers")), ct),
                    Rings = await q.RowsAsync(RingsByBucketSql(bucketOf), r => (r.Int("bucket"), r.Int("salesperson"), r.Int("rung"), r.Int("no_answer")), ct),
                    Answers = await q.RowsAsync(AnsweredByBucketSql(bucketOf), r => (
                        r.Int("bucket"), r.Int("salesperson"), r.Int("answered"), r.Int("unrung"), r.Long("talk_seconds"), r.Int("talked")), ct),
                };
            }

            if (parts.HasFlag(Parts.Recovery))
            {
                rows = rows with
                {
                    Missed = await q.RowsAsync(MissedGroupsSql(bucketOf), r => new MissedGroup(
                        Bucket: r.Int("bucket"),
                        SourceId: r.IntOrNull("source"),
                        Outcome: (CallOutcome)r.Int("outcome"),
                        CompletedAs: r.IntOrNull("completed_as") is { } resolution ? (CallbackResolution)resolution : null,
                        GotThroughLater: r.Flag("got_through_later"),
                        Calls: r.Int("calls")), ct),
                };
            }

            if (parts.HasFlag(Parts.Speed))
            {
                rows = rows with
                {
                    SpeedToCallback = await q.RowsAsync(SpeedToCallbackSql, r => (r.IntOrNull("source"), r.IntOrNull("first_attempt_by"), r.Long("milliseconds") / 60_000.0), ct),
                };
            }

            if (parts.HasFlag(Parts.Callers))
            {
                rows = rows with
                {
                    UniqueCallersBySource = await q.RowsAsync(UniqueCallersBySourceSql, r => (r.IntOrNull("source"), r.Int("callers")), ct),
                    UniqueCallers = (await q.RowsAsync(UniqueCallersSql, r => r.Int("callers"), ct)).Single(),
                };
            }

            if (parts.HasFlag(Parts.Callbacks))
            {
                rows = rows with
                {
                    Callbacks = await q.RowsAsync(CallbacksBySourceSql, r => (r.IntOrNull("source"), new CallbackTotals
                    {
                        Created = r.Int("created"),
                        Completed = r.Int("completed"),
                        CompletedWithinSla = r.Int("completed_within_sla"),
                        Escalated = r.Int("escalated"),
                    }), ct),
                    OverdueBySource = await q.RowsAsync(OverdueBySourceSql, r => (r.IntOrNull("source"), r.Int("overdue")), ct),
                    Attempts = await q.RowsAsync(AttemptsSql, r => (r.IntOrNull("source"), r.IntOrNull("salesperson"), (AttemptOutcome)r.Int("outcome"), r.Int("attempts")), ct),
                    Claims = await q.RowsAsync(ClaimsSql, r => (r.Int("salesperson"), r.Int("claims")), ct),
                };
            }

            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// How each of the given calls was recovered (<see cref="MissedRecoveries.Of"/>), from the same
    /// facts the figures count; calls that are not missed are left out.
    /// </summary>
    public static async Task<Dictionary<long, MissedRecovery>> ReadRecoveriesAsync(WallboardDbContext db, IReadOnlyCollection<long> callIds, CancellationToken ct)
    {
        var recoveries = new Dictionary<long, MissedRecovery>();
        foreach (var (id, facts) in await ReadRecoveryFactsAsync(db, callIds, ct))
        {
            if (MissedRecoveries.Of(facts.Outcome, facts.CompletedAs, facts.GotThroughLater) is { } recovery)
            {
                recoveries[id] = recovery;
            }
        }

        return recoveries;
    }

    /// <summary>The two facts recovery is decided on, for those of the given calls that are missed.</summary>
    public sealed record RecoveryFacts(CallOutcome Outcome, CallbackResolution? CompletedAs, bool GotThroughLater);

    /// <summary>
    /// What <see cref="MissedRecoveries.Of"/> needs of each of the given calls that is missed: the
    /// resolution of its completed call-back and whether a later call of its number connected.
    /// </summary>
    public static async Task<Dictionary<long, RecoveryFacts>> ReadRecoveryFactsAsync(WallboardDbContext db, IReadOnlyCollection<long> callIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(callIds);
        var facts = new Dictionary<long, RecoveryFacts>();
        if (callIds.Count == 0)
        {
            return facts;
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // SQLite allows 32,766 parameters a statement; stay far below.
            foreach (var chunk in callIds.Distinct().Chunk(500))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"""
                    SELECT c."Id" AS id, c."Outcome" AS outcome, {CompletedAs} AS completed_as, {GotThroughLater} AS got_through_later
                    FROM "Calls" c WHERE c."Id" IN ({string.Join(", ", chunk.Select((_, i) => $"@id{i}"))}) AND c."Outcome" IN ({Parameters.MissedList})
                    """;
                for (var i = 0; i < chunk.Length; i++)
                {
                    Parameters.Add(command, $"@id{i}", chunk[i]);
                }

                Parameters.AddEnums(command);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var row = new Row(reader);
                    var resolution = row.IntOrNull("completed_as") is { } r ? (CallbackResolution?)r : null;
                    facts[row.Long("id")] = new RecoveryFacts((CallOutcome)row.Int("outcome"), resolution, row.Flag("got_through_later"));
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return facts;
    }

    private const string InWindow =
        "c.\"StoreId\" = @store AND c.\"Department\" = @department AND c.\"StartedAt\" >= @start AND c.\"StartedAt\" < @end";

    // The two facts a missed call's recovery is decided on (MissedRecoveries.Of), for the call "c":
    // the resolution of its completed call-back, and whether a later call of its number connected
    // (any department, any later day: the caller got through to the store).
    private const string CompletedAs = """
        (SELECT cb."Resolution" FROM "CallbackCalls" l JOIN "Callbacks" cb ON cb."Id" = l."CallbackId"
         WHERE l."CallId" = c."Id" AND cb."Status" = @statusCompleted ORDER BY cb."Id" DESC LIMIT 1)
        """;

    private const string GotThroughLater = """
        CASE WHEN c."CallerE164" IS NOT NULL AND EXISTS (
          SELECT 1 FROM "Calls" n
          WHERE n."StoreId" = c."StoreId" AND n."CallerE164" = c."CallerE164"
            AND n."StartedAt" > c."StartedAt" AND n."Outcome" = @outcomeConnected) THEN 1 ELSE 0 END
        """;

    // One row per bucket, source, outcome and state; the domain decides what each counts as.
    private static string CallGroupsSql(string bucketOf) => $"""
        SELECT {bucketOf} AS bucket, c."LeadSourceId" AS source, c."Outcome" AS outcome,
          CASE WHEN c."EndedAt" IS NOT NULL THEN 1 ELSE 0 END AS ended,
          CASE WHEN c."AnsweredAt" IS NOT NULL THEN 1 ELSE 0 END AS answered,
          COUNT(*) AS calls,
          SUM(CASE WHEN c."WaitSeconds" <= @serviceLevel THEN 1 ELSE 0 END) AS within_service_level,
          COALESCE(SUM(c."WaitSeconds"), 0) AS wait_seconds,
          MAX(c."WaitSeconds") AS longest_wait,
          SUM(CASE WHEN c."HoldCount" > 0 THEN 1 ELSE 0 END) AS held,
          SUM(CASE WHEN c."HoldCount" > 0 THEN c."HoldSeconds" ELSE 0 END) AS held_seconds,
          MAX(CASE WHEN c."HoldCount" > 0 THEN c."HoldSeconds" END) AS longest_hold,
          SUM(CASE WHEN c."CallerE164" IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM "Calls" p
                WHERE p."StoreId" = c."StoreId" AND p."CallerE164" = c."CallerE164"
                  AND p."StartedAt" < c."StartedAt" AND p."StartedAt" >= c."StartedAt" - @lookBack) THEN 1 ELSE 0 END) AS first_time_callers
        FROM "Calls" c
        WHERE {InWindow}
        GROUP BY {bucketOf}, c."LeadSourceId", c."Outcome",
          CASE WHEN c."EndedAt" IS NOT NULL THEN 1 ELSE 0 END,
          CASE WHEN c."AnsweredAt" IS NOT NULL THEN 1 ELSE 0 END
        """;

    private static string MissedGroupsSql(string bucketOf) => $"""
        SELECT m.bucket, m.source, m.outcome, m.completed_as, m.got_through_later, COUNT(*) AS calls
        FROM (
          SELECT {bucketOf} AS bucket, c."LeadSourceId" AS source, c."Outcome" AS outcome,
            {CompletedAs} AS completed_as,
            {GotThroughLater} AS got_through_later
          FROM "Calls" c
          WHERE {InWindow} AND c."Outcome" IN ({Parameters.MissedList})) m
        GROUP BY m.bucket, m.source, m.outcome, m.completed_as, m.got_through_later
        """;

    private const string UniqueCallersBySourceSql = $"""
        SELECT c."LeadSourceId" AS source, COUNT(DISTINCT c."CallerE164") AS callers FROM "Calls" c WHERE {InWindow} GROUP BY c."LeadSourceId"
        """;

    private const string UniqueCallersSql = $"""
        SELECT COUNT(DISTINCT c."CallerE164") AS callers FROM "Calls" c WHERE {InWindow}
        """;

    // Per call with a number: when the same number last called the store (sales), and the same
    // source, before it (ties broken by id), looked up no further back than a roll-up's gaps reach.
    private const string PreviousCallsSql = $"""
        SELECT c."LeadSourceId" AS source,
          (SELECT MAX(p."StartedAt") FROM "Calls" p
           WHERE p."StoreId" = c."StoreId" AND p."CallerE164" = c."CallerE164" AND p."Department" = c."Department"
             AND p."StartedAt" >= c."StartedAt" - @gapLookBack
             AND (p."StartedAt" < c."StartedAt" OR (p."StartedAt" = c."StartedAt" AND p."Id" < c."Id"))) AS previous_in_store,
          (SELECT MAX(p."StartedAt") FROM "Calls" p
           WHERE p."StoreId" = c."StoreId" AND p."CallerE164" = c."CallerE164" AND p."Department" = c."Department"
             AND (p."LeadSourceId" = c."LeadSourceId" OR (p."LeadSourceId" IS NULL AND c."LeadSourceId" IS NULL))
             AND p."StartedAt" >= c."StartedAt" - @gapLookBack
             AND (p."StartedAt" < c."StartedAt" OR (p."StartedAt" = c."StartedAt" AND p."Id" < c."Id"))) AS previous_in_source
        FROM "Calls" c WHERE {InWindow} AND c."CallerE164" IS NOT NULL
        """;

    private const string CallbacksInWindow =
        "cb.\"StoreId\" = @store AND cb.\"Department\" = @department AND cb.\"FirstMissedAt\" >= @start AND cb.\"FirstMissedAt\" < @end";

    private const string CallbacksBySourceSql = $"""
        SELECT cb."LeadSourceId" AS source,
          COUNT(*) AS created,
          SUM(CASE WHEN cb."Status" = @statusCompleted THEN 1 ELSE 0 END) AS completed,
          SUM(CASE WHEN cb."Status" = @statusCompleted AND COALESCE(cb."FirstAttemptAt", cb."ClosedAt") <= cb."FirstResponseDueAt" THEN 1 ELSE 0 END) AS completed_within_sla,
          SUM(CASE WHEN cb."EscalatedAt" IS NOT NULL THEN 1 ELSE 0 END) AS escalated
        FROM "Callbacks" cb WHERE {CallbacksInWindow}
        GROUP BY cb."LeadSourceId"
        """;

    // §6 "overdue": open or claimed, past due, no attempt since it fell due; a no-number one never is.
    private const string OverdueBySourceSql = """
        SELECT cb."LeadSourceId" AS source, COUNT(*) AS overdue FROM "Callbacks" cb
        WHERE cb."StoreId" = @store AND cb."Department" = @department AND cb."Status" IN (@statusOpen, @statusClaimed) AND cb."DueAt" <= @now
          AND cb."NoNumber" = FALSE AND (cb."LastAttemptAt" IS NULL OR cb."LastAttemptAt" < cb."DueAt")
        GROUP BY cb."LeadSourceId"
        """;

    // Speed to call-back: from the first missed call's start to the first attempt (as on the TV).
    private const string SpeedToCallbackSql = $"""
        SELECT cb."LeadSourceId" AS source,
          (SELECT a."SalespersonId" FROM "CallbackAttempts" a WHERE a."CallbackId" = cb."Id" ORDER BY a."At", a."Id" LIMIT 1) AS first_attempt_by,
          cb."FirstAttemptAt" - cb."FirstMissedAt" AS milliseconds
        FROM "Callbacks" cb WHERE {CallbacksInWindow} AND cb."FirstAttemptAt" IS NOT NULL
        """;

    // Attempts made in the window, by outcome: the domain decides which complete a call-back.
    // Found by their time (every store's, a day's are few), then their call-back by its key: the
    // unary + keeps SQLite from going through every call-back the store ever had instead, which
    // grows with history. + is a no-op on PostgreSQL.
    private const string AttemptsSql = """
        SELECT cb."LeadSourceId" AS source, a."SalespersonId" AS salesperson, a."Outcome" AS outcome, COUNT(*) AS attempts
        FROM "CallbackAttempts" a JOIN "Callbacks" cb ON cb."Id" = a."CallbackId"
        WHERE +cb."StoreId" = @store AND +cb."Department" = @department AND a."At" >= @start AND a."At" < @end
        GROUP BY cb."LeadSourceId", a."SalespersonId", a."Outcome"
        """;

    // Claims made in the window, by the transitions' (Action, At) index, as attempts above.
    private const string ClaimsSql = """
        SELECT t."ActorSalespersonId" AS salesperson, COUNT(DISTINCT t."CallbackId") AS claims
        FROM "CallbackTransitions" t JOIN "Callbacks" cb ON cb."Id" = t."CallbackId"
        WHERE +cb."StoreId" = @store AND +cb."Department" = @department AND t."Action" = @actionClaimed AND t."ActorSalespersonId" IS NOT NULL
          AND t."At" >= @start AND t."At" < @end
        GROUP BY t."ActorSalespersonId"
        """;

    private static string RingsByBucketSql(string bucketOf) => $"""
        SELECT {bucketOf} AS bucket, r."SalespersonId" AS salesperson, COUNT(DISTINCT r."CallId") AS rung,
          SUM(CASE WHEN r."Result" = @ringNoAnswer THEN 1 ELSE 0 END) AS no_answer
        FROM "Calls" c JOIN "CallRings" r ON r."CallId" = c."Id"
        WHERE {InWindow} AND r."SalespersonId" IS NOT NULL
        GROUP BY {bucketOf}, r."SalespersonId"
        """;

    // Answered calls per person; "unrung" are answers with no ring of theirs on the call (phone
    // systems that send no ringing), so that rung counts every call that reached them.
    // The unary + keeps SQLite's planner on the ring's primary key (CallId, Ordinal): left free it
    // took the (SalespersonId, StartedAt) index and read every ring of that person for each call,
    // minutes for a 30-day window at a million calls. + is a no-op on PostgreSQL too.
    private static string AnsweredByBucketSql(string bucketOf) => $"""
        SELECT {bucketOf} AS bucket, c."AnsweredBySalespersonId" AS salesperson, COUNT(*) AS answered,
          SUM(CASE WHEN NOT EXISTS (
                SELECT 1 FROM "CallRings" r WHERE r."CallId" = c."Id" AND +r."SalespersonId" = c."AnsweredBySalespersonId") THEN 1 ELSE 0 END) AS unrung,
          COALESCE(SUM(c."TalkSeconds"), 0) AS talk_seconds,
          COUNT(c."TalkSeconds") AS talked
        FROM "Calls" c
        WHERE {InWindow} AND c."AnsweredBySalespersonId" IS NOT NULL
        GROUP BY {bucketOf}, c."AnsweredBySalespersonId"
        """;

    // The bucket of the call "c" as an expression over its start, the buckets' ends in order: the
    // buckets cover the scope's [Start, End) without gaps, and the window's filter keeps the calls
    // in it, so the first bucket ending after the start is the call's. Joining a table of buckets
    // instead made SQLite search the calls' index once per bucket and sort the joined rows: most of
    // today's cost on a busy day (docs/metrics.md).
    private static string BucketOf(IReadOnlyList<MetricsBucket> buckets, Scope scope)
    {
        if (buckets.Count == 0 || buckets[0].Start != scope.Start || buckets[^1].End != scope.End
            || buckets.Where((b, i) => b.Index != i || (i > 0 && b.Start != buckets[i - 1].End)).Any())
        {
            throw new ArgumentException("The buckets must cover the scope's period in order, without gaps.", nameof(buckets));
        }

        // Every bucket has its WHEN (no ELSE): one bucket, the live board's day, is still a CASE, which
        // GROUP BY takes as an expression (a bare number there would name a column).
        var sql = new StringBuilder("CASE");
        foreach (var bucket in buckets)
        {
            sql.Append(CultureInfo.InvariantCulture, $" WHEN c.\"StartedAt\" < {bucket.End.ToUnixTimeMilliseconds()} THEN {bucket.Index}");
        }

        return sql.Append(" END").ToString();
    }

    /// <summary>The enum values the SQL filters on, bound as parameters from the enums themselves.</summary>
    private static class Parameters
    {
        public static readonly string MissedList = string.Join(", ", CallOutcomes.Missed.Select((_, i) => $"@missed{i}"));

        private static readonly (string Name, int Value)[] Enums =
        [
            .. CallOutcomes.Missed.Select((o, i) => ($"@missed{i}", (int)o)),
            ("@outcomeConnected", (int)CallOutcome.Connected),
            ("@statusCompleted", (int)CallbackStatus.Completed),
            ("@statusOpen", (int)CallbackStatus.Open),
            ("@statusClaimed", (int)CallbackStatus.Claimed),
            ("@actionClaimed", (int)CallbackAction.Claimed),
            ("@ringNoAnswer", (int)RingResult.NoAnswer),
        ];

        public static void AddEnums(DbCommand command)
        {
            foreach (var (name, value) in Enums)
            {
                Add(command, name, value);
            }
        }

        /// <summary>Binds the parameter if the statement names it (as a whole name: <c>@start</c> is not in <c>@startOfDay</c>).</summary>
        public static void Add(DbCommand command, string name, object value)
        {
            if (!Names(command.CommandText, name))
            {
                return;
            }

            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        private static bool Names(string sql, string name)
        {
            for (var at = sql.IndexOf(name, StringComparison.Ordinal); at >= 0; at = sql.IndexOf(name, at + 1, StringComparison.Ordinal))
            {
                var next = at + name.Length;
                if (next == sql.Length || !(char.IsAsciiLetterOrDigit(sql[next]) || sql[next] == '_'))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>A result row read by column name, so reordering a SELECT cannot shift a figure.</summary>
    private readonly struct Row(DbDataReader reader)
    {
        public int Int(string column) => Convert.ToInt32(reader.GetValue(reader.GetOrdinal(column)), CultureInfo.InvariantCulture);

        public long Long(string column) => Convert.ToInt64(reader.GetValue(reader.GetOrdinal(column)), CultureInfo.InvariantCulture);

        public int? IntOrNull(string column) => reader.IsDBNull(reader.GetOrdinal(column)) ? null : Int(column);

        public long? LongOrNull(string column) => reader.IsDBNull(reader.GetOrdinal(column)) ? null : Long(column);

        public bool Flag(string column) => Int(column) != 0;
    }

    /// <summary>One scope's parameters, bound to every statement that names them.</summary>
    private sealed class Query(DbConnection connection, Scope scope)
    {
        public async Task<List<T>> RowsAsync<T>(string sql, Func<Row, T> read, CancellationToken ct)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            Parameters.Add(command, "@store", scope.StoreId);
            Parameters.Add(command, "@department", (int)scope.Department);
            Parameters.Add(command, "@start", scope.Start.ToUnixTimeMilliseconds());
            Parameters.Add(command, "@end", scope.End.ToUnixTimeMilliseconds());
            Parameters.Add(command, "@now", scope.Now.ToUnixTimeMilliseconds());
            Parameters.Add(command, "@serviceLevel", scope.ServiceLevelSeconds);
            Parameters.Add(command, "@lookBack", (long)FirstTimeLookBack.TotalMilliseconds);
            Parameters.Add(command, "@gapLookBack", (long)DailyRollups.GapLookBack.TotalMilliseconds);
            Parameters.AddEnums(command);
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(read(new Row(reader)));
            }

            return rows;
        }
    }
}
