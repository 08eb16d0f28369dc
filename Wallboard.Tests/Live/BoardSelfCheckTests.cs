using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Ingest.Simulator;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Live;

namespace Wallboard.Tests.Live;

/// <summary>
/// The board keeps today's counters in memory, updated call by call; the database is read at
/// start-up, at midnight and by the self-check, which finds drift, logs it and corrects it.
/// </summary>
public sealed class BoardSelfCheckTests
{
    // Tuesday 24 November 2026, 15:00 in Chicago: Lakeside Toyota's sales floor is open.
    private static readonly DateTimeOffset Afternoon = new(2026, 11, 24, 21, 0, 0, TimeSpan.Zero);

    private static CallBuilder Call(string id, DateTimeOffset start, string from = "+13125550142") => new CallBuilder(id, start).Started(from: from);

    [Fact]
    public async Task Counters_updated_call_by_call_equal_the_databases_figures_through_every_kind_of_change()
    {
        await using var bed = await BoardTestBed.CreateAsync(Afternoon);
        var morning = Afternoon.AddHours(-4);
        // Already there at start-up: a missed call and an answered one.
        var early = await bed.AddCallAsync(Call("early-missed", morning, "+13125550401").Ringing("101", 1).RingNoAnswer("101", 16).Ended(30));
        await bed.AddCallAsync(Call("early-answered", morning.AddMinutes(1), "+13125550402").Ringing("102", 1).Answered("102", 9).Ended(100, CallEndedBy.Agent));
        await bed.StartAsync();

        // Ringing, then answered after a ring nobody took, then held, then ended: with its state, as ingest sends it.
        var ringing = Call("ringing", Afternoon.AddMinutes(-20), "+13125550403").Ringing("101", 1);
        var call = await bed.AddCallAsync(ringing);
        bed.PublishWithState(call);
        call = await bed.UpdateCallAsync(call, ringing.RingNoAnswer("101", 16).Ringing("102", 16).Answered("102", 25));
        bed.PublishWithState(call);
        call = await bed.UpdateCallAsync(call, ringing.HoldStarted(60).HoldEnded(90).Ended(300, CallEndedBy.Agent));
        bed.PublishWithState(call);

        // The early missed caller gets through later: it is recovered (with state, and the earlier one only by id).
        var later = await bed.AddCallAsync(Call("got-through", Afternoon.AddMinutes(-10), "+13125550401").Answered("103", 4).Ended(60, CallEndedBy.Agent));
        bed.PublishWithState(later);

        // A short abandon, a voicemail and an abandon on hold, published by id only (read back).
        var shortAbandon = await bed.AddCallAsync(Call("short", Afternoon.AddMinutes(-9), "+13125550404").Ended(2));
        var voicemail = await bed.AddCallAsync(Call("voicemail", Afternoon.AddMinutes(-8), "+13125550405").Voicemail(20).Ended(50), source: "Website");
        var onHold = await bed.AddCallAsync(Call("lost-on-hold", Afternoon.AddMinutes(-7), "+13125550406").Answered("101", 5).HoldStarted(20).Ended(80));
        bed.Publish(shortAbandon, voicemail, onHold);

        // A late event moves a call to the service department: it leaves the sales counters.
        var moving = await bed.AddCallAsync(Call("moving", Afternoon.AddMinutes(-6), "+13125550407").Ended(40));
        bed.PublishWithState(moving);
        await using (var db = bed.Database.CreateDbContext())
        {
            await db.Calls.Where(c => c.Id == moving.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.Department, Department.Service));
        }

        bed.Publish(moving);

        // Yesterday's call ends late: on the ticker, not in today's counters.
        var yesterday = await bed.AddCallAsync(Call("yesterday", Afternoon.AddDays(-1), "+13125550408").Ended(40));
        bed.PublishWithState(yesterday);

        // A call-back reaches the voicemail caller.
        long callbackId;
        await using (var db = bed.Database.CreateDbContext())
        {
            var store = await db.Stores.Include(s => s.BusinessHours).Include(s => s.ClosedDates).SingleAsync(s => s.Id == bed.Lakeside);
            var callback = Callback.Create(voicemail, CallbackRules.For(store), Callback.MissedAt(voicemail));
            callback.Status = CallbackStatus.Completed;
            callback.Resolution = CallbackResolution.Reached;
            callback.FirstAttemptAt = callback.FirstMissedAt.AddMinutes(6);
            db.Callbacks.Add(callback);
            await db.SaveChangesAsync();
            callbackId = callback.Id;
        }

        bed.CallbackChanges.Publish([new CallbackChange(bed.Lakeside, Department.Sales, callbackId)]);
        var board = (await bed.Board.RefreshAsync(bed.LakesideSales, BoardAudience.Staff, CancellationToken.None))!;

        // What the board shows: 7 calls today (the moved one left, yesterday's never came in);
        // missed 3: the early one (got through later), the voicemail (reached), the one lost on hold.
        Assert.Equal(7, board.AnswerRate.Offered);
        Assert.Equal((3, 2, 1), (board.Missed.Count, board.Missed.Recovered, board.Missed.StillOpen));
        Assert.Equal(6.0, board.SpeedToCallback.MedianMinutes);

