using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Callbacks;

/// <summary>One call-back as screens and the API show it: full numbers (these are not public screens).</summary>
public sealed record CallbackView
{
    public long Id { get; init; }

    public int StoreId { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<Department>))]
    public Department Department { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<CallbackStatus>))]
    public CallbackStatus Status { get; init; }

    /// <summary>The number to call, E.164; null when there is none.</summary>
    public string? Caller { get; init; }

    /// <summary>What arrived as the caller id when it could not be read as a number.</summary>
    public string? CallerRaw { get; init; }

    public bool NoNumber { get; init; }

    public string? CallerName { get; init; }

    public int? SourceId { get; init; }

    public string? Source { get; init; }

    /// <summary>The tracking number's label: what the caller called about ("Cars.com listing", "Radio spot").</summary>
    public string? CalledAbout { get; init; }

    public int MissedCalls { get; init; }

    public bool CallerLeftMessage { get; init; }

    public DateTimeOffset FirstMissedAt { get; init; }

    public DateTimeOffset LastMissedAt { get; init; }

    public DateTimeOffset DueAt { get; init; }

    public DateTimeOffset FirstResponseDueAt { get; init; }

    public bool Overdue { get; init; }

    public DateTimeOffset? OverdueSince { get; init; }

    public bool Escalated { get; init; }

    public DateTimeOffset? EscalatedAt { get; init; }

    public int? ClaimedBySalespersonId { get; init; }

    public string? ClaimedBy { get; init; }

    public DateTimeOffset? ClaimedAt { get; init; }

    public DateTimeOffset? ClaimExpiresAt { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public int Attempts { get; init; }

    /// <summary>Attempts in all on the store's cadence before it closes as unreached.</summary>
    public int MaxAttempts { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<AttemptOutcome>))]
    public AttemptOutcome? LastAttemptOutcome { get; init; }

    public string? LastAttemptBy { get; init; }

    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>False once a voicemail was left today (store-local day): at most one a day.</summary>
    public bool MayLeaveVoicemail { get; init; }

    public string? LeadName { get; init; }

    public string? VehicleOfInterest { get; init; }

    public string? HeardAbout { get; init; }

    public DateTimeOffset? AppointmentAt { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<CallbackResolution>))]
    public CallbackResolution? Resolution { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public string? ClosedReason { get; init; }

    public int Version { get; init; }

    public bool IsActive => Status.IsActive();
}

public sealed record CallbackAttemptView(
    DateTimeOffset At,
    [property: JsonConverter(typeof(JsonStringEnumConverter<AttemptOutcome>))] AttemptOutcome Outcome,
    string By,
    int? SalespersonId,
    string? Note,
    DateTimeOffset? AppointmentAt);

public sealed record CallbackTransitionView(
    DateTimeOffset At,
    [property: JsonConverter(typeof(JsonStringEnumConverter<CallbackAction>))] CallbackAction Action,
    [property: JsonConverter(typeof(JsonStringEnumConverter<CallbackStatus>))] CallbackStatus? From,
    [property: JsonConverter(typeof(JsonStringEnumConverter<CallbackStatus>))] CallbackStatus To,
    string Actor,
    int? ActorSalespersonId,
    string Reason);

public sealed record CallbackMissedCallView(
    long CallId,
    DateTimeOffset StartedAt,
    [property: JsonConverter(typeof(JsonStringEnumConverter<CallOutcome>))] CallOutcome? Outcome,
    string? Source,
    int? WaitSeconds,
    bool? MessageLeft);

/// <summary>A call-back with its history: the missed calls, the attempts and the audit trail, oldest first.</summary>
public sealed record CallbackDetail(
    CallbackView Callback,
    IReadOnlyList<CallbackMissedCallView> MissedCalls,
    IReadOnlyList<CallbackAttemptView> AttemptLog,
    IReadOnlyList<CallbackTransitionView> Trail);

/// <summary>A person or a source, by id, for pickers and filters.</summary>
public sealed record NamedItem(int Id, string Name);

/// <summary>What the call-back screens need to know about a store.</summary>
public sealed record CallbackStoreInfo(
    int Id,
    string Name,
    string TimeZoneId,
    string CountryCode,
    IReadOnlyList<NamedItem> People,
    IReadOnlyList<NamedItem> Sources);

/// <summary>Which call-backs to list. <see cref="Statuses"/> null means the active ones.</summary>
public sealed record CallbackFilter(int StoreId)
{
    public IReadOnlyCollection<CallbackStatus>? Statuses { get; init; }

    public bool OverdueOnly { get; init; }

    public bool EscalatedOnly { get; init; }

    /// <summary>Call-backs this salesperson holds or has tried.</summary>
    public int? Salesperson { get; init; }

    public int? SourceId { get; init; }

