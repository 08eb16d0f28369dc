using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;

namespace Wallboard.Tests.Domain.Stores;

/// <summary>Store-local days and business hours across DST changes in two zones.</summary>
public class StoreCalendarTests
{
    private const string Chicago = "America/Chicago";
    private const string London = "Europe/London";

    private static DateTimeOffset Utc(int y, int mo, int d, int h, int mi = 0, int s = 0) => new(y, mo, d, h, mi, s, TimeSpan.Zero);

    [Theory]
    [InlineData(Chicago, 2026, 3, 8, 23)]   // spring forward
    [InlineData(Chicago, 2026, 11, 1, 25)]  // fall back
    [InlineData(Chicago, 2026, 6, 15, 24)]
    [InlineData(London, 2026, 3, 29, 23)]
    [InlineData(London, 2026, 10, 25, 25)]
    [InlineData(London, 2026, 3, 8, 24)]    // Chicago's change day is an ordinary day in London
    public void Local_day_lasts_23_or_25_hours_on_dst_days(string zone, int year, int month, int day, int hours)
    {
        var calendar = new StoreCalendar(zone);

        var (start, end) = calendar.DayBounds(new DateOnly(year, month, day));

        Assert.Equal(TimeSpan.FromHours(hours), end - start);
        Assert.Equal(TimeSpan.Zero, start.Offset);
    }

    [Fact]
    public void Today_is_the_stores_day_not_the_servers()
    {
        var instant = Utc(2026, 11, 27, 3, 30); // 21:30 on the 26th in Chicago, 03:30 on the 27th in London

        Assert.Equal(new DateOnly(2026, 11, 26), new StoreCalendar(Chicago).LocalDate(instant));
        Assert.Equal(new DateOnly(2026, 11, 27), new StoreCalendar(London).LocalDate(instant));
    }

    [Fact]
    public void Day_bounds_of_the_fall_back_day_contain_both_repeated_hours()
    {
        var calendar = new StoreCalendar(Chicago);
        var (start, end) = calendar.DayBounds(new DateOnly(2026, 11, 1));

        Assert.Equal(Utc(2026, 11, 1, 5), start);  // midnight CDT
        Assert.Equal(Utc(2026, 11, 2, 6), end);    // midnight CST
        Assert.Equal(new DateOnly(2026, 11, 1), calendar.LocalDate(Utc(2026, 11, 1, 6, 30))); // first 01:30
        Assert.Equal(new DateOnly(2026, 11, 1), calendar.LocalDate(Utc(2026, 11, 1, 7, 30))); // second 01:30
    }

    [Fact]
    public void Wait_across_the_fall_back_hour_is_measured_in_real_time()
    {
        // 01:59:50 CDT, then the clocks go back to 01:00 CST; the caller waits 40 real seconds.
        var call = new CallBuilder(start: Utc(2026, 11, 1, 6, 59, 50)).Started().Answered("101", 40).Ended(100).Project();

        Assert.Equal(TimeSpan.FromSeconds(40), call.Wait);
        Assert.Equal(new DateOnly(2026, 11, 1), new StoreCalendar(Chicago).LocalDate(call.StartedAt));
    }

    private static StoreCalendar SalesNineToEight(string zone, params DateOnly[] closed) => new(
        zone,
        Enum.GetValues<DayOfWeek>().Where(d => d != DayOfWeek.Sunday).Select(d => new BusinessHours
        {
            Department = Department.Sales,
            Day = d,
            Opens = new TimeOnly(9, 0),
            Closes = new TimeOnly(20, 0),
        }),
        closed.Select(d => new ClosedDate { Date = d, Name = "Holiday" }));

    [Fact]
    public void Department_is_open_inside_its_hours_in_local_time()
    {
        var calendar = SalesNineToEight(Chicago);

        Assert.True(calendar.IsOpen(Utc(2026, 11, 24, 15), Department.Sales));   // Tue 09:00 CST
        Assert.False(calendar.IsOpen(Utc(2026, 11, 24, 14, 59), Department.Sales));
        Assert.False(calendar.IsOpen(Utc(2026, 11, 25, 2), Department.Sales));    // Tue 20:00 CST: closed
        Assert.False(calendar.IsOpen(Utc(2026, 11, 24, 15), Department.Service)); // no service hours set
    }

    [Fact]
    public void Next_opening_skips_sunday_and_closed_dates()
    {
        var thanksgiving = new DateOnly(2026, 11, 26);
        var calendar = SalesNineToEight(Chicago, thanksgiving);

        // Wednesday 21:00 local → Thursday is Thanksgiving → Friday 09:00 CST.
        Assert.Equal(Utc(2026, 11, 27, 15), calendar.NextOpening(Utc(2026, 11, 26, 3), Department.Sales));
        // Saturday 20:30 → Monday 09:00.
        Assert.Equal(Utc(2026, 11, 30, 15), calendar.NextOpening(Utc(2026, 11, 29, 2, 30), Department.Sales));
        // Already open: now.
        Assert.Equal(Utc(2026, 11, 24, 16), calendar.NextOpening(Utc(2026, 11, 24, 16), Department.Sales));
    }

    [Fact]
    public void Opening_hours_keep_their_local_time_across_a_dst_change()
    {
        var calendar = SalesNineToEight(London);

        // Sat 28 Mar 09:00 GMT = 09:00Z; Mon 30 Mar 09:00 BST = 08:00Z.
        Assert.Equal(Utc(2026, 3, 28, 9), calendar.NextOpening(Utc(2026, 3, 28, 7), Department.Sales));
        Assert.Equal(Utc(2026, 3, 30, 8), calendar.NextOpening(Utc(2026, 3, 28, 21), Department.Sales));
    }

    [Fact]
    public void Opening_time_inside_a_dst_gap_moves_to_the_end_of_the_gap()
    {
        var calendar = new StoreCalendar(Chicago, [new BusinessHours
        {
            Department = Department.Sales,
            Day = DayOfWeek.Sunday,
            Opens = new TimeOnly(2, 30), // does not exist on 8 Mar 2026
            Closes = new TimeOnly(6, 0),
        }]);

        Assert.Equal(Utc(2026, 3, 8, 8), calendar.NextOpening(Utc(2026, 3, 8, 6), Department.Sales)); // 03:00 CDT
    }

    [Fact]
    public void Hours_past_midnight_run_into_the_next_day()
    {
        var calendar = new StoreCalendar(Chicago, [new BusinessHours
        {
            Department = Department.Service,
            Day = DayOfWeek.Friday,
            Opens = new TimeOnly(22, 0),
            Closes = new TimeOnly(2, 0),
        }]);

        Assert.True(calendar.IsOpen(Utc(2026, 11, 28, 7), Department.Service)); // Sat 01:00 CST
        Assert.False(calendar.IsOpen(Utc(2026, 11, 28, 8, 30), Department.Service));
    }

    [Fact]
    public void Unknown_time_zone_is_refused_with_its_name()
    {
        var error = Assert.Throws<ArgumentException>(() => new StoreCalendar("Mars/Olympus_Mons"));

        Assert.Contains("Mars/Olympus_Mons", error.Message, StringComparison.Ordinal);
        Assert.False(StoreCalendar.IsKnownTimeZone("Mars/Olympus_Mons"));
        Assert.True(StoreCalendar.IsKnownTimeZone(Chicago));
    }
}