        // The same figures the database counts with the metrics' queries, and no drift.
        var (start, end) = new StoreCalendar("America/Chicago").DayContaining(Afternoon);
        BoardQueries.DayFigures database;
        await using (var db = bed.Database.CreateDbContext())
        {
            database = await BoardQueries.ReadDayAsync(db, bed.LakesideSales, start, end, Afternoon, new StoreSettings().ServiceLevelSeconds, CancellationToken.None);
        }

        Assert.Empty(DayFiguresDiff.Of(database, bed.Board.DayFigures(bed.LakesideSales)!));
        Assert.Equal(early.Id, database.LatestMissed[^1].Id);
        Assert.Empty(await bed.Board.CheckAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task A_call_written_behind_the_boards_back_is_found_by_the_self_check_logged_at_warning_and_corrected()
    {
        var logger = new RecordingLogger<LiveBoard>();
        await using var bed = await BoardTestBed.CreateAsync(Afternoon, logger: logger);
        await bed.StartAsync();
        var before = (await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None))!;
        Assert.Equal(0, before.Missed.Count);

        // Nobody tells the board.
        var unseen = await bed.AddCallAsync(Call("unseen", Afternoon.AddMinutes(-30), "+13125550411").Ended(40));
        using var recorder = bed.Record(bed.LakesideSales);

        var drift = Assert.Single(await bed.Board.CheckAsync(null, CancellationToken.None));

        Assert.Equal(bed.LakesideSales, drift.Key);
        Assert.Contains($"call {unseen.Id} is missing", drift.Differences);
        Assert.Contains(drift.Differences, d => d.StartsWith("figures:", StringComparison.Ordinal) && d.Contains("Missed 0 (database 1)", StringComparison.Ordinal));
        Assert.Equal(1, logger.Count(LogLevel.Warning));
        var corrected = await recorder.WaitForAsync(s => s.Missed.Count == 1);
        Assert.Equal(unseen.Id, Assert.Single(corrected.Missed.Calls).CallId);

        // Corrected: the next check finds nothing.
        Assert.Empty(await bed.Board.CheckAsync(null, CancellationToken.None));
        Assert.Equal(1, logger.Count(LogLevel.Warning));
    }

    [Fact]
    public async Task A_running_counter_gone_wrong_is_found_and_corrected()
    {
        var logger = new RecordingLogger<LiveBoard>();
        await using var bed = await BoardTestBed.CreateAsync(Afternoon, logger: logger);
        var missed = await bed.AddCallAsync(Call("missed", Afternoon.AddMinutes(-30), "+13125550412").Ended(40));
        await bed.StartAsync();
        bed.Board.CorruptForTest(bed.LakesideSales, t => t with { Missed = t.Missed + 5, Offered = t.Offered + 5 });
        Assert.Equal(6, bed.Board.DayFigures(bed.LakesideSales)!.Totals.Missed);

        var drift = Assert.Single(await bed.Board.CheckAsync(bed.Lakeside, CancellationToken.None));

        var counters = Assert.Single(drift.Differences);
        Assert.StartsWith("counters do not add up to the calls:", counters, StringComparison.Ordinal);
        Assert.Contains("Missed 6 (recounted 1)", counters, StringComparison.Ordinal);
        Assert.Equal(1, logger.Count(LogLevel.Warning));
        Assert.Equal((1, 1), (bed.Board.DayFigures(bed.LakesideSales)!.Totals.Missed, bed.Board.DayFigures(bed.LakesideSales)!.Totals.Offered));
        var board = (await bed.Board.RefreshAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None))!;
        Assert.Equal(missed.Id, Assert.Single(board.Missed.Calls).CallId);
    }

    [Fact]
    public async Task The_self_check_runs_by_itself_every_interval()
    {
        var logger = new RecordingLogger<LiveBoard>();
        await using var bed = await BoardTestBed.CreateAsync(Afternoon, selfCheck: TimeSpan.FromMinutes(5), logger: logger);
        await bed.StartAsync();
        await bed.AddCallAsync(Call("unseen", Afternoon.AddMinutes(-30), "+13125550413").Ended(40));
        using var recorder = bed.Record(bed.LakesideSales);

        bed.Clock.Advance(TimeSpan.FromMinutes(4));
        await bed.Board.RefreshAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None);
        Assert.Equal(0, bed.Board.DayFigures(bed.LakesideSales)!.Totals.Missed);

        bed.Clock.Advance(TimeSpan.FromMinutes(1));

        await recorder.WaitForAsync(s => s.Missed.Count == 1);
        Assert.Equal(1, logger.Count(LogLevel.Warning));
    }

    [Fact]
    public async Task Resyncing_a_store_reads_its_boards_again_from_the_database()
    {
        await using var bed = await BoardTestBed.CreateAsync(Afternoon);
        await bed.StartAsync();
        await bed.AddCallAsync(Call("from-another-node", Afternoon.AddMinutes(-30), "+13125550414").Answered("101", 5).Ended(60, CallEndedBy.Agent));
        using var recorder = bed.Record(bed.LakesideSales);

        await bed.Board.ResyncStoreAsync(bed.Lakeside, CancellationToken.None);

        var board = await recorder.WaitForAsync(s => s.AnswerRate.Connected == 1);
        Assert.Equal(1, board.AnswerRate.Offered);
        Assert.Empty(await bed.Board.CheckAsync(null, CancellationToken.None));
    }
}
