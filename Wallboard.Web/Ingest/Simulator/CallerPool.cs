using System.Globalization;

namespace Wallboard.Web.Ingest.Simulator;

/// <summary>
/// Who calls a store: numbers from the 555-01xx range, which North American numbering reserves
/// for fiction, mostly in the store's own area code. A pool this small makes callers repeat by
/// itself, and some callers call back on purpose (a missed caller trying again); a few withhold
/// their number.
/// </summary>
internal sealed class CallerPool
{
    public const double WithheldShare = 0.04;
    public const double RepeatShare = 0.10;
    public const double HomeAreaShare = 0.65;

    private const int RecentCapacity = 60;

    // Area codes of the regions around the demo's stores and a few further away.
    private static readonly string[] OtherAreaCodes =
    [
        "312", "773", "847", "708", "815", "224", "331", "779", "872", "219", "414", "262",
        "813", "727", "941", "863", "352", "407", "321", "239", "561", "305", "954", "904",
    ];

    private readonly string _homeAreaCode;
    private readonly HashSet<string> _excluded;
    private readonly Random _random;
    private readonly List<string> _recent = [];

    /// <param name="excluded">Numbers no caller may have (the store's own lines).</param>
    public CallerPool(string homeAreaCode, IEnumerable<string> excluded, Random random)
    {
        _homeAreaCode = homeAreaCode;
        _excluded = excluded.ToHashSet(StringComparer.Ordinal);
        _random = random;
    }

    /// <summary>The next caller in E.164, or null when the caller withholds the number.</summary>
    public string? Next()
    {
        if (_random.NextDouble() < WithheldShare)
        {
            return null;
        }

        if (_recent.Count >= 10 && _random.NextDouble() < RepeatShare)
        {
            return _recent[_random.Next(_recent.Count)];
        }

        string number;
        do
        {
            var area = _random.NextDouble() < HomeAreaShare ? _homeAreaCode : OtherAreaCodes[_random.Next(OtherAreaCodes.Length)];
            number = string.Create(CultureInfo.InvariantCulture, $"+1{area}55501{_random.Next(100):00}");
        }
        while (_excluded.Contains(number));

        _recent.Add(number);
        if (_recent.Count > RecentCapacity)
        {
            _recent.RemoveAt(0);
        }

        return number;
    }
}