    /// <summary>Finished call-backs closed this recently are listed when their status is asked for.</summary>
    public TimeSpan FinishedWithin { get; init; } = TimeSpan.FromDays(7);

    public int Limit { get; init; } = 500;
}

/// <summary>Reading call-backs for the API, the screens and the live board, most urgent first.</summary>
public sealed class CallbackQueries(IDbContextFactory<WallboardDbContext> dbFactory, TimeProvider time)
{
    public async Task<IReadOnlyList<CallbackView>> ListAsync(CallbackFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var statuses = (filter.Statuses ?? CallbackStatuses.Active).ToList();
        var finishedSince = now - filter.FinishedWithin;
        var query = db.Callbacks.AsNoTracking()
            .Where(c => c.StoreId == filter.StoreId && statuses.Contains(c.Status))
            .Where(c => c.ClosedAt == null || c.ClosedAt >= finishedSince);
        if (filter.Salesperson is { } person)
        {
            query = query.Where(c => c.ClaimedBySalespersonId == person || db.CallbackAttempts.Any(a => a.CallbackId == c.Id && a.SalespersonId == person));
        }

        if (filter.SourceId is { } source)
        {
            query = query.Where(c => c.LeadSourceId == source);
        }

        if (filter.EscalatedOnly)
        {
            query = query.Where(c => c.EscalatedAt != null);
        }

        if (filter.OverdueOnly)
        {
            // Narrowed in SQL, decided exactly by the rule below.
            query = query.Where(c => c.DueAt <= now && !c.NoNumber);
        }

        var callbacks = await query.OrderBy(c => c.DueAt).Take(Math.Clamp(filter.Limit, 1, 5_000)).ToListAsync(ct);
        if (filter.OverdueOnly)
        {
            callbacks = callbacks.Where(c => c.IsOverdueAt(now)).ToList();
        }

        var views = await ToViewsAsync(db, filter.StoreId, callbacks, now, ct);
        return views;
    }

    /// <summary>
    /// These call-backs of one store as they are now, whatever their status (ids of other stores,
    /// or of none, are left out): what the live board reads when call-backs change, instead of the
    /// store's whole list.
    /// </summary>
    public async Task<IReadOnlyList<CallbackView>> ViewsAsync(int storeId, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var callbacks = new List<Callback>();
        foreach (var chunk in ids.Distinct().Chunk(500))
        {
            callbacks.AddRange(await db.Callbacks.AsNoTracking().Where(c => c.StoreId == storeId && chunk.Contains(c.Id)).ToListAsync(ct));
        }

        return await ToViewsAsync(db, storeId, callbacks, time.GetUtcNow(), ct);
    }

    /// <summary>The store's name, zone, active people and lead sources; null when there is no such store.</summary>
    public async Task<CallbackStoreInfo?> StoreAsync(int storeId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == storeId)
            .Select(s => new { s.Id, s.Name, s.TimeZoneId, s.CountryCode })
            .SingleOrDefaultAsync(ct);
        if (store is null)
        {
            return null;
        }

