namespace Wallboard.Web.Live;

/// <summary>Settings of the live board (<c>Wallboard:Live</c>).</summary>
public sealed class LiveBoardOptions
{
    /// <summary>
    /// A board builds at most one snapshot per window, however many calls change: 50 ms keeps a
    /// screen under 20 updates a second and adds at most that to an update's way to the screen.
    /// </summary>
    public TimeSpan CoalescingWindow { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Calls each board keeps in memory for its ticker, besides those in progress.</summary>
    public int RecentCalls { get; set; } = 40;

    /// <summary>
    /// How often the boards are read again from the database and compared with memory; any drift
    /// is logged at Warning and corrected. Zero turns the self-check off.
    /// </summary>
    public TimeSpan SelfCheckInterval { get; set; } = TimeSpan.FromMinutes(5);
}
