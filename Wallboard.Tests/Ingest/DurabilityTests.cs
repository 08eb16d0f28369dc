using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Calls;
using Wallboard.Tests.Data;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Ingest;

public abstract class DurabilityTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : DurabilityTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : DurabilityTests(DatabaseProvider.Postgres);

    [Fact]
    public async Task Acknowledged_events_survive_a_restart_and_the_call_goes_on_where_it_was()
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-restart-").FullName;
        // The same database across the restart: the SQLite file in the folder, or one PostgreSQL database.
        var postgres = provider == DatabaseProvider.Postgres ? await (await PostgresCluster.GetAsync()).CreateDatabaseAsync() : null;
        WallboardAppFactory App() => postgres is null ? new WallboardAppFactory(folder) : new PostgresAppFactory(folder, postgres);
        try
        {
            var call = new CallBuilder("restart-1", DateTimeOffset.UtcNow.AddMinutes(-3)).Started(to: "+16305550104").Answered("101", 8).HoldStarted(40).Ended(100);
            await using (var first = App())
            {
                await first.InitializeAsync();
                var response = await new SignedIngestClient(first).PostEventsAsync(call.Events.Take(3));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            await using var second = App();
            await second.InitializeAsync();
            var client = new SignedIngestClient(second);
            await client.PostEventsAsync(call.Events.Skip(3));

            var factory = second.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
            await using var db = await factory.CreateDbContextAsync();
            var stored = await db.Calls.SingleAsync(c => c.ExternalId == "restart-1");
            Assert.Equal(CallOutcome.AbandonedOnHold, stored.Outcome);
            Assert.Equal(4, stored.EventCount);
            Assert.Equal(2, await db.Stores.CountAsync()); // seeded once, not again on restart
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            if (postgres is not null)
            {
                await (await PostgresCluster.GetAsync()).DropDatabaseAsync(postgres);
            }
        }
    }
}
