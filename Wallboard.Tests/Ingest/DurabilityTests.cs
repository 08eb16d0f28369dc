using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Calls;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Ingest;

public class DurabilityTests
{
    [Fact]
    public async Task Acknowledged_events_survive_a_restart_and_the_call_goes_on_where_it_was()
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-restart-").FullName;
        try
        {
            var call = new CallBuilder("restart-1", DateTimeOffset.UtcNow.AddMinutes(-3)).Started(to: "+16305550104").Answered("101", 8).HoldStarted(40).Ended(100);
            await using (var first = new WallboardAppFactory(folder))
            {
                await first.InitializeAsync();
                var response = await new SignedIngestClient(first).PostEventsAsync(call.Events.Take(3));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            await using var second = new WallboardAppFactory(folder);
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
        }
    }
}
