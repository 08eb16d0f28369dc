using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Stores;
using static Wallboard.Tests.Domain.Callbacks.CallbackScenario;

namespace Wallboard.Tests.Domain.Callbacks;

public class CallbackCadenceTests
{
    [Fact]
    public void Default_cadence_is_an_hour_then_the_next_business_day_then_three_business_days()
    {
        var cadence = CallbackCadence.Parse(new StoreSettings().CallbackCadence);

        Assert.Equal(
            [new CadenceStep(1, CadenceUnit.BusinessHours), new CadenceStep(1, CadenceUnit.BusinessDays), new CadenceStep(3, CadenceUnit.BusinessDays)],
            cadence.Steps);
        Assert.Equal("1h, 1bd, 3bd", cadence.ToString());
    }

    [Fact]
    public void Empty_cadence_setting_means_the_default()
    {
        Assert.Equal(CallbackCadence.Default, CallbackCadence.Parse("  ").ToString());
    }

    [Theory]
    [InlineData("1h, tomorrow", "'tomorrow'")]
    [InlineData("0h", "'0h'")]
    [InlineData("-1bd", "'-1bd'")]
    public void Unreadable_cadence_is_refused_with_the_step_that_is_wrong(string text, string named)
    {
        Assert.False(CallbackCadence.TryParse(text, out _, out var error));
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_with_a_mistyped_cadence_still_follows_the_default()
    {
        var rules = Rules(new StoreSettings { CallbackCadence = "soon" });

        Assert.Equal(CallbackCadence.Default, rules.Cadence.ToString());
        Assert.Equal(4, rules.MaxAttempts);
    }

    [Fact]
    public void Custom_cadence_in_minutes_is_business_time()
    {
        var cadence = CallbackCadence.Parse("30m, 2bd");

        var next = cadence.NextAttempt(Store().Calendar, Department.Sales, Local(2026, 11, 24, 19, 45), 1);

        Assert.Equal(Local(2026, 11, 25, 9, 15), next); // 15 minutes tonight, 15 tomorrow morning
        Assert.Null(cadence.NextAttempt(Store().Calendar, Department.Sales, Local(2026, 11, 24, 19, 45), 3));
    }
}