        var people = await db.Salespeople.AsNoTracking().Where(p => p.StoreId == storeId && p.IsActive)
            .OrderBy(p => p.Name).Select(p => new NamedItem(p.Id, p.Name)).ToListAsync(ct);
        var sources = await db.LeadSources.AsNoTracking().Where(s => s.StoreId == storeId)
            .OrderBy(s => s.Name).Select(s => new NamedItem(s.Id, s.Name)).ToListAsync(ct);
        return new CallbackStoreInfo(store.Id, store.Name, store.TimeZoneId, store.CountryCode, people, sources);
    }

    public async Task<CallbackView?> GetAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var callback = await db.Callbacks.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        return callback is null ? null : (await ToViewsAsync(db, callback.StoreId, [callback], time.GetUtcNow(), ct))[0];
    }

    public async Task<CallbackDetail?> DetailAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var callback = await db.Callbacks.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (callback is null)
        {
            return null;
        }

        var view = (await ToViewsAsync(db, callback.StoreId, [callback], time.GetUtcNow(), ct))[0];
        var sources = await db.LeadSources.AsNoTracking().Where(s => s.StoreId == callback.StoreId).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var calls = await db.CallbackCalls.AsNoTracking()
            .Where(l => l.CallbackId == id)
            .Join(db.Calls, l => l.CallId, c => c.Id, (l, c) => c)
            .OrderBy(c => c.StartedAt)
            .ToListAsync(ct);
        var attempts = await db.CallbackAttempts.AsNoTracking().Where(a => a.CallbackId == id).OrderBy(a => a.At).ThenBy(a => a.Id).ToListAsync(ct);
        var trail = await db.CallbackTransitions.AsNoTracking().Where(t => t.CallbackId == id).OrderBy(t => t.At).ThenBy(t => t.Id).ToListAsync(ct);

        return new CallbackDetail(
            view,
            calls.Select(c => new CallbackMissedCallView(c.Id, c.StartedAt, c.Outcome, c.LeadSourceId is { } s ? sources.GetValueOrDefault(s) : null, c.WaitSeconds, c.VoicemailMessageLeft)).ToList(),
            attempts.Select(a => new CallbackAttemptView(a.At, a.Outcome, a.By, a.SalespersonId, a.Note, a.AppointmentAt)).ToList(),
            trail.Select(t => new CallbackTransitionView(t.At, t.Action, t.From, t.To, t.Actor, t.ActorSalespersonId, t.Reason)).ToList());
    }

    private static async Task<List<CallbackView>> ToViewsAsync(WallboardDbContext db, int storeId, List<Callback> callbacks, DateTimeOffset now, CancellationToken ct)
    {
        if (callbacks.Count == 0)
        {
            return [];
        }

        var rules = await CallbackStores.LoadRulesAsync(db, storeId, ct);
        var sources = await db.LeadSources.AsNoTracking().Where(s => s.StoreId == storeId).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var labels = await db.TrackingNumbers.AsNoTracking().Where(n => n.StoreId == storeId).ToDictionaryAsync(n => n.Id, n => n.Label, ct);

        return callbacks
            .OrderBy(c => c.QueueKey(now))
            .ThenBy(c => c.Id)
            .Select(c => new CallbackView
            {
                Id = c.Id,
                StoreId = c.StoreId,
                Department = c.Department,
                Status = c.Status,
                Caller = c.CallerE164,
                CallerRaw = c.CallerRaw,
                NoNumber = c.NoNumber,
                CallerName = c.CallerName,
                SourceId = c.LeadSourceId,
                Source = c.LeadSourceId is { } s ? sources.GetValueOrDefault(s) : null,
                CalledAbout = c.TrackingNumberId is { } n ? labels.GetValueOrDefault(n) : null,
                MissedCalls = c.MissedCallCount,
                CallerLeftMessage = c.CallerLeftMessage,
                FirstMissedAt = c.FirstMissedAt,
                LastMissedAt = c.LastMissedAt,
                DueAt = c.DueAt,
                FirstResponseDueAt = c.FirstResponseDueAt,
                Overdue = c.IsOverdueAt(now),
                OverdueSince = c.IsOverdueAt(now) ? c.OverdueSince ?? c.DueAt : null,
                Escalated = c.IsEscalated,
                EscalatedAt = c.EscalatedAt,
                ClaimedBySalespersonId = c.ClaimedBySalespersonId,
                ClaimedBy = c.ClaimedBy,
                ClaimedAt = c.ClaimedAt,
                ClaimExpiresAt = c.ClaimExpiresAt,
                NextAttemptAt = c.NextAttemptAt,
                Attempts = c.AttemptCount,
                MaxAttempts = rules.Rules.MaxAttempts,
                LastAttemptOutcome = c.LastAttemptOutcome,
                LastAttemptBy = c.LastAttemptBy,
                LastAttemptAt = c.LastAttemptAt,
                MayLeaveVoicemail = c.MayLeaveVoicemail(rules.Rules, now),
                LeadName = c.LeadName,
                VehicleOfInterest = c.VehicleOfInterest,
                HeardAbout = c.HeardAbout,
                AppointmentAt = c.AppointmentAt,
                Resolution = c.Resolution,
                ClosedAt = c.ClosedAt,
                ClosedReason = c.ClosedReason,
                Version = c.Version,
            })
            .ToList();
    }
}

/// <summary>A store with the call-back rules its settings and calendar make.</summary>
public sealed record StoreRules(Store Store, CallbackRules Rules);

public static class CallbackStores
{
    /// <summary>Reads a store with its hours and closed dates, and the rules they make. Small: three short reads.</summary>
    public static async Task<StoreRules> LoadRulesAsync(WallboardDbContext db, int storeId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var store = await db.Stores.AsNoTracking()
            .Include(s => s.BusinessHours)
            .Include(s => s.ClosedDates)
            .AsSplitQuery()
            .SingleAsync(s => s.Id == storeId, ct);
        return new StoreRules(store, CallbackRules.For(store));
    }

    public static async Task<List<StoreRules>> LoadAllRulesAsync(WallboardDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var stores = await db.Stores.AsNoTracking()
            .Include(s => s.BusinessHours)
            .Include(s => s.ClosedDates)
            .AsSplitQuery()
            .OrderBy(s => s.Id)
            .ToListAsync(ct);
        return stores.Select(s => new StoreRules(s, CallbackRules.For(s))).ToList();
    }
}
