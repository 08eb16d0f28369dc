using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wallboard.Tests.Data;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Hosting;

/// <summary>Start-up on PostgreSQL, where several nodes share one database.</summary>
public sealed class PostgresStartupTests
{
    [Fact]
    public async Task Two_nodes_starting_at_once_on_a_database_that_does_not_exist_create_migrate_and_seed_it_once()
    {
        var cluster = await PostgresCluster.GetAsync();
        var name = await cluster.CreateEmptyDatabaseNameAsync();
        var connectionString = cluster.ConnectionString(name);
        var folders = new[] { Directory.CreateTempSubdirectory("wallboard-node-a-").FullName, Directory.CreateTempSubdirectory("wallboard-node-b-").FullName };
        var nodes = folders.Select(folder => new PostgresAppFactory(folder, connectionString)).ToArray();
        try
        {
            // Each node's start-up runs on its own thread, as two processes would.
            await Task.WhenAll(nodes.Select(node => Task.Run(node.InitializeAsync)));

            var factory = nodes[0].Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
            await using var db = await factory.CreateDbContextAsync();
            Assert.Equal(2, await db.Stores.CountAsync());
            Assert.Equal(6, await db.Users.CountAsync());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());

            // One node seeded, so one node wrote the demo's credentials.
            Assert.Single(folders, folder => File.Exists(Path.Combine(folder, DemoSeeder.CredentialsFileName)));

            // The start-up lock was let go: nothing holds an advisory lock any more.
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var locks = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'", connection);
            Assert.Equal(0L, (long)(await locks.ExecuteScalarAsync())!);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            foreach (var folder in folders)
            {
                Directory.Delete(folder, recursive: true);
            }

            await cluster.DropDatabaseAsync(connectionString);
        }
    }
}
