using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;

namespace Wallboard.Tests.Domain.Metrics;

public class MetricsWindowTests
{
    private static readonly StoreCalendar Chicago = new("America/Chicago");

    // Monday 2 November 2026, 12:00 in Chicago (CST, UTC−6); the clocks went back on Sunday the 1st.
    private static readonly DateTimeOffset MondayNoon = new(2026, 11, 2, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Yesterday_on_the_day_the_clocks_went_back_lasts_25_hours_from_local_midnight_to_local_midnight()
    {
        var period = MetricsWindow.Yesterday.Period(Chicago, MondayNoon);

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 5, 0, 0, TimeSpan.Zero), period.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 6, 0, 0, TimeSpan.Zero), period.End);
        var hours = period.Buckets(Chicago);
        Assert.Equal(25, hours.Count);
        Assert.Equal(["00:00", "01:00", "01:00", "02:00"], hours.Take(4).Select(h => h.Label));
    }

    [Fact]
    public void Today_on_the_day_the_clocks_go_forward_has_23_hours()
    {
        var sunday = new DateTimeOffset(2027, 3, 14, 18, 0, 0, TimeSpan.Zero);

        var hours = MetricsWindow.Today.Period(Chicago, sunday).Buckets(Chicago);

        Assert.Equal(23, hours.Count);
        Assert.Equal(["00:00", "01:00", "03:00"], hours.Take(3).Select(h => h.Label));
    }

    [Fact]
    public void Last_7_and_30_days_are_whole_days_before_today_and_month_to_date_includes_today()
    {
        var last7 = MetricsWindow.Last7Days.Period(Chicago, MondayNoon);
        var last30 = MetricsWindow.Last30Days.Period(Chicago, MondayNoon);
        var month = MetricsWindow.MonthToDate.Period(Chicago, MondayNoon);
        var today = MetricsWindow.Today.Period(Chicago, MondayNoon);

        Assert.Equal(new DateOnly(2026, 10, 26), last7.FirstDay);
        Assert.Equal(today.Start, last7.End);
        Assert.Equal(7, last7.Buckets(Chicago).Count);
        Assert.Equal(new DateOnly(2026, 10, 3), last30.FirstDay);
        Assert.Equal(today.Start, last30.End);
        Assert.Equal(new DateOnly(2026, 11, 1), month.FirstDay);
        Assert.Equal(today.End, month.End);
        Assert.Equal(["Nov 1", "Nov 2"], month.Buckets(Chicago).Select(b => b.Label));
    }

    [Theory]
    [InlineData("today", true)]
    [InlineData("Last7Days", true)]
    [InlineData("lastweek", false)]
    [InlineData("0", false)]
    [InlineData("", false)]
    public void Window_names_parse_in_any_case_and_nothing_else_does(string text, bool parses) =>
        Assert.Equal(parses, MetricsWindows.TryParse(text, out _));

    [Fact]
    public void Median_of_an_even_count_is_the_mean_of_the_middle_two() =>
        Assert.Equal(20, Median.Of([30, 10]));
}
