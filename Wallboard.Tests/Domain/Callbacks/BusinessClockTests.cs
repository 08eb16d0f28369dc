using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Stores;
using static Wallboard.Tests.Domain.Callbacks.CallbackScenario;

namespace Wallboard.Tests.Domain.Callbacks;

/// <summary>Due times in business time (§6): open hours, closing, nights, Sundays, holidays, DST.</summary>
public class BusinessClockTests
{
    private static readonly TimeSpan Sla = TimeSpan.FromMinutes(15);

    private static DateTimeOffset Due(DateTimeOffset missedAt, Store? store = null) =>
        BusinessClock.Add((store ?? Store()).Calendar, Department.Sales, missedAt, Sla);

    [Fact]
    public void Miss_during_open_hours_is_due_fifteen_minutes_later()
    {
        Assert.Equal(Local(2026, 11, 24, 14, 15), Due(Local(2026, 11, 24, 14, 0)));
    }

    [Fact]
    public void Miss_five_minutes_before_closing_is_due_ten_minutes_after_the_next_opening()
    {
        Assert.Equal(Local(2026, 11, 25, 9, 10), Due(Local(2026, 11, 24, 19, 55)));
    }

    [Fact]
    public void Miss_at_closing_time_counts_from_the_next_opening()
    {
        Assert.Equal(Local(2026, 11, 25, 9, 15), Due(Local(2026, 11, 24, 20, 0)));
    }

    [Theory]
    [InlineData(22, 30)] // the evening after closing
    [InlineData(3, 0)]   // the night (next day's early hours)
    public void Miss_after_hours_is_due_fifteen_minutes_after_the_next_opening(int hour, int minute)
    {
        var missedAt = hour < 9 ? Local(2026, 11, 25, hour, minute) : Local(2026, 11, 24, hour, minute);

        Assert.Equal(Local(2026, 11, 25, 9, 15), Due(missedAt));
    }

    [Fact]
    public void Miss_on_saturday_evening_is_due_on_monday_morning_when_sundays_are_closed()
    {
        Assert.Equal(Local(2026, 11, 23, 9, 15), Due(Local(2026, 11, 21, 18, 30)));
    }

    [Fact]
    public void Miss_the_evening_before_a_holiday_is_due_the_day_after_it()
    {
        // Wednesday evening; Thursday is Thanksgiving.
        Assert.Equal(Local(2026, 11, 27, 9, 15), Due(Local(2026, 11, 25, 21, 0)));
    }

    [Fact]
    public void Miss_late_on_the_day_before_spring_forward_is_due_at_the_new_offset()
    {
        // Saturday 7 March 2026 17:55 CST; Sunday the clocks go forward and the store is closed;
        // Monday opens at 09:00 CDT (14:00 UTC, not 15:00 as in winter).
        var due = Due(Local(2026, 3, 7, 17, 55));

        Assert.Equal(new DateTimeOffset(2026, 3, 9, 14, 10, 0, TimeSpan.Zero), due);
    }

    [Fact]
    public void Sla_across_the_spring_forward_gap_is_fifteen_real_minutes_of_open_time()
    {
        // A store open through the night of the change: 01:00–05:00 on Sunday 8 March 2026.
        var store = Store(hours: [Hours(DayOfWeek.Sunday, 1, 5)]);

        var due = Due(Local(2026, 3, 8, 1, 55), store); // 07:55 UTC; at 02:00 CST it becomes 03:00 CDT

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 8, 10, 0, TimeSpan.Zero), due);
        Assert.Equal(new DateTime(2026, 3, 8, 3, 10, 0), store.Calendar.LocalDateTime(due));
    }

    [Fact]
    public void Sla_across_the_fall_back_hour_is_fifteen_real_minutes_of_open_time()
    {
        // Open 00:00–04:00 on Sunday 1 November 2026; 01:00–02:00 happens twice.
        var store = Store(hours: [Hours(DayOfWeek.Sunday, 0, 4)]);
        var missedAt = new DateTimeOffset(2026, 11, 1, 6, 55, 0, TimeSpan.Zero); // 01:55 CDT, the first time round

        var due = Due(missedAt, store);

        Assert.Equal(missedAt.AddMinutes(15), due);
        Assert.Equal(new DateTime(2026, 11, 1, 1, 10, 0), store.Calendar.LocalDateTime(due)); // 01:10 CST, the second time round
    }

    [Fact]
    public void Store_without_hours_counts_wall_clock_time()
    {
        var store = Store(hours: []);

        Assert.Equal(Local(2026, 11, 24, 23, 15), Due(Local(2026, 11, 24, 23, 0), store));
    }

    [Fact]
    public void Manager_follow_up_hour_carries_over_the_night()
    {
        var calendar = Store().Calendar;

        var escalation = BusinessClock.Add(calendar, Department.Sales, Local(2026, 11, 24, 19, 30), TimeSpan.FromMinutes(60));

        Assert.Equal(Local(2026, 11, 25, 9, 30), escalation);
    }

    [Theory]
    [InlineData(24, 1, 25)] // Tuesday → Wednesday
    [InlineData(25, 1, 27)] // Wednesday → Friday (Thanksgiving skipped)
    [InlineData(27, 1, 28)] // Friday → Saturday
    [InlineData(28, 1, 30)] // Saturday → Monday (Sunday closed)
    [InlineData(24, 3, 28)] // Tuesday + 3 business days: Wed, Fri, Sat
    public void Business_days_skip_sundays_and_holidays_and_start_at_the_opening(int fromDay, int days, int expectedDay)
    {
        var opening = BusinessClock.OpeningOfBusinessDay(Store().Calendar, Department.Sales, Local(2026, 11, fromDay, 15, 0), days);

        Assert.Equal(Local(2026, 11, expectedDay, 9, 0), opening);
    }
}
