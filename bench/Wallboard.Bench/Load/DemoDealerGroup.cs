using Wallboard.Domain.Stores;

namespace Wallboard.Bench.Load;

/// <summary>
/// The demo dealer group as Wallboard.Web's DemoSeeder seeds it: the tracking numbers callers dial
/// and the extensions its queues ring, so posted calls are attributed to the two demo stores and
/// their salespeople as a real phone system's would be. Should the seeder change, calls still go
/// in (to the integration's default store, source "Unknown"); only the attribution is less real.
/// </summary>
internal static class DemoDealerGroup
{
    public static IReadOnlyList<StoreShape> Stores { get; } =
    [
        Shape("lakeside-sales", "630", 100, firstExtension: 101),
        Shape("bayview-sales", "813", 110, firstExtension: 201),
    ];

    // Nine sales numbers (main line, a website pool, listings, radio) and a service desk; five
    // salespeople on extensions from the first.
    private static StoreShape Shape(string group, string areaCode, int firstNumber, int firstExtension) => new(
        StoreId: 0,
        group,
        Enumerable.Range(0, 10)
            .Select(i => new StoreLine($"+1{areaCode}555{firstNumber + i:0000}", i == 9 ? Department.Service : Department.Sales))
            .ToList(),
        Enumerable.Range(firstExtension, 5).Select(e => e.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList());
}
