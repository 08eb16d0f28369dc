using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Data;

public abstract class CallPersistenceTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : CallPersistenceTests(DatabaseProvider.Sqlite)
    {
        // The planner checks are SQLite's: the hot queries' indexes were chosen against its planner.
        [Theory]
        [InlineData("SELECT * FROM Calls WHERE EndedAt IS NULL AND StoreId = 1 AND Department = 0 ORDER BY LastEventAt", "IX_Calls_InProgress")]
        [InlineData("SELECT * FROM Calls WHERE StoreId = 1 AND Department = 0 AND StartedAt >= 0 AND StartedAt < 100", "IX_Calls_StoreId_Department_StartedAt")]
        [InlineData("SELECT * FROM Calls WHERE StoreId = 1 AND CallerE164 = '+13125550142'", "IX_Calls_StoreId_CallerE164_StartedAt")]
        [InlineData("SELECT * FROM CallEvents WHERE IntegrationId = 1 AND CallId = 'x'", "IX_CallEvents_IntegrationId_CallId")]
        [InlineData("SELECT * FROM CallRings WHERE SalespersonId = 3 AND StartedAt >= 0", "IX_CallRings_SalespersonId_StartedAt")]
        public async Task Hot_queries_use_an_index_not_a_table_scan(string sql, string index)
        {
            await using var database = await TestDatabase.CreateAsync();
            await using var connection = new SqliteConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + sql;

            var plan = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(3));
                }
            }

            Assert.Contains(plan, line => line.Contains(index, StringComparison.Ordinal));
        }
    }

    public sealed class OnPostgres() : CallPersistenceTests(DatabaseProvider.Postgres);

    private static async Task<(int StoreId, int IntegrationId)> StoreWithIntegrationAsync(WallboardDbContext db)
    {
        var store = new Store { Name = "Test Motors", Slug = "test-motors", TimeZoneId = "America/Chicago" };
        db.Stores.Add(store);
        await db.SaveChangesAsync();
        var integration = new Integration { Name = "PBX", DefaultStoreId = store.Id };
        db.Integrations.Add(integration);
        await db.SaveChangesAsync();
        return (store.Id, integration.Id);
    }

    private static Call NewCall(int storeId, int integrationId, string externalId, CallState state)
    {
        var call = new Call { ExternalId = externalId, StoreId = storeId, IntegrationId = integrationId, Department = Department.Sales };
        call.Refresh(state, CallerNumber.Parse(state.From, "US"), new StoreSettings(), agent => null);
        return call;
    }

    [Fact]
    public async Task Call_with_its_path_reads_back_as_it_was_stored()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var state = new CallBuilder("pbx-1")
            .Started(from: "(312) 555-0142").Queued()
            .Ringing("mike", 1.25).RingNoAnswer("mike", 16.5)
            .Ringing("dana", 16.5).Answered("dana", 42)
            .HoldStarted(60).HoldEnded(130)
            .Ended(300)
            .Project();

        int storeId, integrationId;
        await using (var db = database.CreateDbContext())
        {
            (storeId, integrationId) = await StoreWithIntegrationAsync(db);
            db.Calls.Add(NewCall(storeId, integrationId, "pbx-1", state));
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateDbContext())
        {
            var call = await db.Calls.Include(c => c.Rings).Include(c => c.Holds).SingleAsync();
            Assert.Equal("+13125550142", call.CallerE164);
            Assert.Equal(CallOutcome.Connected, call.Outcome);
            Assert.Equal(CallPhase.Ended, call.Phase);
            Assert.Equal(42, call.WaitSeconds);
            Assert.Equal(70, call.HoldSeconds);
            Assert.Equal(188, call.TalkSeconds);
            Assert.Equal(state.StartedAt, call.StartedAt);
            Assert.Equal(TimeSpan.Zero, call.StartedAt.Offset);
            Assert.Equal(["mike", "dana"], call.Rings.OrderBy(r => r.Ordinal).Select(r => r.Agent));
            Assert.Equal(state.Rings[0].StartedAt, call.Rings.Single(r => r.Ordinal == 0).StartedAt); // milliseconds survive
            Assert.Single(call.Holds);
        }
    }

    [Fact]
    public async Task Time_window_filters_run_in_sql_and_pick_the_right_calls()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var start = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        await using var db = database.CreateDbContext();
        var (storeId, integrationId) = await StoreWithIntegrationAsync(db);
        for (var hour = 0; hour < 48; hour++)
        {
            var state = new CallBuilder($"c{hour}", start.AddHours(hour)).Started().Ended(30).Project();
            db.Calls.Add(NewCall(storeId, integrationId, $"c{hour}", state));
        }

        await db.SaveChangesAsync();

        var from = start.AddHours(10);
        var to = start.AddHours(20);
        var query = db.Calls.Where(c => c.StoreId == storeId && c.StartedAt >= from && c.StartedAt < to);

        Assert.Equal(10, await query.CountAsync());
        Assert.Contains("\"StartedAt\" >= @", query.ToQueryString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repeated_event_id_is_refused_by_the_database_but_other_integrations_may_use_it()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateDbContext();
        var (storeId, integrationId) = await StoreWithIntegrationAsync(db);
        var other = new Integration { Name = "Other", DefaultStoreId = storeId };
        db.Integrations.Add(other);
        await db.SaveChangesAsync();

        StoredCallEvent Event(int integration) => new()
        {
            IntegrationId = integration,
            EventId = "evt-1",
            CallId = "call-1",
            Type = CallEventType.Started,
            At = DateTimeOffset.UtcNow,
            ReceivedAt = DateTimeOffset.UtcNow,
            Payload = "{}",
        };

        db.CallEvents.Add(Event(integrationId));
        db.CallEvents.Add(Event(other.Id));
        await db.SaveChangesAsync();

        await using var again = database.CreateDbContext();
        again.CallEvents.Add(Event(integrationId));
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync());
        TestDatabase.AssertUniqueViolation(error);
    }
}
