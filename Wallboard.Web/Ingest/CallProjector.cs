using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Web.Data;
using Wallboard.Web.Live;

namespace Wallboard.Web.Ingest;

/// <summary>
/// Projects calls again from all their stored events (§4: a call is always the result of its
/// events in time order), attributes them to store, department and source, and updates the stored
/// call rows. Runs inside the caller's transaction. Each change carries the row as written
/// (<see cref="CallChange.Row"/>).
/// </summary>
public static class CallProjector
{
    // SQLite allows 32,766 parameters a statement; stay far below for IN lists.
    private const int ChunkSize = 500;

    public static async Task<List<CallChange>> ProjectAsync(
        WallboardDbContext db, IntegrationDirectory directory, IEnumerable<string> callIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(callIds);

        var integrationId = directory.Integration.Id;
        var changes = new List<CallChange>();
        foreach (var chunk in callIds.Chunk(ChunkSize))
        {
            var stored = await db.CallEvents.AsNoTracking()
                .Where(e => e.IntegrationId == integrationId && chunk.Contains(e.CallId))
                .ToListAsync(ct);
            var calls = await db.Calls
                .Where(c => c.IntegrationId == integrationId && chunk.Contains(c.ExternalId))
                .ToDictionaryAsync(c => c.ExternalId, StringComparer.Ordinal, ct);

            // The rows of a call's path are rewritten whole with the call.
            var existingIds = calls.Values.Select(c => c.Id).ToList();
            if (existingIds.Count > 0)
            {
                await db.CallRings.Where(r => existingIds.Contains(r.CallId)).ExecuteDeleteAsync(ct);
                await db.CallHolds.Where(h => existingIds.Contains(h.CallId)).ExecuteDeleteAsync(ct);
            }

            var projected = new HashSet<string>(StringComparer.Ordinal);
            foreach (var events in stored.GroupBy(e => e.CallId, StringComparer.Ordinal))
            {
                projected.Add(events.Key);
                var state = CallState.Project(events.Select(ToCallEvent));
                var where = directory.Attribute(state);
                if (!calls.TryGetValue(events.Key, out var call))
                {
                    call = new Call { ExternalId = events.Key, IntegrationId = integrationId };
                    db.Calls.Add(call);
                    calls[events.Key] = call;
                }

                call.StoreId = where.Store.Id;
                call.Department = where.Department;
                call.LeadSourceId = where.LeadSourceId;
                call.TrackingNumberId = where.TrackingNumberId;
                call.Refresh(state, CallerNumber.Parse(state.From, where.Store.CountryCode), where.Store.Settings, directory.SalespersonOf);
            }

            await db.SaveChangesAsync(ct);
            // A projected call is the row as this transaction writes it, with its rings and holds:
            // it goes with its change, so the live board needs no read (and the caller's intake none).
            // Detached below, it is not changed again.
            changes.AddRange(calls.Values.Select(c => new CallChange(c.Id, c.StoreId, c.Department, c.Phase, c.Outcome, c.LastEventAt)
            {
                Row = projected.Contains(c.ExternalId) ? c : null,
            }));
            db.ChangeTracker.Clear();
        }

        return changes;
    }

    internal static CallEvent ToCallEvent(StoredCallEvent stored)
    {
        using var json = System.Text.Json.JsonDocument.Parse(stored.Payload);
        if (!CallEventJson.TryRead(json.RootElement, out var e, out var error))
        {
            throw new InvalidOperationException($"Stored event {stored.Id} cannot be read: {error}");
        }

        // Arrival order breaks ties between events at the same time.
        return e! with { Sequence = stored.Id };
    }
}
