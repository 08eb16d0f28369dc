using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Live;
using Wallboard.Web.Components.Pages.Tv;
using Wallboard.Web.Live;
using Wallboard.Web.Staffing;

namespace Wallboard.Tests.Components.Pages.Tv;

public sealed class TvBoardTests : WallboardTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 18, 0, 0, TimeSpan.Zero);

    public TvBoardTests() => Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));

    [Fact]
    public void Tv_shows_masked_callers_only_even_when_the_board_knows_full_numbers_and_names()
    {
        var cut = Render<TvBoard>(p => p.Add(x => x.Snapshot, Board(BoardAudience.PublicScreen)));

        Assert.Contains("•••-•••-0142", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("•••-•••-0146", cut.Markup, StringComparison.Ordinal);
        foreach (var secret in (string[])["5550142", "5550143", "5550144", "5550145", "5550146", "Jane Caller", "+1312"])
        {
            Assert.DoesNotContain(secret, cut.Markup, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Tv_refuses_a_staff_snapshot_with_full_numbers()
    {
        Assert.Throws<InvalidOperationException>(() => Render<TvBoard>(p => p.Add(x => x.Snapshot, Board(BoardAudience.Staff))));
    }

    [Fact]
    public void Waits_and_holds_turn_amber_at_the_warning_and_red_at_the_limit()
    {
        var cut = Render<TvBoard>(p => p.Add(x => x.Snapshot, Board(BoardAudience.PublicScreen)));

        Assert.Equal("4", cut.Find("#waiting-count").TextContent);
        // The longest wait (70 s) is past the 60 s limit: the whole tile is red.
        Assert.Contains("is-alert", cut.Find("#tile-waiting").ClassList);
        var waits = cut.FindAll("#tile-waiting .tile-calls .timer");
        Assert.Equal(["1:10", "0:25", "0:10"], waits.Select(t => t.TextContent));
        Assert.Contains("is-alert", waits[0].ClassList);
        Assert.Contains("is-warn", waits[1].ClassList);
        Assert.DoesNotContain("is-warn", waits[2].ClassList);
        Assert.DoesNotContain("is-alert", waits[2].ClassList);
        // The browser keeps counting from the start instant, against the same thresholds.
        Assert.Equal("2026-11-20T17:58:50.000Z", waits[0].GetAttribute("data-since"));
        Assert.Equal("20", waits[0].GetAttribute("data-warn-seconds"));
        Assert.Equal("60", waits[0].GetAttribute("data-alert-seconds"));

        // On hold 35 s: past the 30 s warning, short of the 60 s limit.
        var hold = cut.Find("#tile-hold");
        Assert.Contains("is-warn", hold.ClassList);
        Assert.DoesNotContain("is-alert", hold.ClassList);
        Assert.Equal("0:35", cut.Find("#tile-hold .timer-big").TextContent);
        Assert.Equal("30", hold.GetAttribute("data-warn-seconds"));
        Assert.Equal("60", hold.GetAttribute("data-alert-seconds"));
    }

    [Fact]
    public void A_calm_board_is_green_and_says_so()
    {
        var calm = Board(BoardAudience.PublicScreen, waiting: false);

        var cut = Render<TvBoard>(p => p.Add(x => x.Snapshot, calm));

        Assert.Equal("0", cut.Find("#waiting-count").TextContent);
        Assert.Contains("is-calm", cut.Find("#tile-waiting").ClassList);
        Assert.Null(cut.Find("#tile-waiting").GetAttribute("data-since"));
        Assert.Contains("is-calm", cut.Find("#tile-overdue").ClassList);
        Assert.Contains("None overdue", cut.Find("#tile-overdue").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Overdue_call_backs_turn_their_tile_red()
    {
        var overdue = Board(BoardAudience.PublicScreen) with
        {
            OverdueCallbacks = new OverdueCallbacksTile(2,
            [
                new OverdueCallback(7, "•••-•••-0147", "Cars.com", Now.AddMinutes(-40), Now.AddMinutes(-25), "Dana Whitfield", Escalated: false),
                new OverdueCallback(8, "Private", "Radio", Now.AddMinutes(-90), Now.AddMinutes(-75), null, Escalated: true),
            ]),
        };

        var cut = Render<TvBoard>(p => p.Add(x => x.Snapshot, overdue));

        Assert.Equal("2", cut.Find("#overdue-count").TextContent);
        Assert.Contains("is-alert", cut.Find("#tile-overdue").ClassList);
        Assert.Contains("Dana Whitfield", cut.Find("#tile-overdue").TextContent, StringComparison.Ordinal);
        Assert.Contains("escalated", cut.Find("#tile-overdue").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_rate_is_green_at_target_amber_just_below_and_red_well_below()
    {
        string Tone(double rate)
        {
            var board = Board(BoardAudience.PublicScreen);
            var cut = Render<TvBoard>(p => p.Add(x => x.Snapshot, board with { AnswerRate = board.AnswerRate with { Rate = rate } }));
            var classes = cut.Find("#tile-answer-rate").ClassList;
            return classes.Contains("tone-good") ? "good" : classes.Contains("is-alert") ? "alert" : classes.Contains("is-warn") ? "warn" : "none";
        }

        Assert.Equal(("good", "warn", "alert"), (Tone(0.92), Tone(0.85), Tone(0.60)));
    }

    [Fact]
    public void Missed_tile_splits_recovered_from_still_open_and_the_ticker_says_how_long_ago()
    {
        var cut = Render<TvBoard>(p => p.Add(x => x.Snapshot, Board(BoardAudience.PublicScreen, waiting: false)));

        Assert.Equal("2", cut.Find("#missed-count").TextContent);
        Assert.Equal("1 recovered", cut.Find("#missed-recovered").TextContent);
        Assert.Equal("1 still open", cut.Find("#missed-open").TextContent);
        var ticker = cut.Find("#tv-ticker").TextContent;
        Assert.Contains("Answered by Mike Reynolds · Cars.com · 2 min ago", ticker, StringComparison.Ordinal);
        Assert.Contains("Missed call · Website · 20 min ago", ticker, StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_closed_today_says_when_it_opens_in_store_time_and_still_shows_its_calls()
    {
        // Friday 20 November is a closed date (Chicago noon at Now); Saturday opens at 9:00.
        var closed = Board(BoardAudience.PublicScreen, calendar: Hours(closedOn: new DateOnly(2026, 11, 20)));

        var cut = Render<TvBoard>(p => p.Add(x => x.Snapshot, closed));

        Assert.Equal("Closed · opens Sat 9:00 AM", cut.Find("#tv-closed").TextContent);
        Assert.Equal("4", cut.Find("#waiting-count").TextContent); // a call that comes in still shows
        Assert.Contains("•••-•••-0142", cut.Find("#tile-waiting").TextContent, StringComparison.Ordinal);

        var calm = Render<TvBoard>(p => p.Add(x => x.Snapshot, Board(BoardAudience.PublicScreen, waiting: false, calendar: Hours(closedOn: new DateOnly(2026, 11, 20)))));
        Assert.Contains("Store closed", calm.Find("#tile-waiting").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Every caller answered", calm.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void An_open_store_or_one_without_hours_does_not_say_closed()
    {
        var open = Render<TvBoard>(p => p.Add(x => x.Snapshot, Board(BoardAudience.PublicScreen, waiting: false, calendar: Hours(closedOn: null))));
        var unknown = Render<TvBoard>(p => p.Add(x => x.Snapshot, Board(BoardAudience.PublicScreen, waiting: false)));

        Assert.Empty(open.FindAll("#tv-closed"));
        Assert.Contains("Every caller answered", open.Find("#tile-waiting").TextContent, StringComparison.Ordinal);
        Assert.Empty(unknown.FindAll("#tv-closed"));
    }

    [Fact]
    public void The_closed_board_turns_open_at_opening_time_without_a_new_snapshot()
    {
        var time = new FakeTimeProvider(Now);
        Services.AddSingleton<TimeProvider>(time);
        var cut = Render<TvBoard>(p => p.Add(x => x.Snapshot, Board(BoardAudience.PublicScreen, waiting: false, calendar: Hours(closedOn: new DateOnly(2026, 11, 20)))));
        Assert.NotEmpty(cut.FindAll("#tv-closed"));

        time.Advance(new DateTimeOffset(2026, 11, 21, 15, 0, 1, TimeSpan.Zero) - Now); // Saturday 9:00:01 in Chicago

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#tv-closed")));
    }

    [Fact]
    public void The_next_hour_line_shows_the_advisors_figures_and_turns_red_when_fewer_answered_than_are_needed()
    {
        NextHour.Line = new NextHourStaffing(Now.AddHours(1), ForecastCalls: 7.4, NeededPeople: 3, PeopleWhoAnsweredLastHour: 2);

        var cut = Render<TvBoard>(p => p.Add(x => x.Snapshot, Board(BoardAudience.PublicScreen)));

        var line = cut.Find("#tv-next-hour");
        Assert.Equal("Next hour ~7 calls · 3 needed · 2 answered last hour", System.Text.RegularExpressions.Regex.Replace(line.TextContent, @"\s+", " ").Trim());
        Assert.Contains("is-short", line.ClassList);
        Assert.Equal((Board(BoardAudience.PublicScreen).StoreId, Department.Sales), Assert.Single(NextHour.Asked));
    }

    [Fact]
    public void Without_a_forecast_or_when_the_advisor_fails_the_next_hour_line_is_hidden_and_the_board_stays()
    {
        var quiet = Render<TvBoard>(p => p.Add(x => x.Snapshot, Board(BoardAudience.PublicScreen)));
        Assert.Empty(quiet.FindAll("#tv-next-hour"));

        NextHour.Failure = new InvalidOperationException("database down");
        var failing = Render<TvBoard>(p => p.Add(x => x.Snapshot, Board(BoardAudience.PublicScreen)));
        Assert.Empty(failing.FindAll("#tv-next-hour"));
        Assert.Equal("4", failing.Find("#waiting-count").TextContent);
    }

    private static StoreCalendar Hours(DateOnly? closedOn) => new(
        "America/Chicago",
        Enum.GetValues<DayOfWeek>().Where(d => d != DayOfWeek.Sunday)
            .Select(d => new BusinessHours { Department = Department.Sales, Day = d, Opens = new TimeOnly(9, 0), Closes = new TimeOnly(20, 0) }),
        closedOn is { } date ? [new ClosedDate { Date = date, Name = "Staff day" }] : []);

    // A board of Lakeside Toyota at Now, put together the way the live board does it, from calls
    // with full numbers and names: four waiting (10 s, 25 s, 70 s, withheld), one on hold for 35 s,
    // two missed today (one recovered).
    private static BoardSnapshot Board(BoardAudience audience, bool waiting = true, StoreCalendar? calendar = null)
    {
        var store = new StoreInfo(1, "Lakeside Toyota", "lakeside-toyota", "America/Chicago", new StoreSettings(),
            new Dictionary<int, string> { [1] = "Cars.com", [2] = "Website" },
            [new StoreInfo.Person(11, "Mike Reynolds", SalespersonRole.Salesperson, true), new StoreInfo.Person(12, "Dana Whitfield", SalespersonRole.Salesperson, true)]);
        if (calendar is not null)
        {
            store = store with { Calendar = calendar };
        }

        LiveCallRow Row(long id, CallPhase phase, DateTimeOffset started, string? number, DateTimeOffset? answered = null, DateTimeOffset? hold = null) =>
            new(id, 1, Department.Sales, phase, null, started, answered, null, hold, number, number, number is null, number is null ? null : "Jane Caller", 1, answered is null ? null : 11, null);

        var inProgress = new List<LiveCallRow> { Row(5, CallPhase.OnHold, Now.AddMinutes(-3), "+13125550145", Now.AddMinutes(-2), Now.AddSeconds(-35)) };
        if (waiting)
        {
            inProgress.AddRange(
            [
                Row(1, CallPhase.Waiting, Now.AddSeconds(-10), "+13125550142"),
                Row(2, CallPhase.Waiting, Now.AddSeconds(-25), "+13125550143"),
                Row(3, CallPhase.Waiting, Now.AddSeconds(-70), "+13125550144"),
                Row(4, CallPhase.Waiting, Now.AddSeconds(-5), null),
            ]);
        }

        var missedEnded = Now.AddMinutes(-20);
        var recent = new List<LiveCallRow>(inProgress)
        {
            new(6, 1, Department.Sales, CallPhase.Ended, CallOutcome.Abandoned, missedEnded.AddSeconds(-30), null, missedEnded, null,
                "+13125550146", null, false, "Jane Caller", 2, null, null),
        };
        var figures = new BoardQueries.DayFigures(
            new CallTotals { Offered = 12, Ended = 10, ShortAbandons = 1, Connected = 7, Missed = 2, ConnectedWithinServiceLevel = 6, RecoveredMissed = 1 },
            [
                new BoardQueries.MissedRow(6, missedEnded.AddSeconds(-30), CallOutcome.Abandoned, "+13125550146", null, false, "Jane Caller", 2, MissedRecovery.StillOpen),
                new BoardQueries.MissedRow(9, Now.AddHours(-2), CallOutcome.Voicemail, "+13125550149", null, false, null, 1, MissedRecovery.CallerGotThrough),
            ],
            new Dictionary<int, int> { [11] = 4, [12] = 3 },
            new Dictionary<int, int> { [11] = 1 },
            [new BoardQueries.SourceCount(1, 8, 1), new BoardQueries.SourceCount(2, 4, 1)]);
        return BoardComposer.Compose(new BoardComposer.Inputs(store, new BoardKey(1, Department.Sales), new DateOnly(2026, 11, 20), Now, 42, figures, inProgress, recent, [], SpeedToCallbackTile.NotYet), audience);
    }
}
