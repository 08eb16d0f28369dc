using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Ingest.Simulator;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Live;

namespace Wallboard.Tests.Live;

/// <summary>The TV's overdue tile (§5 tile 4) reads the call-backs, and moves when they change.</summary>
public class BoardCallbacksTests
{
    // Tuesday 24 November 2026, 15:00 in Chicago: Lakeside Toyota's sales floor is open.
    private static readonly DateTimeOffset TuesdayAfternoon = new(2026, 11, 24, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_call_back_past_its_due_time_shows_on_the_overdue_tile_masked_and_leaves_it_when_done()
    {
        await using var bed = await BoardTestBed.CreateAsync(TuesdayAfternoon);
        var missed = await bed.AddCallAsync(new CallBuilder("overdue-1", TuesdayAfternoon.AddHours(-1)).Started(from: "(312) 555-0142").Ended(40));
        long callbackId;
        await using (var db = bed.Database.CreateDbContext())
        {
            var store = await db.Stores.Include(s => s.BusinessHours).Include(s => s.ClosedDates).SingleAsync(s => s.Id == bed.Lakeside);
            var callback = Callback.Create(missed, CallbackRules.For(store), Callback.MissedAt(missed));
            db.Callbacks.Add(callback);
            await db.SaveChangesAsync();
            callbackId = callback.Id;
        }

        await bed.StartAsync();
        using var recorder = bed.Record(bed.LakesideSales);
        bed.CallbackChanges.Publish([new CallbackChange(bed.Lakeside, Department.Sales, callbackId)]);

        var snapshot = await recorder.WaitForAsync(s => s.OverdueCallbacks.Count == 1);
        var item = Assert.Single(snapshot.OverdueCallbacks.Items);
        Assert.Equal("•••-•••-0142", item.Caller);
        Assert.Equal("Cars.com", item.Source);
        Assert.Null(item.ClaimedBy);

        await using (var db = bed.Database.CreateDbContext())
        {
            await db.Callbacks.Where(c => c.Id == callbackId).ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, CallbackStatus.Completed));
        }

        bed.CallbackChanges.Publish([new CallbackChange(bed.Lakeside, Department.Sales, callbackId)]);
        await recorder.WaitForAsync(s => s.OverdueCallbacks.Count == 0);
    }

    [Fact]
    public async Task Only_the_call_backs_that_changed_are_read_again_and_one_changed_behind_the_boards_back_is_corrected_by_the_self_check()
    {
        var logger = new RecordingLogger<LiveBoard>();
        await using var bed = await BoardTestBed.CreateAsync(TuesdayAfternoon, logger: logger);
        var ids = new List<long>();
        await using (var db = bed.Database.CreateDbContext())
        {
            var store = await db.Stores.Include(s => s.BusinessHours).Include(s => s.ClosedDates).SingleAsync(s => s.Id == bed.Lakeside);
            foreach (var (name, number) in new[] { ("told", "(312) 555-0161"), ("untold", "(312) 555-0162") })
            {
                var missed = await bed.AddCallAsync(new CallBuilder(name, TuesdayAfternoon.AddHours(-1)).Started(from: number).Ended(40));
                var callback = Callback.Create(missed, CallbackRules.For(store), Callback.MissedAt(missed));
                db.Callbacks.Add(callback);
                await db.SaveChangesAsync();
                ids.Add(callback.Id);
            }
        }

        await bed.StartAsync();
        using var recorder = bed.Record(bed.LakesideSales);
        Assert.Equal(2, (await bed.Board.RefreshAsync(bed.LakesideSales, BoardAudience.Staff, CancellationToken.None))!.OverdueCallbacks.Count);

        // Both are done, but only the first is announced: the board reads that one alone, so the
        // second stays on the tile as the board last knew it.
        await using (var db = bed.Database.CreateDbContext())
        {
            await db.Callbacks.Where(c => ids.Contains(c.Id))
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, CallbackStatus.Completed).SetProperty(c => c.Version, c => c.Version + 1));
        }

        bed.CallbackChanges.Publish([new CallbackChange(bed.Lakeside, Department.Sales, ids[0])]);
        var told = (await bed.Board.RefreshAsync(bed.LakesideSales, BoardAudience.Staff, CancellationToken.None))!;
        Assert.Equal(ids[1], Assert.Single(told.OverdueCallbacks.Items).CallbackId);

        var drift = Assert.Single(await bed.Board.CheckAsync(bed.Lakeside, CancellationToken.None));

        Assert.Equal([$"call-back {ids[1]}: memory Open v0, database not active"], drift.Differences);
        Assert.Equal(1, logger.Count(Microsoft.Extensions.Logging.LogLevel.Warning));
        await recorder.WaitForAsync(s => s.OverdueCallbacks.Count == 0);
        Assert.Empty(await bed.Board.CheckAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task Speed_to_call_back_is_the_median_minutes_from_the_miss_to_the_first_attempt_today()
    {
        await using var bed = await BoardTestBed.CreateAsync(TuesdayAfternoon);
        var firstTries = new[] { 4, 12, 30 };
        await using (var db = bed.Database.CreateDbContext())
        {
            var store = await db.Stores.Include(s => s.BusinessHours).Include(s => s.ClosedDates).SingleAsync(s => s.Id == bed.Lakeside);
            for (var i = 0; i < firstTries.Length; i++)
            {
                var missed = await bed.AddCallAsync(new CallBuilder($"speed-{i}", TuesdayAfternoon.AddHours(-2)).Started(from: $"(312) 555-015{i}").Ended(30));
                var callback = Callback.Create(missed, CallbackRules.For(store), Callback.MissedAt(missed));
                callback.FirstAttemptAt = missed.StartedAt.AddMinutes(firstTries[i]);
                db.Callbacks.Add(callback);
            }

            await db.SaveChangesAsync();
        }

        await bed.StartAsync();

        var snapshot = await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None);

        Assert.Equal(12, snapshot!.SpeedToCallback.MedianMinutes);
        Assert.Equal(3, snapshot.SpeedToCallback.Attempted);
    }
}
