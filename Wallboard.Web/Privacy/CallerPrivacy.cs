using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Phones;
using Wallboard.Web.Admin;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;
using Wallboard.Web.Live;

namespace Wallboard.Web.Privacy;

/// <summary>What the app holds about one caller number, in counts (the page's preview).</summary>
public sealed record CallerHoldings(int Calls, int Events, int Callbacks, int Attempts, int Stores, DateTimeOffset? FirstCallAt, DateTimeOffset? LastCallAt)
{
    public bool IsEmpty => Calls == 0 && Callbacks == 0;
}

/// <summary>What an erase changed.</summary>
public sealed record CallerErased(int Calls, int Events, int Callbacks, int CallbacksClosed, int Attempts);

/// <summary>
/// Everything held about one caller number, for an admin (§9): a preview in counts, an export of
/// every call, event, call-back and attempt, and an erase. The number is matched in E.164 and by
/// its keyed pseudonym, so calls already anonymized by retention are found too. Export and erase
/// are written to the audit trail under the number's pseudonym, never the number.
/// </summary>
public sealed partial class CallerPrivacy(
    IDbContextFactory<WallboardDbContext> dbFactory,
    PrivacyKey key,
    AuditLog audit,
    ICallChangeNotifier callChanges,
    ICallbackChangeNotifier callbackChanges,
    TimeProvider time,
    ILogger<CallerPrivacy> logger)
{
    public const string EraseReason = "Erased at the caller's request";

    /// <summary>
    /// Reads a number in any common format as E.164, national numbers in <paramref name="region"/>
    /// (ISO 3166 alpha-2) or else the country of the first store; null when it is not a phone number.
    /// </summary>
    public async Task<string?> NormalizeAsync(string? input, string? region, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > 64)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(region))
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            region = await db.Stores.AsNoTracking().OrderBy(s => s.Id).Select(s => s.CountryCode).FirstOrDefaultAsync(ct) ?? "US";
        }

        var number = CallerNumber.Parse(input, region.Trim().ToUpperInvariant());
        return number.IsWithheld || number.IsAnonymized ? null : number.E164;
    }

    /// <summary>The keyed pseudonym the audit trail names the caller by.</summary>
    public string AuditId(string e164) => key.Pseudonym(e164);

    public async Task<CallerHoldings> PreviewAsync(string e164, CancellationToken ct)
    {
        var pseudonym = key.Pseudonym(e164);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var calls = await db.Calls.AsNoTracking()
            .Where(c => c.CallerE164 == e164 || c.CallerE164 == pseudonym)
            .Select(c => new { c.IntegrationId, c.ExternalId, c.StoreId, c.StartedAt })
            .ToListAsync(ct);
        var events = 0;
        foreach (var integration in calls.GroupBy(c => c.IntegrationId))
        {
            foreach (var chunk in integration.Select(c => c.ExternalId).Chunk(500))
            {
                events += await db.CallEvents.CountAsync(e => e.IntegrationId == integration.Key && chunk.Contains(e.CallId), ct);
            }
        }

        var callbacks = await db.Callbacks.AsNoTracking()
            .Where(c => c.CallerE164 == e164 || c.CallerE164 == pseudonym)
            .Select(c => new { c.Id, c.StoreId })
            .ToListAsync(ct);
        var callbackIds = callbacks.Select(c => c.Id).ToList();
        var attempts = await db.CallbackAttempts.CountAsync(a => callbackIds.Contains(a.CallbackId), ct);
        return new CallerHoldings(
            calls.Count,
            events,
            callbacks.Count,
            attempts,
            calls.Select(c => c.StoreId).Concat(callbacks.Select(c => c.StoreId)).Distinct().Count(),
            calls.Count == 0 ? null : calls.Min(c => c.StartedAt),
            calls.Count == 0 ? null : calls.Max(c => c.StartedAt));
    }

    /// <summary>Everything held about the number, as the JSON a person downloads; audited.</summary>
    public async Task<CallerExport> ExportAsync(string e164, string actor, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        var pseudonym = key.Pseudonym(e164);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var calls = await db.Calls.AsNoTracking()
            .Where(c => c.CallerE164 == e164 || c.CallerE164 == pseudonym)
            .OrderBy(c => c.StartedAt).ThenBy(c => c.Id)
            .ToListAsync(ct);
        var stores = await db.Stores.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var sources = await db.LeadSources.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var people = await db.Salespeople.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, ct);

        var events = new Dictionary<(int, string), List<JsonElement>>();
        foreach (var integration in calls.GroupBy(c => c.IntegrationId))
        {
            foreach (var chunk in integration.Select(c => c.ExternalId).Chunk(500))
            {
                var stored = await db.CallEvents.AsNoTracking()
                    .Where(e => e.IntegrationId == integration.Key && chunk.Contains(e.CallId))
                    .OrderBy(e => e.At).ThenBy(e => e.Id)
                    .Select(e => new { e.CallId, e.Payload })
                    .ToListAsync(ct);
                foreach (var e in stored)
                {
                    var callKey = (integration.Key, e.CallId);
                    if (!events.TryGetValue(callKey, out var list))
                    {
                        events[callKey] = list = [];
                    }

                    using var document = JsonDocument.Parse(e.Payload);
                    list.Add(document.RootElement.Clone());
                }
            }
        }

        var callbacks = await db.Callbacks.AsNoTracking()
            .Include(c => c.Calls).Include(c => c.Attempts).Include(c => c.Transitions)
            .Where(c => c.CallerE164 == e164 || c.CallerE164 == pseudonym)
            .OrderBy(c => c.FirstMissedAt).ThenBy(c => c.Id)
            .AsSplitQuery()
            .ToListAsync(ct);

        var now = time.GetUtcNow();
        var export = new CallerExport(
            e164,
            now,
            calls.Select(c => new ExportedCall(
                c.Id, c.StoreId, stores.GetValueOrDefault(c.StoreId), c.Department.ToString(),
                c.LeadSourceId is { } s ? sources.GetValueOrDefault(s) : null,
                c.CallerE164, c.CallerRaw, c.CallerWithheld, c.CallerName, c.DialedNumber, c.HuntGroup,
                c.StartedAt, c.AnsweredAt, c.EndedAt, c.Phase.ToString(), c.Outcome?.ToString(),
                c.WaitSeconds, c.HoldSeconds, c.TalkSeconds,
                c.AnsweredBySalespersonId is { } p ? people.GetValueOrDefault(p) : c.AnsweredByAgent,
                c.VoicemailMessageLeft, c.RecordingUrl, c.AnonymizedAt,
                events.GetValueOrDefault((c.IntegrationId, c.ExternalId)) ?? [])).ToList(),
            callbacks.Select(c => new ExportedCallback(
                c.Id, c.StoreId, stores.GetValueOrDefault(c.StoreId), c.Status.ToString(), c.Resolution?.ToString(),
                c.CallerE164, c.CallerName, c.LeadName, c.VehicleOfInterest, c.HeardAbout, c.AppointmentAt,
                c.FirstMissedAt, c.LastMissedAt, c.MissedCallCount, c.ClosedAt, c.ClosedReason, c.AnonymizedAt,
                c.Calls.Select(l => l.CallId).Order().ToList(),
                c.Attempts.OrderBy(a => a.At).Select(a => new ExportedAttempt(a.At, a.Outcome.ToString(), a.Note, a.AppointmentAt, a.By)).ToList(),
                c.Transitions.OrderBy(t => t.At).ThenBy(t => t.Id)
                    .Select(t => new ExportedTransition(t.At, t.Action.ToString(), t.From?.ToString(), t.To.ToString(), t.Actor, t.Reason)).ToList())).ToList());

        await audit.SaveAsync(db, actor, () => new AuditFact("privacy.caller-exported", "Caller", pseudonym, null, null,
            new { Calls = export.Calls.Count, Events = export.Calls.Sum(c => c.Events.Count), Callbacks = export.Callbacks.Count }), ct);
        LogExported(logger, pseudonym, export.Calls.Count, export.Callbacks.Count, actor);
        return export;
    }

    /// <summary>
    /// Takes the number out of every call, event and call-back: the calls stay, under one random
    /// pseudonym, so counts and "same caller" figures hold; active call-backs are closed. Live
    /// screens are told. Audited.
    /// </summary>
    public async Task<CallerErased> EraseAsync(string e164, string actor, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        var pseudonym = key.Pseudonym(e164);
        var replacement = PrivacyKey.RandomPseudonym();
        var now = time.GetUtcNow();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var calls = await db.Calls.AsNoTracking()
            .Where(c => c.CallerE164 == e164 || c.CallerE164 == pseudonym)
            .Select(c => new CallChangeRow(c.Id, c.IntegrationId, c.ExternalId, c.StoreId, c.Department, c.Phase, c.Outcome, c.LastEventAt))
            .ToListAsync(ct);
        var counts = await CallerAnonymizer.AnonymizeCallsAsync(
            db, calls.Select(c => new CallToAnonymize(c.Id, c.IntegrationId, c.ExternalId, replacement)).ToList(), now, ct);

        var callbacks = await db.Callbacks
            .Where(c => c.CallerE164 == e164 || c.CallerE164 == pseudonym)
            .ToListAsync(ct);
        var closer = CallbackActor.Manager(null, actor);
        var closed = 0;
        foreach (var callback in callbacks.Where(c => c.IsActive))
        {
            if (callback.Close(closer, EraseReason, now).IsDone)
            {
                callback.Version++;
                closed++;
            }
        }

        await db.SaveChangesAsync(ct);
        counts += await CallerAnonymizer.AnonymizeCallbacksAsync(
            db, callbacks.Select(c => c.Id).ToList(), _ => replacement, EraseReason, now, ct);

        var erased = new CallerErased(counts.Calls, counts.Events, counts.Callbacks, closed, counts.Attempts);
        audit.Record(db, actor, new AuditFact("privacy.caller-erased", "Caller", pseudonym, null, null, erased));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        callChanges.Publish(calls.Select(c => new CallChange(c.Id, c.StoreId, c.Department, c.Phase, c.Outcome, c.LastEventAt)).ToList());
        callbackChanges.Publish(callbacks.Select(c => new CallbackChange(c.StoreId, c.Department, c.Id)).ToList());
        LogErased(logger, pseudonym, erased.Calls, erased.Events, erased.Callbacks, erased.CallbacksClosed, actor);
        return erased;
    }

    private sealed record CallChangeRow(
        long Id, int IntegrationId, string ExternalId, int StoreId, Domain.Stores.Department Department,
        Domain.Calls.CallPhase Phase, Domain.Calls.CallOutcome? Outcome, DateTimeOffset LastEventAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Caller {Caller} exported ({Calls} calls, {Callbacks} call-backs) by {Actor}")]
    private static partial void LogExported(ILogger logger, string caller, int calls, int callbacks, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Caller {Caller} erased ({Calls} calls, {Events} events, {Callbacks} call-backs, {Closed} closed) by {Actor}")]
    private static partial void LogErased(ILogger logger, string caller, int calls, int events, int callbacks, int closed, string actor);
}

/// <summary>The download: everything held about one caller number.</summary>
public sealed record CallerExport(string Number, DateTimeOffset ExportedAt, IReadOnlyList<ExportedCall> Calls, IReadOnlyList<ExportedCallback> Callbacks);

public sealed record ExportedCall(
    long Id, int StoreId, string? Store, string Department, string? Source,
    string? CallerNumber, string? CallerRaw, bool CallerWithheld, string? CallerName, string? DialedNumber, string? HuntGroup,
    DateTimeOffset StartedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, string Phase, string? Outcome,
    int? WaitSeconds, int HoldSeconds, int? TalkSeconds, string? AnsweredBy, bool? VoicemailMessageLeft, string? RecordingUrl,
    DateTimeOffset? AnonymizedAt, IReadOnlyList<JsonElement> Events);

public sealed record ExportedCallback(
    long Id, int StoreId, string? Store, string Status, string? Resolution,
    string? CallerNumber, string? CallerName, string? LeadName, string? VehicleOfInterest, string? HeardAbout, DateTimeOffset? AppointmentAt,
    DateTimeOffset FirstMissedAt, DateTimeOffset LastMissedAt, int MissedCallCount, DateTimeOffset? ClosedAt, string? ClosedReason,
    DateTimeOffset? AnonymizedAt, IReadOnlyList<long> CallIds, IReadOnlyList<ExportedAttempt> Attempts, IReadOnlyList<ExportedTransition> Transitions);

public sealed record ExportedAttempt(DateTimeOffset At, string Outcome, string? Note, DateTimeOffset? AppointmentAt, string By);

public sealed record ExportedTransition(DateTimeOffset At, string Action, string? From, string To, string Actor, string Reason);
