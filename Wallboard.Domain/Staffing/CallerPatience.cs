namespace Wallboard.Domain.Staffing;

/// <summary>
/// Handle time and patience from recorded calls. Patience is taken as exponential and estimated
/// by maximum likelihood with the answered callers' waits as censored observations: the callers
/// who hung up ÷ the seconds all callers waited (each answered caller would have waited at least
/// as long as they did). Short abandons (misdials, §3) are left out by the caller.
/// </summary>
public static class CallerPatience
{
    /// <summary>Mean patience in seconds, or null without a single abandon (nobody hung up: Erlang C).</summary>
    public static double? MeanSeconds(int abandoned, double totalWaitSeconds) =>
        abandoned > 0 && totalWaitSeconds > 0 ? totalWaitSeconds / abandoned : null;
}
