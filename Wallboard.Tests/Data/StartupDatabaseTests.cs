using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Data;

/// <summary>
/// What the app does to its database at start-up (<see cref="DataExtensions.MigrateWallboardDatabaseAsync"/>, on SQLite)
/// keeps start-up from growing with history: docs/startup.md.
/// </summary>
public sealed class StartupDatabaseTests
{
    [Fact]
    public async Task After_start_up_calls_in_progress_are_read_through_their_partial_index_not_the_store_history()
    {
        await using var database = await TestDatabase.CreateAsync();
        int storeId;
        await using (var db = database.CreateDbContext())
        {
            var store = new Store { Name = "Plan Motors", Slug = "plan-motors", City = "Springfield", TimeZoneId = "America/Chicago", CountryCode = "US" };
            db.Add(store);
            await db.SaveChangesAsync();
            var integration = new Integration { Name = "Plan PBX", Kind = IntegrationKind.JsonApi, DefaultStoreId = store.Id };
            db.Add(integration);
            await db.SaveChangesAsync();
            storeId = store.Id;
            // Two thousand ended calls of history and two in progress.
            await db.Database.ExecuteSqlRawAsync(
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2002)
                INSERT INTO "Calls" ("IntegrationId", "ExternalId", "StoreId", "Department", "CallerWithheld", "StartedAt",
                                     "LastEventAt", "Phase", "HoldSeconds", "HoldCount", "ClosedAsStale", "EventCount", "EndedAt")
                SELECT {0}, 'call-' || i, {1}, 0, 0, i * 60000, i * 60000 + 5000, 0, 0, 0, 0, 2,
                       CASE WHEN i > 2000 THEN NULL ELSE i * 60000 + 5000 END
                FROM n
                """,
                integration.Id,
                storeId);
        }

        await using (var services = Services(database))
        {
            await services.MigrateWallboardDatabaseAsync();
        }

        await using (var db = database.CreateDbContext())
        {
            // The board's calls in progress (LiveBoard) and the stale-call sweep's (StaleCallSweepJob), as EF writes them.
            var board = db.Calls.Where(c => c.StoreId == storeId && c.Department == Department.Sales && c.EndedAt == null);
            var sweep = db.Calls.Where(c => c.StoreId == storeId && c.EndedAt == null && c.LastEventAt <= DateTimeOffset.UnixEpoch.AddDays(365));
            Assert.Equal(2, await board.CountAsync());
            Assert.Contains("IX_Calls_InProgress", await PlanAsync(database, board.ToQueryString()));
            Assert.Contains("IX_Calls_InProgress", await PlanAsync(database, sweep.ToQueryString()));
        }
    }

    [Fact]
    public async Task The_model_has_no_change_without_a_migration()
    {
        // Start-up skips the migrator (and its model check) on an up-to-date database; this keeps
        // the model and the migrations in step instead.
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDbContext();

        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Start_up_applies_the_migrations_of_an_empty_database_and_finds_an_up_to_date_one_as_it_left_it()
    {
        await using var database = await TestDatabase.CreateAsync();
        File.Delete(Path.Combine(database.Folder, "wallboard.db"));

        await using (var services = Services(database))
        {
            await services.MigrateWallboardDatabaseAsync();
            await services.MigrateWallboardDatabaseAsync();
        }

        await using var db = database.CreateDbContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal("wal", await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode").SingleAsync());
    }

    private static ServiceProvider Services(TestDatabase database)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDbContextFactory<WallboardDbContext>>(database);
        return services.BuildServiceProvider();
    }

    private static async Task<string> PlanAsync(TestDatabase database, string sql)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // EF writes a captured value as ".param set @name value" lines before the statement.
        var lines = sql.Split('\n');
        foreach (var line in lines.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ', 4);
            command.Parameters.AddWithValue(parts[2], parts[3].Trim().Trim('\''));
        }

        command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', lines.Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return string.Join(" | ", plan);
    }
}
