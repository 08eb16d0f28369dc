using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Calls;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Web.Data;
using Wallboard.Web.Jobs;

namespace Wallboard.Tests.Jobs;

public abstract class StaleCallSweepJobTests(WallboardAppFactory app)
{
    public sealed class OnSqlite(WallboardAppFactory app) : StaleCallSweepJobTests(app), IClassFixture<WallboardAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory app) : StaleCallSweepJobTests(app), IClassFixture<PostgresAppFactory>;

    private async Task<Call> StoredAsync(string id)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await db.Calls.SingleAsync(c => c.ExternalId == id);
    }

    private Task<int> SweepAsync() => app.Services.GetRequiredService<StaleCallSweepJob>().SweepAsync(CancellationToken.None);

    [Fact]
    public async Task Call_whose_end_never_came_is_closed_as_no_answer_after_the_stale_limit_and_a_late_end_still_wins()
    {
        var client = new SignedIngestClient(app);
        var stuck = new CallBuilder("stale-stuck", DateTimeOffset.UtcNow.AddHours(-5)).Started(to: "+16305550104").Queued().Ringing("101", 2);
        var fresh = new CallBuilder("stale-fresh", DateTimeOffset.UtcNow.AddMinutes(-2)).Started(to: "+16305550104").Queued();
        await client.PostEventsAsync(stuck.Events);
        await client.PostEventsAsync(fresh.Events);

        await SweepAsync();

        var closed = await StoredAsync("stale-stuck");
        Assert.Equal(CallOutcome.NoAnswer, closed.Outcome);
        Assert.True(closed.ClosedAsStale);
        Assert.Equal(CallPhase.Ended, closed.Phase);
        Assert.Equal(2, closed.WaitSeconds); // ends at its last event, not five hours later
        Assert.Equal(CallPhase.Waiting, (await StoredAsync("stale-fresh")).Phase);

        // A second sweep finds nothing to do.
        Assert.Equal(0, await SweepAsync());

        // The phone system's real end turns up after all: it wins.
        stuck.Answered("101", 20).Ended(300);
        await client.PostEventsAsync(stuck.Events.Skip(3));
        var corrected = await StoredAsync("stale-stuck");
        Assert.Equal(CallOutcome.Connected, corrected.Outcome);
        Assert.False(corrected.ClosedAsStale);
    }
}
