namespace Wallboard.Web.Ingest.Simulator;

/// <summary>The simulator's settings (<c>Wallboard:Simulator</c>).</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Wallboard:Simulator";

    /// <summary>
    /// On or off. When not set, the simulator runs only on the seeded demo database (§11): a
    /// database with the demo's stores; on any other database it stays off, so a real install
    /// never gets invented calls by default.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// How much faster than real time the simulated day runs: 1 plays a day in a day, 20 brings a
    /// morning's calls in minutes. It divides the time between calls; each call itself plays in
    /// real time, so its waits, rings and holds are real and the store's thresholds judge it as
    /// they would a real call (a faster call would turn every abandon into a short abandon and
    /// never turn a hold timer amber). At speeds above 1 a salesperson may be on several calls at
    /// once in real time: the hunt group is modelled on the simulated clock.
    /// </summary>
    public double Speed { get; set; } = 1;

    /// <summary>
    /// When a store is closed as the simulator starts (a demo opened at night or on a Sunday),
    /// start its simulated day an hour after its next opening, so a newcomer sees a live board at
    /// once instead of hours of after-hours silence. Events are still stamped with the real time.
    /// </summary>
    public bool StartDuringBusinessHours { get; set; } = true;

    /// <summary>Mean sales calls a store gets on an open day.</summary>
    public double SalesCallsPerOpenDay { get; set; } = 120;

    /// <summary>Mean service-department calls a store gets on an open day (to its service line).</summary>
    public double ServiceCallsPerOpenDay { get; set; } = 30;

    /// <summary>
    /// Days of simulated traffic written before today when the simulator starts on a store with no
    /// calls before today (0: none). Their missed sales calls get call-backs like any other, so a
    /// demo with history starts with a full call-back queue.
    /// </summary>
    public int HistoryDays { get; set; }

    /// <summary>Fixes the random sequence, to play the same traffic again; random when not set.</summary>
    public int? Seed { get; set; }

    internal bool IsValid =>
        double.IsFinite(Speed) && Speed > 0 && Speed <= 100_000
        && double.IsFinite(SalesCallsPerOpenDay) && SalesCallsPerOpenDay is >= 0 and <= 100_000
        && double.IsFinite(ServiceCallsPerOpenDay) && ServiceCallsPerOpenDay is >= 0 and <= 100_000
        && HistoryDays is >= 0 and <= 400;
}
