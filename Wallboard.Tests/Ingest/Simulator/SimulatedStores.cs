using Wallboard.Domain.Stores;
using Wallboard.Web.Ingest.Simulator;

namespace Wallboard.Tests.Ingest.Simulator;

/// <summary>A store like the demo's Lakeside Toyota, built by hand for tests of the pure parts.</summary>
internal static class SimulatedStores
{
    /// <summary>Monday 2026-11-30, 00:00 in Chicago (06:00 UTC): the start of an ordinary week.</summary>
    public static readonly DateTimeOffset MondayMidnight = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

    public static SimulatedStore Lakeside(int salespeople = 5)
    {
        var hours = new List<BusinessHours>();
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            if (day != DayOfWeek.Sunday)
            {
                var (opens, closes) = day == DayOfWeek.Saturday ? (9, 18) : (9, 20);
                hours.Add(Hours(Department.Sales, day, opens, closes));
                hours.Add(Hours(Department.Service, day, 7, day == DayOfWeek.Saturday ? 14 : 18));
            }
        }

        var calendar = new StoreCalendar("America/Chicago", hours);
        SimulatedLine[] lines =
        [
            new("+16305550100", "Main line", Department.Sales),
            new("+16305550101", "Website", Department.Sales),
            new("+16305550102", "Website", Department.Sales),
            new("+16305550103", "Website", Department.Sales),
            new("+16305550104", "Cars.com", Department.Sales),
            new("+16305550105", "AutoTrader", Department.Sales),
            new("+16305550106", "CarGurus", Department.Sales),
            new("+16305550107", "Google Business Profile", Department.Sales),
            new("+16305550108", "Radio", Department.Sales),
            new("+16305550109", "Main line", Department.Service),
        ];
        var agents = Enumerable.Range(101, salespeople).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return new SimulatedStore(1, "Lakeside Toyota", "lakeside-toyota", calendar, TimeSpan.FromSeconds(5), lines, agents,
            ["lakeside-toyota-service-1", "lakeside-toyota-service-2"]);
    }

    /// <summary>Calls as the simulator makes them: arrivals from the traffic model, scripts in arrival order.</summary>
    public static List<CallScript> Generate(SimulatedStore store, Department department, int count, int seed = 42, double callsPerOpenDay = 120)
    {
        var random = new Random(seed);
        var traffic = new TrafficModel(store.Calendar, department, callsPerOpenDay, MondayMidnight);
        var generator = new CallScriptGenerator(store, department, random, "test");
        var scripts = new List<CallScript>(count);
        var at = MondayMidnight;
        while (scripts.Count < count)
        {
            at = traffic.NextArrival(at, random)!.Value;
            scripts.Add(generator.Next(at));
        }

        return scripts;
    }

    private static BusinessHours Hours(Department department, DayOfWeek day, int opens, int closes) =>
        new() { Department = department, Day = day, Opens = new TimeOnly(opens, 0), Closes = new TimeOnly(closes, 0) };
}
