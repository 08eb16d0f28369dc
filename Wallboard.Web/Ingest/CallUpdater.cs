using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Web.Data;
using Wallboard.Web.Live;
using Wallboard.Web.Privacy;

namespace Wallboard.Web.Ingest;

/// <summary>
/// Applies newly stored events to their calls inside the ingest transaction, writing only what
/// changed: the call row (inserted, or updated by its key), and the rings and holds whose values
/// differ from those last written. No EF change tracking: prepared statements from the model
/// (<see cref="RowCommand{T}"/>). A call's known events come from <see cref="CallsInFlight"/>, or
/// on a miss from its stored events, and the call is always projected from all of them
/// (<see cref="CallState.Project"/>), so repeats and out-of-order events give the same call as
/// projecting from the database. An anonymized call (or one whose row changed under ingest's
/// feet: anonymized or removed since it was kept) takes the full path of
/// <see cref="CallProjector"/>, which keeps it anonymous.
/// </summary>
internal sealed class CallUpdater(WallboardDbContext db, DbTransaction transaction, CallsInFlight inFlight) : IDisposable
{
    private const int ChunkSize = 500;

    private readonly RowCommand<Call> _insertCall = RowCommand.Insert<Call>(db, transaction.Connection!, transaction, generatedKey: true);

    // A row anonymized since it was kept is not overwritten: zero rows changed sends it down the full path.
    private readonly RowCommand<Call> _updateCall = RowCommand.Update<Call>(db, transaction.Connection!, transaction,
        "\"AnonymizedAt\" IS NULL", nameof(Call.IntegrationId), nameof(Call.ExternalId), nameof(Call.AnonymizedAt));

    private readonly RowCommand<CallRing> _upsertRing = RowCommand.Upsert<CallRing>(db, transaction.Connection!, transaction);
    private readonly RowCommand<CallHold> _upsertHold = RowCommand.Upsert<CallHold>(db, transaction.Connection!, transaction);

    /// <summary>What to keep in memory once the transaction committed.</summary>
    public Dictionary<CallKey, CallInFlight> ToKeep { get; } = [];

    /// <summary>The rows as written, for the call-back intake in the same transaction.</summary>
    public List<Call> Written { get; } = [];

    /// <summary>Calls whose row, rings or holds were written (inserted or different from what was stored).</summary>
    public int Changed { get; private set; }

    /// <summary>Applies <paramref name="added"/> (the events this transaction stored, by call) and returns the calls that changed.</summary>
    public async Task<List<CallChange>> ApplyAsync(
        IntegrationDirectory directory, Dictionary<string, List<CallEvent>> added, DateTimeOffset now, CancellationToken ct)
    {
        var integrationId = directory.Integration.Id;
        var known = new Dictionary<string, CallInFlight>(StringComparer.Ordinal);
        var misses = new List<string>();
        foreach (var callId in added.Keys)
        {
            if (inFlight.TryGet(new CallKey(integrationId, callId), out var call))
            {
                // The new events after the ones known: a miss would read them back from the table.
                known[callId] = new CallInFlight([.. call!.Events, .. added[callId]], call.Row);
            }
            else
            {
                misses.Add(callId);
            }
        }

        foreach (var (callId, call) in await LoadAsync(integrationId, misses, ct))
        {
            known[callId] = call;
        }

        var changes = new List<CallChange>();
        var fullPath = new List<string>();
        foreach (var (callId, call) in known)
        {
            var (row, changed) = call.Row.AnonymizedAt is null ? await WriteAsync(directory, callId, call, ct) : (null, false);
            if (row is null)
            {
                fullPath.Add(callId);
                continue;
            }

            ToKeep[new CallKey(integrationId, callId)] = new CallInFlight(call.Events, row);
            if (!changed)
            {
                // Its stored rows already are the projection of its events (a rebuild of a sound call).
                continue;
            }

            Changed++;
            Written.Add(row);
            changes.Add(new CallChange(row.Id, row.StoreId, row.Department, row.Phase, row.Outcome, row.LastEventAt) { Row = row });
        }

        if (fullPath.Count > 0)
        {
            var projected = await FullPathAsync(directory, fullPath, now, ct);
            Changed += projected.Count;
            changes.AddRange(projected);
        }

        return changes;
    }

    public void Dispose()
    {
        _insertCall.Dispose();
        _updateCall.Dispose();
        _upsertRing.Dispose();
        _upsertHold.Dispose();
    }

