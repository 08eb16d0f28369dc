using Microsoft.Extensions.Options;

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

    /// <summary>What a start-up refuses, in words; null when the settings are usable.</summary>
    public string? Problem() =>
        CoalescingWindow < TimeSpan.Zero || CoalescingWindow > TimeSpan.FromSeconds(10) ? $"CoalescingWindow must be from 0 to 10 seconds, not {CoalescingWindow}."
        : TvWindow < TimeSpan.Zero || TvWindow > TimeSpan.FromSeconds(10) ? $"TvWindow must be from 0 to 10 seconds, not {TvWindow}."
        : RecentCalls is < 0 or > 1_000 ? $"RecentCalls must be from 0 to 1000, not {RecentCalls}."
        : SelfCheckInterval < TimeSpan.Zero && SelfCheckInterval != Timeout.InfiniteTimeSpan ? $"SelfCheckInterval must be 0 (off) or more, not {SelfCheckInterval}."
        : null;

    /// <summary>Refuses settings with a <see cref="Problem"/> at start-up, naming it.</summary>
    public sealed class Validation : IValidateOptions<LiveBoardOptions>
    {
        public ValidateOptionsResult Validate(string? name, LiveBoardOptions options) =>
            options?.Problem() is { } problem
                ? ValidateOptionsResult.Fail($"Wallboard:Live: {problem}")
                : ValidateOptionsResult.Success;
    }
}
