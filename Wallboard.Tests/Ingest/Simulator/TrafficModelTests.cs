using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Web.Ingest.Simulator;

namespace Wallboard.Tests.Ingest.Simulator;

public class TrafficModelTests
{
    private static readonly SimulatedStore Store = SimulatedStores.Lakeside();

    private static List<DateTimeOffset> Arrivals(TrafficModel model, int days, int seed = 3)
    {
        var random = new Random(seed);
        var end = SimulatedStores.MondayMidnight.AddDays(days);
        var arrivals = new List<DateTimeOffset>();
        var at = SimulatedStores.MondayMidnight;
        while (model.NextArrival(at, random) is { } next && next < end)
        {
            arrivals.Add(next);
            at = next;
        }

        return arrivals;
    }

    [Fact]
    public void Without_an_after_hours_trickle_every_arrival_falls_in_sales_hours()
    {
        var model = new TrafficModel(Store.Calendar, Department.Sales, 120, SimulatedStores.MondayMidnight, afterHoursShare: 0);

        var arrivals = Arrivals(model, days: 28);

        Assert.True(arrivals.Count > 2_000);
        Assert.All(arrivals, at => Assert.True(Store.Calendar.IsOpen(at, Department.Sales), $"{Store.Calendar.LocalDateTime(at):ddd HH:mm}"));
    }

    [Fact]
    public void After_hours_only_a_trickle_arrives_and_it_goes_to_voicemail()
    {
        var scripts = SimulatedStores.Generate(Store, Department.Sales, 3_000);

        var afterHours = scripts.Where(s => s.AfterHours).ToList();
        Assert.All(scripts, s => Assert.Equal(!Store.Calendar.IsOpen(s.Start, Department.Sales), s.AfterHours));
        Assert.InRange((double)afterHours.Count / scripts.Count, 0.02, 0.10);
        Assert.All(afterHours, s => Assert.DoesNotContain(s.Events, e => e.Type is CallEventType.Ringing or CallEventType.Answered));
        Assert.All(afterHours, s => Assert.Contains(s.Outcome, new[] { CallOutcome.Voicemail, CallOutcome.Abandoned, CallOutcome.ShortAbandon }));
        Assert.True(afterHours.Count(s => s.Outcome == CallOutcome.Voicemail) > afterHours.Count * 0.7);
        // Illinois showrooms are closed on Sunday: every Sunday call is an after-hours call.
        Assert.All(scripts.Where(s => Store.Calendar.LocalDateTime(s.Start).DayOfWeek == DayOfWeek.Sunday), s => Assert.True(s.AfterHours));
    }

    [Fact]
    public void An_open_day_gets_about_the_volume_asked_for()
    {
        var model = new TrafficModel(Store.Calendar, Department.Sales, 120, SimulatedStores.MondayMidnight, afterHoursShare: 0);

        var arrivals = Arrivals(model, days: 56);

        var openDays = arrivals.Select(a => Store.Calendar.LocalDate(a)).Distinct().Count();
        Assert.Equal(48, openDays);
        Assert.InRange((double)arrivals.Count / openDays, 110, 130);
    }

    [Fact]
    public void Arrivals_follow_the_business_day_curve()
    {
        var model = new TrafficModel(Store.Calendar, Department.Sales, 120, SimulatedStores.MondayMidnight);

        var byHour = Arrivals(model, days: 56)
            .GroupBy(a => Store.Calendar.LocalDateTime(a).Hour)
            .ToDictionary(g => g.Key, g => g.Count());

        // The curve's peak is mid-morning; it sags over lunch and falls towards closing.
        Assert.True(byHour[10] > byHour[9]);
        Assert.True(byHour[10] > byHour[12]);
        Assert.True(byHour[10] > byHour[19] * 1.5);
        Assert.True(byHour.GetValueOrDefault(3) < byHour[10] / 100);
    }

    [Fact]
    public void The_arrival_rate_is_the_curve_scaled_and_a_tenth_of_it_after_hours()
    {
        var model = new TrafficModel(Store.Calendar, Department.Sales, 120, SimulatedStores.MondayMidnight);
        var tenAm = SimulatedStores.MondayMidnight.AddHours(10.5);
        var tenPm = SimulatedStores.MondayMidnight.AddHours(22.5);

        Assert.Equal(model.CallsPerPeakHour, model.RateAt(tenAm), 9);
        var weights = ArrivalCurve.HourlyWeights;
        Assert.Equal(model.CallsPerPeakHour * weights[22] / weights[10] * TrafficModel.DefaultAfterHoursShare, model.RateAt(tenPm), 9);
    }

    [Fact]
    public void A_volume_of_zero_means_no_calls_at_all()
    {
        var model = new TrafficModel(Store.Calendar, Department.Sales, 0, SimulatedStores.MondayMidnight);

        Assert.Null(model.NextArrival(SimulatedStores.MondayMidnight, new Random(1)));
    }

    [Fact]
    public void The_curve_has_a_weight_for_every_hour_and_peaks_mid_morning()
    {
        Assert.Equal(24, ArrivalCurve.HourlyWeights.Count);
        Assert.All(ArrivalCurve.HourlyWeights, w => Assert.True(w > 0));
        Assert.Equal(10, ArrivalCurve.HourlyWeights.ToList().IndexOf(ArrivalCurve.PeakWeight));
    }
}
