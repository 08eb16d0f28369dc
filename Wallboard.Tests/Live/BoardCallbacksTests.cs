using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
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
