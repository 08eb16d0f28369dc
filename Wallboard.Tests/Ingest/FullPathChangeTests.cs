using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Live;
using Wallboard.Web.Data;
using Wallboard.Web.Live;
using Wallboard.Web.Privacy;

namespace Wallboard.Tests.Ingest;

/// <summary>
/// A call whose caller was erased while it was live takes ingest's full path (projected again from
/// all its events, kept anonymous) when its next events land. Its change carries the row as
/// committed, like every other ingest change, and the live board is right from that row.
/// </summary>
public abstract class FullPathChangeTests(WallboardAppFactory app)
{
    public sealed class OnSqlite(WallboardAppFactory app) : FullPathChangeTests(app), IClassFixture<WallboardAppFactory>;

    public sealed class OnPostgres(PostgresAppFactory app) : FullPathChangeTests(app), IClassFixture<PostgresAppFactory>;

    // Lakeside Toyota's Cars.com number in the demo seed.
    private const string CarsComLine = "+16305550104";

    private readonly SignedIngestClient _ingest = new(app);

    [Fact]
    public async Task Events_of_an_erased_callers_live_call_publish_the_committed_row_and_the_board_shows_it_on_hold()
    {
        var board = new BoardKey(_ingest.Credentials.Stores[0].Id, Department.Sales);
        var start = DateTimeOffset.UtcNow.AddSeconds(-60);
        var call = new CallBuilder($"full-path-{Guid.NewGuid():N}", start).Started(from: "+13125550187", to: CarsComLine).Queued().Ringing("101", 1);
        (await _ingest.PostEventsAsync(call.Events)).EnsureSuccessStatusCode();
        await app.WaitForBoardAsync(board, b => b.Waiting.Calls.Any(c => c.Caller == "+13125550187"));
        await app.Services.GetRequiredService<CallerPrivacy>().EraseAsync("+13125550187", "privacy.admin@example.com", CancellationToken.None);
        await app.WaitForBoardAsync(board, b => b.Waiting.Calls.All(c => c.Caller != "+13125550187"));

        var published = new TaskCompletionSource<CallChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = app.Services.GetRequiredService<ICallChangeNotifier>().Subscribe(changes =>
        {
            if (changes.FirstOrDefault(c => c.Row?.ExternalId == call.Events[0].CallId) is { } change)
            {
                published.TrySetResult(change);
            }

            return ValueTask.CompletedTask;
        });
        // 101 lets it ring out, 102 (Dana Whitfield) answers and puts the caller on hold.
        var later = new CallBuilder(call.Events[0].CallId, start).RingNoAnswer("101", 20).Ringing("102", 21).Answered("102", 25).HoldStarted(40).Events
            .Select((e, i) => e with { EventId = $"{e.CallId}-later-{i}" });
        (await _ingest.PostEventsAsync(later)).EnsureSuccessStatusCode();

        var change = await published.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var shown = await app.WaitForBoardAsync(board, b => b.OnHold.Calls.Any(c => c.CallId == change.CallId));

        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var stored = await db.Calls.AsNoTracking().Include(c => c.Rings).Include(c => c.Holds).SingleAsync(c => c.Id == change.CallId);
        var row = change.Row!;
        Assert.NotNull(row.AnonymizedAt);
        Assert.True(CallerPseudonym.IsPseudonym(row.CallerE164));
        Assert.Equal(stored.CallerE164, row.CallerE164);
        Assert.Equal((CallPhase.OnHold, (CallOutcome?)null), (row.Phase, row.Outcome));
        Assert.Equal((stored.Phase, stored.AnsweredBySalespersonId, stored.HoldStartedAt, stored.EventCount), (row.Phase, row.AnsweredBySalespersonId, row.HoldStartedAt, row.EventCount));
        Assert.Equal(
            stored.Rings.OrderBy(r => r.Ordinal).Select(r => (r.CallId, r.Ordinal, r.Agent, r.SalespersonId, r.Result)),
            row.Rings.Select(r => (r.CallId, r.Ordinal, r.Agent, r.SalespersonId, r.Result)));
        Assert.Equal(2, row.Rings.Count);

        var held = Assert.Single(shown.OnHold.Calls, c => c.CallId == change.CallId);
        Assert.Equal(CallerPseudonym.Shown, held.Caller);
        Assert.Equal("Dana Whitfield", held.Salesperson);
        Assert.DoesNotContain(shown.Waiting.Calls, c => c.CallId == change.CallId);
    }
}
