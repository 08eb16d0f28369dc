using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Data;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Callbacks;

/// <summary>Call-backs in a real SQLite database: what the database guarantees, and the intake under concurrency.</summary>
public abstract class CallbackPersistenceTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : CallbackPersistenceTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : CallbackPersistenceTests(DatabaseProvider.Postgres);

    private CallbackWorld _world = null!;

    public async Task InitializeAsync() => _world = await CallbackWorld.CreateAsync(provider: provider);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static Callback Row(int storeId, string? number, CallbackStatus status, DateTimeOffset at) => new()
    {
        StoreId = storeId,
        Department = Department.Sales,
        Status = status,
        CallerE164 = number,
        NoNumber = number is null,
        MissedCallCount = 1,
        FirstMissedAt = at,
        LastMissedAt = at,
        FirstResponseDueAt = at,
        DueAt = at,
        CreatedAt = at,
        UpdatedAt = at,
    };

    [Fact]
    public async Task Database_refuses_a_second_active_call_back_for_the_same_number_in_a_store()
    {
        var at = CallbackWorld.Tuesday2pm;
        await using (var db = _world.Database.CreateDbContext())
        {
            db.Callbacks.AddRange(
                Row(_world.Lakeside, "+13125550142", CallbackStatus.Open, at),
                Row(_world.Lakeside, "+13125550142", CallbackStatus.Completed, at),  // finished ones may repeat
                Row(_world.Lakeside, "+13125550142", CallbackStatus.Unreached, at),
                Row(_world.Bayview, "+13125550142", CallbackStatus.Open, at),        // another store is another queue
                Row(_world.Lakeside, null, CallbackStatus.Open, at),                 // withheld ones are all apart
                Row(_world.Lakeside, null, CallbackStatus.Open, at));
            await db.SaveChangesAsync();
        }

        foreach (var status in CallbackStatuses.Active)
        {
            await using var db = _world.Database.CreateDbContext();
            db.Callbacks.Add(Row(_world.Lakeside, "+13125550142", status, at));
            var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            TestDatabase.AssertUniqueViolation(refused);
        }
    }

    [Fact]
    public async Task Two_missed_calls_from_one_number_handled_at_once_make_one_call_back_with_both()
    {
        // Ten numbers, two misses each, every pair handled by two intakes in parallel.
        var numbers = Enumerable.Range(0, 10).Select(i => $"+1312555{1000 + i}").ToList();
        var pairs = new List<(long First, long Second)>();
        foreach (var number in numbers)
        {
            pairs.Add((await _world.AddCallAsync(number, CallOutcome.Abandoned, CallbackWorld.Tuesday2pm),
                await _world.AddCallAsync(number, CallOutcome.Voicemail, CallbackWorld.Tuesday2pm.AddMinutes(2))));
        }

        await Task.WhenAll(pairs.SelectMany(p => new[]
        {
            Task.Run(() => _world.Intake.ProcessAsync([p.First], CancellationToken.None)),
            Task.Run(() => _world.Intake.ProcessAsync([p.Second], CancellationToken.None)),
            // The same call seen twice (the live path and the sweep's catch-up) still counts once.
            Task.Run(() => _world.Intake.ProcessAsync([p.Second], CancellationToken.None)),
        }));

        await using var db = _world.Database.CreateDbContext();
        var callbacks = await db.Callbacks.Include(c => c.Calls).Where(c => c.StoreId == _world.Lakeside).ToListAsync();
        Assert.Equal(numbers.Order(), callbacks.Select(c => c.CallerE164!).Order());
        Assert.All(callbacks, c =>
        {
            Assert.Equal(2, c.MissedCallCount);
            Assert.Equal(2, c.Calls.Count);
            Assert.Equal(CallbackWorld.Tuesday2pm.AddMinutes(15), c.DueAt); // the earlier of the two
            Assert.Equal([CallbackAction.Created, CallbackAction.Joined], db.CallbackTransitions.Where(t => t.CallbackId == c.Id).OrderBy(t => t.Id).Select(t => t.Action).ToList());
        });
    }

    [Fact]
    public async Task Of_twenty_simultaneous_claims_exactly_one_wins_and_the_others_learn_who()
    {
        var id = await _world.MissedAsync("+13125550142");
        var people = _world.Credentials.ApiTokens.Where(t => t.Role == "Salesperson" && t.StoreId == _world.Lakeside).ToList();
        var users = await Task.WhenAll(people.Select(p => _world.UserAsync(p.Name)));

        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => Task.Run(() => _world.Commands.ClaimAsync(id, users[i % users.Length], CancellationToken.None))));

        var stored = await _world.LoadAsync(id);
        var winner = stored.ClaimedBy;
        Assert.NotNull(winner);
        // The winner's own repeated claims change nothing; everybody else is told who has it.
        Assert.All(results.Where(r => r.IsDone), r => Assert.Equal(winner, r.Callback!.ClaimedBy));
        var losers = results.Where(r => !r.IsDone).ToList();
        Assert.Equal(16, losers.Count);
        Assert.All(losers, r =>
        {
            Assert.Equal(CallbackRefusal.Conflict, r.Result.Refusal);
            Assert.Equal(winner, r.Result.HeldBy);
        });
        Assert.Single(stored.Transitions, t => t.Action == CallbackAction.Claimed);
    }

    [Fact]
    public async Task Every_command_is_kept_in_the_audit_trail_in_order()
    {
        var id = await _world.MissedAsync("+13125550142");
        var dana = await _world.UserAsync("Dana Whitfield");
        var manager = await _world.ManagerAsync(_world.Lakeside);

        await _world.Commands.ClaimAsync(id, dana, CancellationToken.None);
        _world.Time.Advance(TimeSpan.FromMinutes(3));
        await _world.Commands.LogAttemptAsync(id, dana, new AttemptInput(AttemptOutcome.NoAnswer, "Rang out"), CancellationToken.None);
        var mike = (await _world.UserAsync("Mike Reynolds")).SalespersonId!.Value;
        await _world.Commands.ReassignAsync(id, manager, mike, "Mike knows the customer", CancellationToken.None);
        _world.Time.Advance(TimeSpan.FromMinutes(1));
        await _world.Commands.CloseAsync(id, manager, "Customer bought elsewhere", CancellationToken.None);

        var detail = await _world.Queries.DetailAsync(id, CancellationToken.None);
        Assert.Equal(
            [
                (CallbackAction.Created, "Wallboard"),
                (CallbackAction.Claimed, "Dana Whitfield"),
                (CallbackAction.AttemptLogged, "Dana Whitfield"),
                (CallbackAction.Reassigned, "Demo manager, Lakeside Toyota"),
                (CallbackAction.Closed, "Demo manager, Lakeside Toyota"),
            ],
            detail!.Trail.Select(t => (t.Action, t.Actor)));
        Assert.Equal(CallbackStatus.Closed, detail.Callback.Status);
        Assert.Equal("Closed: Customer bought elsewhere", detail.Trail[^1].Reason);
        Assert.Equal((CallbackStatus?)CallbackStatus.Claimed, detail.Trail[^1].From);
        var attempt = Assert.Single(detail.AttemptLog);
        Assert.Equal((AttemptOutcome.NoAnswer, "Rang out", "Dana Whitfield"), (attempt.Outcome, attempt.Note, attempt.By));
        Assert.Single(detail.MissedCalls);
    }

    [Fact]
    public async Task Reassigning_to_someone_outside_the_store_is_refused()
    {
        var id = await _world.MissedAsync("+13125550142");
        var manager = await _world.ManagerAsync(_world.Lakeside);
        var bayviewPerson = (await _world.UserAsync("Jasmine Carter")).SalespersonId!.Value;

        var result = await _world.Commands.ReassignAsync(id, manager, bayviewPerson, null, CancellationToken.None);

        Assert.Equal(CallbackRefusal.Invalid, result.Result.Refusal);
        Assert.Contains("salespersonId", result.Result.Errors.Keys);
    }

    [Fact]
    public async Task Salesperson_of_another_store_cannot_touch_the_call_back()
    {
        var id = await _world.MissedAsync("+13125550142");

        var result = await _world.Commands.ClaimAsync(id, await _world.UserAsync("Jasmine Carter"), CancellationToken.None);

        Assert.Equal(CallbackCommandStatus.OtherStore, result.Status);
    }

    [Fact]
    public async Task Connected_call_from_the_number_resolves_its_call_back_and_a_connected_call_first_makes_it_born_resolved()
    {
        var id = await _world.MissedAsync("+13125550142");
        _world.Time.Advance(TimeSpan.FromMinutes(5));
        var connected = await _world.AddCallAsync("+13125550142", CallOutcome.Connected, _world.Time.GetUtcNow());
        await _world.Intake.ProcessAsync([connected], CancellationToken.None);

        var resolved = await _world.LoadAsync(id);
        Assert.Equal((CallbackStatus.Completed, CallbackResolution.CallerCalledBack), (resolved.Status, resolved.Resolution));
        Assert.Equal(connected, resolved.ResolvedByCallId);

        // Out of order: the later connected call was projected before the earlier miss.
        var laterConnected = await _world.AddCallAsync("+13125550177", CallOutcome.Connected, _world.Time.GetUtcNow());
        var earlierMiss = await _world.AddCallAsync("+13125550177", CallOutcome.Abandoned, _world.Time.GetUtcNow().AddMinutes(-4));
        await _world.Intake.ProcessAsync([laterConnected], CancellationToken.None);
        await _world.Intake.ProcessAsync([earlierMiss], CancellationToken.None);
        await using var db = _world.Database.CreateDbContext();
        var born = await db.Callbacks.SingleAsync(c => c.CallerE164 == "+13125550177");
        Assert.Equal(CallbackResolution.CallerCalledBack, born.Resolution);
    }

    [Fact]
    public async Task Service_calls_and_short_abandons_make_no_call_back()
    {
        var service = await _world.AddCallAsync("+13125550142", CallOutcome.Abandoned, CallbackWorld.Tuesday2pm, department: Department.Service);
        var misdial = await _world.AddCallAsync("+13125550143", CallOutcome.ShortAbandon, CallbackWorld.Tuesday2pm);

        var changes = await _world.Intake.ProcessAsync([service, misdial], CancellationToken.None);

        Assert.Empty(changes);
        await using var db = _world.Database.CreateDbContext();
        Assert.False(await db.Callbacks.AnyAsync());
    }
}
