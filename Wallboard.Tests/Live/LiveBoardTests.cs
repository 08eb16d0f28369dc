using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Web.Live;
using Xunit.Abstractions;

namespace Wallboard.Tests.Live;

public sealed class LiveBoardTests(ITestOutputHelper output)
{
    // Friday 20 November 2026, 12:00 in Chicago (CST, UTC−6): the store's day runs 06:00Z to 06:00Z.
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 18, 0, 0, TimeSpan.Zero);

    private static CallBuilder Call(string id, DateTimeOffset start, string? from = "+13125550100") => new CallBuilder(id, start).Started(from: from);

    [Fact]
    public async Task Answer_rate_leaves_out_short_abandons_and_calls_still_in_progress()
    {
        await using var bed = await BoardTestBed.CreateAsync(Noon);
        var start = Noon.AddHours(-2);
        await bed.AddCallAsync(Call("c1", start).Answered("101", 5).Ended(120, CallEndedBy.Agent));
        await bed.AddCallAsync(Call("c2", start.AddMinutes(5)).Answered("102", 15).Ended(120, CallEndedBy.Agent));
        await bed.AddCallAsync(Call("c3", start.AddMinutes(10)).Answered("103", 25).Ended(120, CallEndedBy.Agent));
        await bed.AddCallAsync(Call("abandoned", start.AddMinutes(15)).Ended(30));
        await bed.AddCallAsync(Call("misdial-1", start.AddMinutes(20)).Ended(2));
        await bed.AddCallAsync(Call("misdial-2", start.AddMinutes(25)).Ended(3));
        await bed.AddCallAsync(Call("voicemail", start.AddMinutes(30)).Voicemail(20, messageLeft: true).Ended(50));
        await bed.AddCallAsync(Call("waiting", Noon.AddSeconds(-10)).Ringing("104", 1));
        await bed.StartAsync();

        var board = (await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None))!;

        var rate = board.AnswerRate;
        Assert.Equal(8, rate.Offered);
        Assert.Equal(1, rate.InProgress);
        Assert.Equal(2, rate.ShortAbandons);
        Assert.Equal(3, rate.Connected);
        Assert.Equal(2, rate.Missed);
        Assert.Equal(3.0 / 5, rate.Rate);
        Assert.Equal(0.90, rate.Target);
        // Answered within 20 s of waiting: the 5 s and 15 s ones.
        Assert.Equal(2, rate.AnsweredWithinServiceLevel);
        Assert.Equal(2.0 / 5, rate.ServiceLevel);
        Assert.Equal(1, board.Waiting.Count);
    }

    [Fact]
    public async Task A_missed_caller_who_got_through_later_the_same_day_counts_as_recovered()
    {
        await using var bed = await BoardTestBed.CreateAsync(Noon);
        var morning = Noon.AddHours(-3);
        // Got through half an hour later: recovered.
        await bed.AddCallAsync(Call("x-missed", morning, "+13125550101").Ended(30));
        await bed.AddCallAsync(Call("x-connected", morning.AddMinutes(30), "+13125550101").Answered("101", 5).Ended(90, CallEndedBy.Agent));
        // Got through before the miss, not after: still open.
        await bed.AddCallAsync(Call("y-connected", morning.AddMinutes(-20), "+13125550102").Answered("101", 5).Ended(90, CallEndedBy.Agent));
        await bed.AddCallAsync(Call("y-missed", morning.AddMinutes(10), "+13125550102").Voicemail(25).Ended(40));
        // Got through, but to the other store: still open for this one.
        await bed.AddCallAsync(Call("z-missed", morning.AddMinutes(20), "+13125550103").Ended(30));
        await bed.AddCallAsync(Call("z-elsewhere", morning.AddMinutes(25), "+13125550103").Answered("201", 5).Ended(90, CallEndedBy.Agent), bed.Bayview);
        // Withheld: nobody can tell whether they got through.
        await bed.AddCallAsync(Call("withheld", morning.AddMinutes(40), from: "anonymous").Ended(30));
        // Missed yesterday and connected today: not one of today's missed calls.
        await bed.AddCallAsync(Call("w-missed", Noon.AddHours(-13), "+13125550104").Ended(30));
        await bed.AddCallAsync(Call("w-connected", morning, "+13125550104").Answered("102", 5).Ended(90, CallEndedBy.Agent));
        await bed.StartAsync();

        var board = (await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None))!;

        Assert.Equal(4, board.Missed.Count);
        Assert.Equal(1, board.Missed.Recovered);
        Assert.Equal(3, board.Missed.StillOpen);
        var recovered = Assert.Single(board.Missed.Calls, c => c.Recovery == MissedRecovery.CallerGotThrough);
        Assert.Equal("•••-•••-0101", recovered.Caller);
        Assert.Equal(["Private", "•••-•••-0103", "•••-•••-0102", "•••-•••-0101"], board.Missed.Calls.Select(c => c.Caller));
        Assert.Contains(board.Missed.Calls, c => c.Outcome == CallOutcome.Voicemail);
    }

    [Fact]
    public async Task Leaderboard_counts_answers_and_rings_that_went_unanswered_today_per_salesperson()
    {
        await using var bed = await BoardTestBed.CreateAsync(Noon);
        var start = Noon.AddHours(-1);
        // 101 Mike Reynolds, 102 Dana Whitfield, 103 Carlos Mendez.
        await bed.AddCallAsync(Call("a", start).Ringing("101", 1).RingNoAnswer("101", 16).Ringing("102", 16).Answered("102", 20).Ended(200, CallEndedBy.Agent));
        await bed.AddCallAsync(Call("b", start.AddMinutes(5)).Ringing("101", 1).RingNoAnswer("101", 16).Ringing("103", 16).RingNoAnswer("103", 31).Voicemail(31).Ended(60));
        await bed.AddCallAsync(Call("c", start.AddMinutes(10)).Ringing("101", 1).Answered("101", 8).Ended(100, CallEndedBy.Agent));
        // Yesterday's unanswered ring does not count today.
        await bed.AddCallAsync(Call("old", Noon.AddDays(-1)).Ringing("102", 1).RingNoAnswer("102", 16).Ended(20));
        await bed.StartAsync();

        var board = (await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None))!;

        var rows = board.Leaderboard.Select(r => (r.Name, r.Answered, r.MissedWhileRung)).ToList();
        Assert.Equal(
            [("Dana Whitfield", 1, 0), ("Mike Reynolds", 1, 2), ("Priya Shah", 0, 0), ("Tom Becker", 0, 0), ("Carlos Mendez", 0, 1)],
            rows);
        Assert.All(board.Leaderboard, r => Assert.Null(r.CallbacksDone));
    }

    [Fact]
    public async Task Leaderboard_and_sources_come_from_todays_metrics_snapshot_with_call_backs_done_and_speed()
    {
        await using var bed = await BoardTestBed.CreateAsync(Noon);
        var start = Noon.AddHours(-1);
        var missed = await bed.AddCallAsync(Call("m", start, "+13125550188").Ringing("101", 1).RingNoAnswer("101", 16).Ended(30));
        await bed.AddCallAsync(Call("c", start.AddMinutes(10)).Ringing("102", 1).Answered("102", 8).Ended(100, CallEndedBy.Agent), source: "Website");
        await using (var db = bed.Database.CreateDbContext())
        {
            var mike = await db.Salespeople.SingleAsync(p => p.StoreId == bed.Lakeside && p.Name == "Mike Reynolds");
            // Mike called the missed caller back 12 minutes after the miss and reached them.
            var callback = new Wallboard.Domain.Callbacks.Callback
            {
                StoreId = bed.Lakeside, Department = Department.Sales, Status = Wallboard.Domain.Callbacks.CallbackStatus.Completed,
                Resolution = Wallboard.Domain.Callbacks.CallbackResolution.Reached, CallerE164 = "+13125550188", LeadSourceId = missed.LeadSourceId,
                MissedCallCount = 1, FirstMissedAt = start, LastMissedAt = start, FirstResponseDueAt = start.AddMinutes(15), DueAt = start.AddMinutes(15),
                FirstAttemptAt = start.AddMinutes(12), LastAttemptAt = start.AddMinutes(12), AttemptCount = 1, ClosedAt = start.AddMinutes(12),
                CreatedAt = start, UpdatedAt = start.AddMinutes(12),
            };
            callback.Calls.Add(new Wallboard.Domain.Callbacks.CallbackCall { CallId = missed.Id, JoinedAt = start });
            callback.Attempts.Add(new Wallboard.Domain.Callbacks.CallbackAttempt
            {
                At = start.AddMinutes(12), Outcome = Wallboard.Domain.Callbacks.AttemptOutcome.Reached, SalespersonId = mike.Id, By = mike.Name,
            });
            db.Callbacks.Add(callback);
            await db.SaveChangesAsync();
        }

        await bed.StartAsync();
        var before = (await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None))!;
        Assert.All(before.Leaderboard, r => Assert.Null(r.CallbacksDone));
        using var recorder = bed.Record(bed.LakesideSales);

        await bed.Metrics.ComputeAsync([Wallboard.Domain.Metrics.MetricsWindow.Today], null, CancellationToken.None);

        var board = await recorder.WaitForAsync(s => s.Leaderboard.Any(r => r.CallbacksDone is not null));
        var mikeRow = board.Leaderboard.Single(r => r.Name == "Mike Reynolds");
        Assert.Equal((0, 1, 1, 12.0), (mikeRow.Answered, mikeRow.MissedWhileRung, mikeRow.CallbacksDone!.Value, mikeRow.MedianSpeedToCallbackMinutes!.Value));
        var dana = board.Leaderboard.Single(r => r.Name == "Dana Whitfield");
        Assert.Equal((1, 0, 0), (dana.Answered, dana.MissedWhileRung, dana.CallbacksDone!.Value));
        Assert.Null(dana.MedianSpeedToCallbackMinutes);
        Assert.Equal([("Cars.com", 1, 1), ("Website", 1, 0)], board.Sources.Select(s => (s.Name, s.Calls, s.Missed)));
    }

    [Fact]
    public async Task Sources_count_todays_calls_and_missed_calls_per_lead_source()
    {
        await using var bed = await BoardTestBed.CreateAsync(Noon);
        var start = Noon.AddHours(-1);
        await bed.AddCallAsync(Call("cars-1", start).Answered("101", 5).Ended(60, CallEndedBy.Agent), source: "Cars.com");
        await bed.AddCallAsync(Call("cars-2", start.AddMinutes(1)).Ended(40), source: "Cars.com");
        await bed.AddCallAsync(Call("web-1", start.AddMinutes(2)).Answered("102", 5).Ended(60, CallEndedBy.Agent), source: "Website");
        await bed.AddCallAsync(Call("unknown-1", start.AddMinutes(3)).Ended(40, CallEndedBy.System), source: "Unknown");
        await bed.AddCallAsync(Call("service", start.AddMinutes(4)).Ended(40), source: "Main line", department: Department.Service);
        await bed.StartAsync();

        var board = (await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None))!;

        Assert.Equal([("Cars.com", 2, 1), ("Unknown", 1, 1), ("Website", 1, 0)], board.Sources.Select(s => (s.Name, s.Calls, s.Missed)));
    }

    [Fact]
    public async Task Today_is_the_stores_local_day_whatever_the_servers_zone()
    {
        await using var bed = await BoardTestBed.CreateAsync(Noon);
        // 23:59 Thursday in Chicago, then 00:01 Friday (05:59Z and 06:01Z).
        await bed.AddCallAsync(Call("thursday-late", new DateTimeOffset(2026, 11, 20, 5, 59, 0, TimeSpan.Zero)).Ended(30));
        await bed.AddCallAsync(Call("friday-early", new DateTimeOffset(2026, 11, 20, 6, 1, 0, TimeSpan.Zero)).Ended(30));
        // 20:00 Friday in Chicago is already Saturday in UTC; still Friday for the store.
        await bed.AddCallAsync(Call("friday-evening", new DateTimeOffset(2026, 11, 21, 2, 0, 0, TimeSpan.Zero)).Ended(30));
        bed.Clock.Advance(TimeSpan.FromHours(8.5)); // 20:30 Friday in Chicago
        await bed.StartAsync();

        var board = (await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None))!;

        Assert.Equal(new DateOnly(2026, 11, 20), board.Day);
        Assert.Equal(2, board.AnswerRate.Offered);
        Assert.Equal(2, board.Missed.Count);
    }

    [Fact]
    public async Task The_day_the_clocks_go_back_lasts_25_hours_and_rolls_over_at_local_midnight()
    {
        // Sunday 1 November 2026: Chicago goes from CDT (UTC−5) to CST (UTC−6) at 02:00. Clock: 23:30 CST.
        await using var bed = await BoardTestBed.CreateAsync(new DateTimeOffset(2026, 11, 2, 5, 30, 0, TimeSpan.Zero));
        await bed.AddCallAsync(Call("saturday", new DateTimeOffset(2026, 11, 1, 4, 59, 0, TimeSpan.Zero)).Ended(30)); // 23:59 CDT Saturday
        await bed.AddCallAsync(Call("sunday-first", new DateTimeOffset(2026, 11, 1, 5, 1, 0, TimeSpan.Zero)).Ended(30)); // 00:01 CDT
        await bed.AddCallAsync(Call("sunday-repeated-hour", new DateTimeOffset(2026, 11, 1, 7, 30, 0, TimeSpan.Zero)).Ended(30)); // 01:30 CST, the second time
        await bed.AddCallAsync(Call("sunday-last", new DateTimeOffset(2026, 11, 2, 5, 20, 0, TimeSpan.Zero)).Ended(30)); // 23:20 CST
        using var recorder = bed.Record(bed.LakesideSales);
        await bed.StartAsync();

        var sunday = (await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None))!;
        Assert.Equal(new DateOnly(2026, 11, 1), sunday.Day);
        Assert.Equal(3, sunday.Missed.Count);

        bed.Clock.Advance(TimeSpan.FromMinutes(31)); // 00:01 CST Monday

        var monday = await recorder.WaitForAsync(s => s.Day == new DateOnly(2026, 11, 2));
        Assert.Equal(0, monday.Missed.Count);
        Assert.Equal(0, monday.AnswerRate.Offered);
    }

    [Fact]
    public async Task At_the_stores_midnight_the_board_starts_a_new_day_by_itself_and_keeps_calls_in_progress()
    {
        // 23:59:30 Thursday in Chicago.
        await using var bed = await BoardTestBed.CreateAsync(new DateTimeOffset(2026, 11, 20, 5, 59, 30, TimeSpan.Zero));
        await bed.AddCallAsync(Call("missed-thursday", new DateTimeOffset(2026, 11, 20, 5, 0, 0, TimeSpan.Zero)).Ended(30));
        await bed.AddCallAsync(Call("still-waiting", new DateTimeOffset(2026, 11, 20, 5, 59, 0, TimeSpan.Zero)).Queued().Ringing("101", 1));
        using var recorder = bed.Record(bed.LakesideSales);
        await bed.StartAsync();
        var thursday = (await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None))!;
        Assert.Equal((new DateOnly(2026, 11, 19), 1, 1), (thursday.Day, thursday.Missed.Count, thursday.Waiting.Count));

        bed.Clock.Advance(TimeSpan.FromMinutes(1));

        var friday = await recorder.WaitForAsync(s => s.Day == new DateOnly(2026, 11, 20));
        Assert.Equal(0, friday.Missed.Count);
        Assert.Equal(1, friday.Waiting.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 5, 59, 0, TimeSpan.Zero), friday.Waiting.LongestSince);
    }

    [Fact]
    public async Task A_committed_change_moves_a_call_from_waiting_to_on_hold_to_missed_and_into_the_ticker()
    {
        await using var bed = await BoardTestBed.CreateAsync(Noon);
        using var recorder = bed.Record(bed.LakesideSales);
        await bed.StartAsync();
        var events = new CallBuilder("live-1", Noon.AddMinutes(-2)).Started(from: "+13125550142").Ringing("101", 1);

        var call = await bed.AddCallAsync(events);
        bed.Publish(call);
        var waiting = await recorder.WaitForAsync(s => s.Waiting.Count == 1);
        Assert.Equal("•••-•••-0142", Assert.Single(waiting.Waiting.Calls).Caller);
        Assert.Equal("Cars.com", waiting.Waiting.Calls[0].Source);

        call = await bed.UpdateCallAsync(call, events.Answered("101", 10).HoldStarted(40));
        bed.Publish(call);
        var held = await recorder.WaitForAsync(s => s.OnHold.Count == 1);
        Assert.Equal(0, held.Waiting.Count);
        Assert.Equal(Noon.AddMinutes(-2).AddSeconds(40), held.OnHold.LongestSince);
        Assert.Equal("Mike Reynolds", held.OnHold.Calls[0].Salesperson);
        Assert.Equal((30, 60), (held.OnHold.WarningSeconds, held.OnHold.LimitSeconds));

        call = await bed.UpdateCallAsync(call, events.Ended(100));
        bed.Publish(call);
        var missed = await recorder.WaitForAsync(s => s.Missed.Count == 1);
        Assert.Equal(0, missed.OnHold.Count);
        Assert.Equal(CallOutcome.AbandonedOnHold, missed.Missed.Calls[0].Outcome);
        Assert.Equal(
            [(TickerKind.Missed, "Hung up on hold"), (TickerKind.Answered, "Answered by Mike Reynolds"), (TickerKind.Incoming, "Incoming call")],
            missed.Ticker.Select(t => (t.Kind, t.Text)));
        Assert.True(missed.Version > held.Version && held.Version > waiting.Version);
    }

    [Fact]
    public async Task Staff_snapshots_show_full_numbers_and_names_and_public_ones_never_do()
    {
        await using var bed = await BoardTestBed.CreateAsync(Noon);
        await bed.AddCallAsync(new CallBuilder("named", Noon.AddSeconds(-30)).Started(from: "(312) 555-0142").Ringing("101", 1));
        await bed.AddCallAsync(Call("missed-named", Noon.AddHours(-1), "+13125550177").Ended(30));
        await bed.StartAsync();

        var staff = (await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.Staff, CancellationToken.None))!;
        var shown = (await bed.Board.GetSnapshotAsync(bed.LakesideSales, BoardAudience.PublicScreen, CancellationToken.None))!;

        Assert.True(staff.FullNumbers);
        Assert.Equal("+13125550142", staff.Waiting.Calls[0].Caller);
        Assert.Equal("+13125550177", staff.Missed.Calls[0].Caller);
        Assert.False(shown.FullNumbers);
        Assert.Equal(staff.Version, shown.Version);
        var json = System.Text.Json.JsonSerializer.Serialize(shown);
        Assert.DoesNotContain("5550142", json, StringComparison.Ordinal);
        Assert.DoesNotContain("5550177", json, StringComparison.Ordinal);
        Assert.Contains("0142", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_thousand_changes_build_a_few_snapshots_and_the_last_one_shows_them_all()
    {
        // The real clock: the window is a real 50 ms here.
        await using var bed = await BoardTestBed.CreateAsync(DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(50));
        var board = new LiveBoard(bed.Database, bed.CallChanges, bed.CallbackChanges, bed.Callbacks, bed.Notifier, bed.MetricsChanges, TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new LiveBoardOptions { CoalescingWindow = TimeSpan.FromMilliseconds(50) }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<LiveBoard>.Instance);
        await using var disposeBoard = board;
        await board.StartAsync(CancellationToken.None);
        var calls = await bed.AddCallsAsync(Enumerable.Range(0, 1_000).Select(i => Call($"burst-{i}", DateTimeOffset.UtcNow.AddSeconds(-i)).Ringing("101", 0)));

        using var recorder = bed.Record(bed.LakesideSales);
        foreach (var call in calls)
        {
            bed.Publish(call);
        }

        var last = await recorder.WaitForAsync(s => s.Waiting.Count == 1_000);
        Assert.Equal(1_000, last.Waiting.Calls.Count);
        // One build per 50 ms window at most: a handful, never one per change.
        output.WriteLine($"1,000 changes published one by one gave {recorder.Count} snapshots.");
        Assert.InRange(recorder.Count, 1, 100);
    }
}
