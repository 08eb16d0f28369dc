using Microsoft.Extensions.Time.Testing;
using Wallboard.Web.Ingest.Simulator;

namespace Wallboard.Tests.Ingest.Simulator;

public class SimulationClockTests
{
    private static readonly DateTimeOffset Night = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero); // 02:00 in Chicago

    [Fact]
    public void Simulated_day_can_start_at_a_chosen_instant_and_runs_speed_times_faster_from_there()
    {
        var time = new FakeTimeProvider(Night);
        var tenAmChicago = new DateTimeOffset(2026, 11, 27, 16, 0, 0, TimeSpan.Zero);
        var clock = new SimulationClock(time, speed: 20, simulatedStart: tenAmChicago);

        Assert.Equal(tenAmChicago, clock.SimulatedNow);
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(tenAmChicago.AddHours(1), clock.SimulatedNow);
        Assert.Equal(Night.AddMinutes(3), clock.ToReal(tenAmChicago.AddHours(1)));
    }

    [Fact]
    public void Without_a_chosen_start_the_simulated_day_starts_now()
    {
        var time = new FakeTimeProvider(Night);

        var clock = new SimulationClock(time, speed: 5);

        Assert.Equal(Night, clock.SimulatedNow);
    }
}
