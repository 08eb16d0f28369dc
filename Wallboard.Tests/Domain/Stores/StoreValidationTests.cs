using Wallboard.Domain.Stores;

namespace Wallboard.Tests.Domain.Stores;

public class StoreValidationTests
{
    private static Store GoodStore() => new()
    {
        Name = "Harbor Honda",
        Slug = "harbor-honda",
        TimeZoneId = "America/Los_Angeles",
        BusinessHours =
        [
            new BusinessHours { Department = Department.Sales, Day = DayOfWeek.Monday, Opens = new TimeOnly(9, 0), Closes = new TimeOnly(20, 0) },
            new BusinessHours { Department = Department.Service, Day = DayOfWeek.Monday, Opens = new TimeOnly(7, 0), Closes = new TimeOnly(18, 0) },
        ],
    };

    private static BusinessHours Hours(DayOfWeek day, int opens, int closes, Department department = Department.Sales) =>
        new() { Department = department, Day = day, Opens = new TimeOnly(opens, 0), Closes = new TimeOnly(closes, 0) };

    [Fact]
    public void A_good_store_passes() => Assert.Empty(StoreValidation.Check(GoodStore()));

    [Fact]
    public void A_period_past_midnight_is_allowed()
    {
        Assert.Null(StoreValidation.CheckHours([Hours(DayOfWeek.Friday, 18, 2), Hours(DayOfWeek.Saturday, 9, 17)]));
    }

    [Fact]
    public void A_period_past_midnight_that_runs_into_the_next_days_opening_is_an_overlap()
    {
        var error = StoreValidation.CheckHours([Hours(DayOfWeek.Friday, 18, 10), Hours(DayOfWeek.Saturday, 9, 17)]);

        Assert.Equal("Friday 18:00–10:00 overlaps Saturday 09:00–17:00 in Sales.", error);
    }

    [Fact]
    public void Saturday_night_running_into_Sunday_morning_overlaps_across_the_end_of_the_week()
    {
        var error = StoreValidation.CheckHours([Hours(DayOfWeek.Sunday, 1, 8), Hours(DayOfWeek.Saturday, 20, 3)]);

        Assert.NotNull(error);
        Assert.Contains("overlaps", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_periods_on_one_day_are_refused_but_other_departments_may_overlap()
    {
        Assert.NotNull(StoreValidation.CheckHours([Hours(DayOfWeek.Monday, 9, 13), Hours(DayOfWeek.Monday, 12, 18)]));
        Assert.Null(StoreValidation.CheckHours([Hours(DayOfWeek.Monday, 9, 18), Hours(DayOfWeek.Monday, 9, 18, Department.Service)]));
    }

    [Fact]
    public void A_period_that_opens_and_closes_at_once_is_refused_and_the_message_says_past_midnight_is_fine()
    {
        var error = StoreValidation.CheckHours([Hours(DayOfWeek.Tuesday, 9, 9)]);

        Assert.NotNull(error);
        Assert.Contains("past midnight", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_time_zone_a_bad_slug_and_an_empty_name_are_named_by_field()
    {
        var store = GoodStore();
        store.Name = " ";
        store.Slug = "Harbor Honda!";
        store.TimeZoneId = "Pacific Standard Time";

        var errors = StoreValidation.Check(store);

        Assert.Equal(["Name", "Slug", "TimeZoneId"], errors.Keys.Order().ToArray());
        Assert.Contains("IANA", errors["TimeZoneId"], StringComparison.Ordinal);
    }

    [Fact]
    public void Thresholds_out_of_range_say_the_range_and_unit()
    {
        var store = GoodStore();
        store.Settings.ShortAbandonSeconds = 90;
        store.Settings.CallbackSlaMinutes = 0;
        store.Settings.AnswerRateTarget = 1.5;
        store.Settings.CallbackCadence = "1h, soon";

        var errors = StoreValidation.Check(store);

        Assert.Equal("Short-abandon threshold must be between 0 and 60 seconds.", errors["Settings.ShortAbandonSeconds"]);
        Assert.Equal("Call-back first response must be between 1 and 480 business minutes.", errors["Settings.CallbackSlaMinutes"]);
        Assert.Contains("50 and 100 percent", errors["Settings.AnswerRateTarget"], StringComparison.Ordinal);
        Assert.Contains("'soon'", errors["Settings.CallbackCadence"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_hold_limit_must_come_after_the_warning_and_escalation_after_the_first_response()
    {
        var store = GoodStore();
        store.Settings.HoldWarningSeconds = 60;
        store.Settings.HoldLimitSeconds = 45;
        store.Settings.CallbackSlaMinutes = 30;
        store.Settings.ManagerFollowUpMinutes = 20;

        var errors = StoreValidation.Check(store);

        Assert.Contains("longer than the hold warning", errors["Settings.HoldLimitSeconds"], StringComparison.Ordinal);
        Assert.Contains("at least the first-response time", errors["Settings.ManagerFollowUpMinutes"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Lakeside Toyota", "lakeside-toyota")]
    [InlineData("  Bayview Ford & Lincoln ", "bayview-ford-lincoln")]
    public void A_slug_is_suggested_from_the_name(string name, string slug)
    {
        Assert.Equal(slug, StoreValidation.SlugFrom(name));
        Assert.Null(StoreValidation.SlugError(slug));
    }
}