    /// <summary>
    /// Projects the call and writes its row and what changed of its path (nothing when all of it is
    /// as stored); the row is null when the call must take the full path.
    /// </summary>
    private async Task<(Call? Row, bool Changed)> WriteAsync(IntegrationDirectory directory, string callId, CallInFlight call, CancellationToken ct)
    {
        var before = call.Row;
        var state = CallState.Project(call.Events);
        var where = directory.Attribute(state);
        var row = new Call
        {
            Id = before.Id,
            ExternalId = callId,
            IntegrationId = directory.Integration.Id,
            StoreId = where.Store.Id,
            Department = where.Department,
            LeadSourceId = where.LeadSourceId,
            TrackingNumberId = where.TrackingNumberId,
        };
        row.Refresh(state, CallerNumber.Parse(state.From, where.Store.CountryCode), where.Store.Settings, directory.SalespersonOf);
        var changed = true;
        if (row.Id == 0)
        {
            row.Id = await _insertCall.InsertReturningKeyAsync(row, ct);
            row.Rings.ForEach(r => r.CallId = row.Id);
            row.Holds.ForEach(h => h.CallId = row.Id);
        }
        else if (_updateCall.SameValues(before, row))
        {
            changed = false;
        }
        else if (await _updateCall.ExecuteAsync(row, ct) == 0)
        {
            return (null, false);
        }

        for (var i = 0; i < row.Rings.Count; i++)
        {
            if (i >= before.Rings.Count || !_upsertRing.SameValues(before.Rings[i], row.Rings[i]))
            {
                await _upsertRing.ExecuteAsync(row.Rings[i], ct);
                changed = true;
            }
        }

        for (var i = 0; i < row.Holds.Count; i++)
        {
            if (i >= before.Holds.Count || !_upsertHold.SameValues(before.Holds[i], row.Holds[i]))
            {
                await _upsertHold.ExecuteAsync(row.Holds[i], ct);
                changed = true;
            }
        }

        // Events out of order can make a path shorter than it was.
        var (rings, holds) = (row.Rings.Count, row.Holds.Count);
        if (before.Rings.Count > rings)
        {
            await db.CallRings.Where(r => r.CallId == row.Id && r.Ordinal >= rings).ExecuteDeleteAsync(ct);
            changed = true;
        }

        if (before.Holds.Count > holds)
        {
            await db.CallHolds.Where(h => h.CallId == row.Id && h.Ordinal >= holds).ExecuteDeleteAsync(ct);
            changed = true;
        }

        return (row, changed);
    }

    /// <summary>Reads calls not kept in memory back from the database: all their stored events (the new ones too), their row, rings and holds.</summary>
    private async Task<List<(string CallId, CallInFlight Call)>> LoadAsync(int integrationId, List<string> callIds, CancellationToken ct)
    {
        var loaded = new List<(string, CallInFlight)>();
        foreach (var chunk in callIds.Chunk(ChunkSize))
        {
            var events = (await db.CallEvents.AsNoTracking()
                    .Where(e => e.IntegrationId == integrationId && chunk.Contains(e.CallId))
                    .ToListAsync(ct))
                .ToLookup(e => e.CallId, StringComparer.Ordinal);
            var rows = await db.Calls.AsNoTracking()
                .Where(c => c.IntegrationId == integrationId && chunk.Contains(c.ExternalId))
                .ToDictionaryAsync(c => c.ExternalId, StringComparer.Ordinal, ct);
            var ids = rows.Values.Select(c => c.Id).ToList();
            if (ids.Count > 0)
            {
                var rings = (await db.CallRings.AsNoTracking().Where(r => ids.Contains(r.CallId)).ToListAsync(ct)).ToLookup(r => r.CallId);
                var holds = (await db.CallHolds.AsNoTracking().Where(h => ids.Contains(h.CallId)).ToListAsync(ct)).ToLookup(h => h.CallId);
                foreach (var row in rows.Values)
                {
                    row.Rings = [.. rings[row.Id].OrderBy(r => r.Ordinal)];
                    row.Holds = [.. holds[row.Id].OrderBy(h => h.Ordinal)];
                }
            }

            foreach (var callId in chunk)
            {
                var row = rows.GetValueOrDefault(callId) ?? new Call { ExternalId = callId, IntegrationId = integrationId };
                loaded.Add((callId, new CallInFlight([.. events[callId].Select(CallProjector.ToCallEvent)], row)));
            }
        }

        return loaded;
    }

    /// <summary>
    /// The full path: the call's later events are anonymized as they land (its caller was erased
    /// or retention took it out), and it is projected again from the database. Not kept in memory.
    /// </summary>
    private async Task<List<CallChange>> FullPathAsync(IntegrationDirectory directory, List<string> callIds, DateTimeOffset now, CancellationToken ct)
    {
        var integrationId = directory.Integration.Id;
        foreach (var callId in callIds)
        {
            inFlight.Remove(new CallKey(integrationId, callId));
        }

        foreach (var chunk in callIds.Chunk(ChunkSize))
        {
            var anonymous = await db.Calls.AsNoTracking()
                .Where(c => c.IntegrationId == integrationId && chunk.Contains(c.ExternalId) && c.AnonymizedAt != null)
                .Select(c => new CallToAnonymize(c.Id, c.IntegrationId, c.ExternalId, c.CallerE164))
                .ToListAsync(ct);
            await CallerAnonymizer.AnonymizeCallsAsync(db, anonymous, now, ct);
        }

        var changes = await CallProjector.ProjectAsync(db, directory, callIds, ct);
        var toRead = new List<long>();
        foreach (var change in changes)
        {
            if (change.Row is { } row)
            {
                Written.Add(row);
            }
            else
            {
                toRead.Add(change.CallId);
            }
        }

        foreach (var chunk in toRead.Chunk(ChunkSize))
        {
            Written.AddRange(await db.Calls.AsNoTracking().Where(c => chunk.Contains(c.Id)).ToListAsync(ct));
        }

        return changes;
    }
}
