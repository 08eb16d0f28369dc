using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Wallboard.Web.Data;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Privacy;

/// <summary>One call to anonymize, and what stands in for its caller from now on (null: no caller at all).</summary>
public sealed record CallToAnonymize(long Id, int IntegrationId, string ExternalId, string? Pseudonym);

/// <summary>How many rows an anonymization changed.</summary>
public sealed record AnonymizedCounts(int Calls, int Events, int Callbacks, int Attempts, int Transitions)
{
    public static AnonymizedCounts None { get; } = new(0, 0, 0, 0, 0);

    public static AnonymizedCounts operator +(AnonymizedCounts a, AnonymizedCounts b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new(a.Calls + b.Calls, a.Events + b.Events, a.Callbacks + b.Callbacks, a.Attempts + b.Attempts, a.Transitions + b.Transitions);
    }

    public int Total => Calls + Events + Callbacks + Attempts + Transitions;
}

/// <summary>
/// Takes a caller's personal data out of calls, their raw events and call-backs, in SQL, one batch
/// at a time, inside the caller's transaction (call <c>SaveChanges</c>/commit after). What goes:
/// the number (replaced by a pseudonym), the caller id name, the recording link, lead names,
/// attempt notes and free-text reasons. What stays: every time, outcome, wait, talk, hold, source,
/// salesperson and count, so metrics over old windows do not move. Running it twice changes nothing
/// the second time.
/// </summary>
public static class CallerAnonymizer
{
    // Keys of a stored event (§4) that can carry personal data.
    private const string FromKey = "from";
    private const string CallerNameKey = "callerName";
    private const string RecordingUrlKey = "recordingUrl";

    /// <summary>Anonymizes these calls and their stored events.</summary>
    public static async Task<AnonymizedCounts> AnonymizeCallsAsync(
        WallboardDbContext db, IReadOnlyCollection<CallToAnonymize> calls, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Count == 0)
        {
            return AnonymizedCounts.None;
        }

        // The calls' days before today, and later days where their number (old or new) called, are
        // rolled up again: first-time and distinct callers follow the number.
        var allIds = calls.Select(c => c.Id).ToList();
        var replacements = calls.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First().Pseudonym);
        var marked = new List<(int StoreId, DateTimeOffset StartedAt, string? CallerE164)>();
        foreach (var call in await db.Calls.Where(c => allIds.Contains(c.Id)).Select(c => new { c.Id, c.StoreId, c.StartedAt, c.CallerE164 }).ToListAsync(ct))
        {
            marked.Add((call.StoreId, call.StartedAt, call.CallerE164));
            if (replacements[call.Id] is { } pseudonym && !string.Equals(pseudonym, call.CallerE164, StringComparison.Ordinal))
            {
                marked.Add((call.StoreId, call.StartedAt, pseudonym));
            }
        }

        await DailyRollups.MarkAsync(db, marked, now, ct);

        var changedCalls = 0;
        // One statement per caller: a batch of old calls holds far fewer callers than calls.
        foreach (var caller in calls.GroupBy(c => c.Pseudonym))
        {
            var ids = caller.Select(c => c.Id).ToList();
            var pseudonym = caller.Key;
            changedCalls += await db.Calls
                .Where(c => ids.Contains(c.Id))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.CallerE164, pseudonym)
                    .SetProperty(c => c.CallerRaw, (string?)null)
                    .SetProperty(c => c.CallerName, (string?)null)
                    .SetProperty(c => c.RecordingUrl, (string?)null)
                    .SetProperty(c => c.AnonymizedAt, now), ct);
        }

        var changedEvents = 0;
        foreach (var integration in calls.GroupBy(c => c.IntegrationId))
        {
            var pseudonyms = integration.ToDictionary(c => c.ExternalId, c => c.Pseudonym, StringComparer.Ordinal);
            var externalIds = pseudonyms.Keys.ToList();
            // Only the events that carry a caller, a name or a recording (the start, mostly).
            var events = await db.CallEvents
                .Where(e => e.IntegrationId == integration.Key && externalIds.Contains(e.CallId)
                    && (e.Payload.Contains("\"" + FromKey + "\":") || e.Payload.Contains("\"" + CallerNameKey + "\":")
                        || e.Payload.Contains("\"" + RecordingUrlKey + "\":")))
                .ToListAsync(ct);
            foreach (var stored in events)
            {
                var rewritten = Rewrite(stored.Payload, pseudonyms[stored.CallId]);
                if (!string.Equals(rewritten, stored.Payload, StringComparison.Ordinal))
                {
                    stored.Payload = rewritten;
                    changedEvents++;
                }
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }

        return new AnonymizedCounts(changedCalls, changedEvents, 0, 0, 0);
    }

    /// <summary>
    /// Anonymizes these call-backs, their attempts' notes and their trail's reasons. Their number
    /// becomes <paramref name="pseudonymOf"/> of it (null: none).
    /// </summary>
    public static async Task<AnonymizedCounts> AnonymizeCallbacksAsync(
        WallboardDbContext db, IReadOnlyCollection<long> callbackIds, Func<string?, string?> pseudonymOf, string reason, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(callbackIds);
        ArgumentNullException.ThrowIfNull(pseudonymOf);
        if (callbackIds.Count == 0)
        {
            return AnonymizedCounts.None;
        }

        var ids = callbackIds.ToList();
        var numbers = await db.Callbacks.AsNoTracking()
            .Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.CallerE164 })
            .ToListAsync(ct);

        var changedCallbacks = 0;
        foreach (var caller in numbers.GroupBy(c => pseudonymOf(c.CallerE164)))
        {
            var group = caller.Select(c => c.Id).ToList();
            var pseudonym = caller.Key;
            changedCallbacks += await db.Callbacks
                .Where(c => group.Contains(c.Id))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.CallerE164, pseudonym)
                    .SetProperty(c => c.CallerRaw, (string?)null)
                    .SetProperty(c => c.CallerName, (string?)null)
                    .SetProperty(c => c.LeadName, (string?)null)
                    .SetProperty(c => c.ClosedReason, c => c.ClosedReason == null ? null : reason)
                    .SetProperty(c => c.AnonymizedAt, now), ct);
        }

        var changedAttempts = await db.CallbackAttempts
            .Where(a => ids.Contains(a.CallbackId) && a.Note != null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Note, (string?)null), ct);
        var changedTransitions = await db.CallbackTransitions
            .Where(t => ids.Contains(t.CallbackId) && t.Reason != reason)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Reason, reason), ct);

        return new AnonymizedCounts(0, 0, changedCallbacks, changedAttempts, changedTransitions);
    }

    /// <summary>The stored event with its caller replaced by the pseudonym (or removed) and its name and recording removed.</summary>
    public static string Rewrite(string payload, string? pseudonym)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (JsonNode.Parse(payload) is not JsonObject json)
        {
            return payload;
        }

        if (json.ContainsKey(FromKey))
        {
            if (pseudonym is null)
            {
                json.Remove(FromKey);
            }
            else
            {
                json[FromKey] = pseudonym;
            }
        }

        json.Remove(CallerNameKey);
        json.Remove(RecordingUrlKey);
        return json.ToJsonString();
    }
}
