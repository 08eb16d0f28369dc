namespace Wallboard.Web.Live;

/// <summary>Settings of the live board (<c>Wallboard:Live</c>).</summary>
public sealed class LiveBoardOptions
{
    /// <summary>
    /// A board builds at most one snapshot per window, however many calls change: 50 ms keeps a
    /// screen under 20 updates a second and adds at most that to an update's way to the screen.
    /// </summary>
    public TimeSpan CoalescingWindow { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// A TV page (a Blazor circuit) shows at most one new snapshot per window: the first change
    /// after a quiet spell at once, then the newest when the window ends. A TV read from across the
    /// showroom needs no more than four updates a second, and each update costs the TV's browser a
    /// render and the server the page's diff. The hub and the manager's live view get every build.
    /// </summary>
    public TimeSpan TvWindow { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Calls each board keeps in memory for its ticker, besides those in progress.</summary>
    public int RecentCalls { get; set; } = 40;

    /// <summary>
    /// How often the boards are read again from the database and compared with memory; any drift
    /// is logged at Warning and corrected. Zero turns the self-check off.
    /// </summary>
    public TimeSpan SelfCheckInterval { get; set; } = TimeSpan.FromMinutes(5);
}
