namespace Wallboard.Web.Ingest.Simulator;

/// <summary>
/// The shape of a business day: how calls arrive hour by hour, relative to each other.
/// </summary>
/// <remarks>
/// The weights are the calls that arrived in each local hour (0–23) of a real call centre over
/// a working month: the "Anonymous Bank" data of the Technion service-engineering group
/// (shared/data/anonymous-bank/august.csv, 42,078 calls), counting <c>vru_entry</c> by hour over
/// its 23 working days (Sunday to Thursday, the Israeli working week; Friday and Saturday left
/// out), 39,030 calls. Computed once when this file was written; the app does not read the
/// data. Only the shape is used: the simulator scales it to a dealership's volume.
/// </remarks>
public static class ArrivalCurve
{
    /// <summary>Relative arrivals in each local hour, 00:00–00:59 first.</summary>
    public static IReadOnlyList<int> HourlyWeights { get; } =
    [
        193, 77, 30, 16, 13, 18, 122, 914, 1881, 2947, 3439, 3064,
        2664, 2721, 2879, 2971, 2800, 2341, 2117, 1509, 1612, 1795, 1734, 1173,
    ];

    /// <summary>The busiest hour's weight (10:00–10:59).</summary>
    public static int PeakWeight { get; } = HourlyWeights.Max();
}
