using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wallboard.Bench.Reporting;

/// <summary>One scenario's outcome: its settings, its figures (names carry their units), notes.</summary>
internal sealed class ScenarioResult(string name)
{
    public const string Ok = "ok";
    public const string Skipped = "skipped";
    public const string Failed = "failed";

    public string Name { get; } = name;

    public string Status { get; set; } = Ok;

    /// <summary>Why it was skipped or failed.</summary>
    public string? Reason { get; set; }

    public SortedDictionary<string, object?> Settings { get; init; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, double> Figures { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Figures over time (one value a second), to see warm-up, stalls and drift a single figure hides.</summary>
    public SortedDictionary<string, List<double>> Series { get; init; } = new(StringComparer.Ordinal);

    public List<string> Notes { get; init; } = [];

    public static ScenarioResult Skip(string name, string reason) => new(name) { Status = Skipped, Reason = reason };

    public void Add(IEnumerable<KeyValuePair<string, double>> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        foreach (var (key, value) in figures)
        {
            Figures[key] = Math.Round(value, 3);
        }
    }

    public void Add(string figure, double value) => Figures[figure] = Math.Round(value, 3);
}

/// <summary>Everything one run measured, with the machine and settings it was measured under.</summary>
internal sealed class BenchReport
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Tool { get; init; } = "Wallboard.Bench";

    public int FormatVersion { get; init; } = 1;

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; set; }

    public string? GitCommit { get; init; }

    /// <summary>How the server was run (child process, in-process test host, external URL).</summary>
    public required string Server { get; init; }

    /// <summary>The app's database: <c>sqlite</c> or <c>postgres</c>; null for a server given by <c>--url</c>.</summary>
    public string? Database { get; set; }

    /// <summary>What that database is and how it commits (version, address, durability settings).</summary>
    public string? DatabaseServer { get; set; }

    /// <summary>Where a database server the bench started kept its files; deleted with the server at the end of the run.</summary>
    public string? DatabaseFolder { get; set; }

    public required MachineInfo Machine { get; init; }

    public required SortedDictionary<string, object?> Settings { get; init; }

    public List<ScenarioResult> Scenarios { get; init; } = [];

    public List<string> Caveats { get; init; } = [];

    public ScenarioResult? Scenario(string name) => Scenarios.FirstOrDefault(s => s.Name == name);

    /// <summary>Writes <c>&lt;timestamp&gt;.json</c> under <paramref name="directory"/>; returns its path.</summary>
    public string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{StartedAt:yyyyMMdd-HHmmss}.json");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(directory, $"{StartedAt:yyyyMMdd-HHmmss}-{n}.json");
        }

        File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));
        return path;
    }
}
