using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Web.Live;

namespace Wallboard.Tests.Live;

/// <summary>
/// The board's day figures are the metrics' Today figures (one definition in the domain): every
/// kind of recovery, and a call counted as answered from the moment it is answered.
/// </summary>
public sealed class BoardFiguresTests
{
    // Tuesday 24 November 2026, 15:00 in Chicago: Lakeside Toyota's sales floor is open.
    private static readonly DateTimeOffset Afternoon = new(2026, 11, 24, 21, 0, 0, TimeSpan.Zero);

    private static CallBuilder Call(string id, DateTimeOffset start, string from) => new CallBuilder(id, start).Started(from: from);

    [Fact]
    public async Task Missed_today_counts_call_backs_that_reached_the_caller_as_recovered_as_the_metrics_do()
    {
        await using var bed = await BoardTestBed.CreateAsync(Afternoon);
        var morning = Afternoon.AddHours(-5);
        // Got through later the same day (and the call-back closed itself as the caller called back).
        var gotThrough = await bed.AddCallAsync(Call("got-through", morning, "+13125550301").Ended(30));
        await bed.AddCallAsync(Call("got-through-later", morning.AddMinutes(40), "+13125550301").Answered("101", 5).Ended(90, CallEndedBy.Agent));
        // Call-backs: reached, appointment set, wrong number (done, but nobody recovered), and one not tried yet.
        var reached = await bed.AddCallAsync(Call("reached", morning.AddMinutes(5), "+13125550302").Voicemail(20).Ended(40));
        var appointment = await bed.AddCallAsync(Call("appointment", morning.AddMinutes(10), "+13125550303").Ended(30));
        var wrongNumber = await bed.AddCallAsync(Call("wrong-number", morning.AddMinutes(15), "+13125550304").Ended(30));
        await bed.AddCallAsync(Call("open", morning.AddMinutes(20), "+13125550305").Ended(30));
        await bed.AddCallAsync(Call("answered", morning.AddMinutes(25), "+13125550306").Answered("102", 5).Ended(60, CallEndedBy.Agent));
        await using (var db = bed.Database.CreateDbContext())
        {
            var store = await db.Stores.Include(s => s.BusinessHours).Include(s => s.ClosedDates).SingleAsync(s => s.Id == bed.Lakeside);
            foreach (var (call, resolution) in new[]
                     {
                         (gotThrough, CallbackResolution.CallerCalledBack), (reached, CallbackResolution.Reached),
                         (appointment, CallbackResolution.AppointmentSet), (wrongNumber, CallbackResolution.WrongNumber),
                     })
            {
                var callback = Callback.Create(call, CallbackRules.For(store), Callback.MissedAt(call));
                callback.Status = CallbackStatus.Completed;
                callback.Resolution = resolution;
                db.Callbacks.Add(callback);
            }

            await db.SaveChangesAsync();
        }

        var metrics = (await bed.Metrics.ComputeAsync([MetricsWindow.Today], bed.Lakeside, CancellationToken.None)).Single().Store;
        await bed.StartAsync();
        var board = (await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None))!;

        Assert.Equal((5, 3, 2), (board.Missed.Count, board.Missed.Recovered, board.Missed.StillOpen));
        Assert.Equal(
            [MissedRecovery.StillOpen, MissedRecovery.StillOpen, MissedRecovery.CallbackReached, MissedRecovery.CallbackReached, MissedRecovery.CallerGotThrough],
            board.Missed.Calls.Select(c => c.Recovery));
        Assert.Equal((metrics.Missed, metrics.RecoveredMissed), (board.Missed.Count, board.Missed.Recovered));
        Assert.Equal((metrics.Offered, metrics.Connected, metrics.ShortAbandons, metrics.AnswerRate), (board.AnswerRate.Offered, board.AnswerRate.Connected, board.AnswerRate.ShortAbandons, board.AnswerRate.Rate));
    }

    [Fact]
    public async Task A_call_being_answered_now_counts_as_answered_from_the_moment_it_is_answered()
    {
        await using var bed = await BoardTestBed.CreateAsync(Afternoon);
        await bed.AddCallAsync(Call("missed", Afternoon.AddMinutes(-30), "+13125550311").Ended(40));
        var talking = Call("talking", Afternoon.AddMinutes(-2), "+13125550312").Ringing("102", 1).Answered("102", 8);
        var call = await bed.AddCallAsync(talking);
        await bed.AddCallAsync(Call("ringing", Afternoon.AddSeconds(-10), "+13125550313").Ringing("101", 1));
        await bed.StartAsync();
        using var recorder = bed.Record(bed.LakesideSales);

        var board = (await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None))!;

        var rate = board.AnswerRate;
        Assert.Contains(board.Ticker, t => t.Kind == TickerKind.Answered && t.Text == "Answered by Dana Whitfield");
        Assert.Equal((1, 2, 1), (rate.Answered, rate.Counted, rate.AnsweredInProgress));
        Assert.Equal(0.5, rate.Rate);                 // 1 of 2 answered; the ringing call counts once it ends
        Assert.Equal(0.5, rate.ServiceLevel);         // answered at 8 s
        Assert.Equal((3, 2, 0), (rate.Offered, rate.InProgress, rate.Connected));

        // The caller hangs up on hold: the call ends missed (§3), and the rate says so.
        var ended = await bed.UpdateCallAsync(call, talking.HoldStarted(60).Ended(120));
        bed.Publish(ended);
        var after = await recorder.WaitForAsync(s => s.AnswerRate.InProgress == 1);
        Assert.Equal((0, 2, 0.0), (after.AnswerRate.Answered, after.AnswerRate.Counted, after.AnswerRate.Rate!.Value));
        Assert.Equal(2, after.Missed.Count);

        var metrics = (await bed.Metrics.ComputeAsync([MetricsWindow.Today], bed.Lakeside, CancellationToken.None)).Single().Store;
        Assert.Equal(metrics.AnswerRate, after.AnswerRate.Rate);
    }
}
