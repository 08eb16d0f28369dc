using System.Diagnostics;
using Wallboard.Bench.Hosting;
using Wallboard.Bench.Reporting;
using Wallboard.Bench.Sampling;

namespace Wallboard.Bench.Scenarios;

/// <summary>
/// What every scenario gets: the settings, the server, the clock the samplers use, the samplers
/// of the server and (when it is another process) of the bench itself, where to say what it does.
/// </summary>
internal sealed record BenchContext(
    BenchOptions Options,
    BenchTarget Target,
    Stopwatch Clock,
    ProcessSampler? Sampler,
    ProcessSampler? ClientSampler,
    string RunId,
    TextWriter Log)
{
    /// <summary>The server's data folder (its files, and its SQLite database when that is the database).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>The app's database, for scenarios that read it in-process; null for a server given by <c>--url</c>.</summary>
    public BenchDatabase? Database { get; init; }

    /// <summary>The database server's processes (PostgreSQL), sampled like the server; null when the database is inside the app (SQLite).</summary>
    public ProcessSampler? DatabaseSampler { get; init; }

    /// <summary>The results of the scenarios that ran before this one in the same run.</summary>
    public IReadOnlyList<ScenarioResult> Earlier { get; init; } = [];
}

/// <summary>
/// One measurement against a running server. A scenario is a class of its own, named in
/// <see cref="BenchOptions.AllScenarios"/>, registered in <see cref="BenchRunner"/>; it returns its
/// figures (units in the names: <c>_ms</c>, <c>_per_s</c>, <c>_mb</c>) and never throws for a bad
/// figure, only for a broken run.
/// </summary>
internal interface IBenchScenario
{
    string Name { get; }

    Task<ScenarioResult> RunAsync(BenchContext context, CancellationToken ct);
}
