using System.Globalization;
using Wallboard.Bench.Hosting;
using Wallboard.Web.Data;

namespace Wallboard.Bench;

/// <summary>What one bench run does. Every figure in the report is read together with these.</summary>
internal sealed record BenchOptions
{
    public const string IngestSingleFlat = "ingest-single-flat";
    public const string IngestSingleRate = "ingest-single-rate";
    public const string IngestBatchFlat = "ingest-batch-flat";
    public const string IngestFloor = "ingest-floor";
    public const string HubLatency = "hub-latency";
    public const string MetricsJob = "metrics-job";

    public static readonly IReadOnlyList<string> AllScenarios = [IngestSingleFlat, IngestSingleRate, IngestBatchFlat, IngestFloor, HubLatency, MetricsJob];

    /// <summary>Measured seconds of each ingest scenario (after its warm-up).</summary>
    public double DurationSeconds { get; init; } = 20;

    /// <summary>Seconds of load before each ingest scenario starts measuring (JIT, connection pool, caches).</summary>
    public double WarmupSeconds { get; init; } = 5;

    /// <summary>Offered events a second of the fixed-rate scenario.</summary>
    public double Rate { get; init; } = 1_000;

    /// <summary>Events in one request of the batch scenario.</summary>
    public int Batch { get; init; } = 100;

    /// <summary>Concurrent connections (and requests in flight) of the flat-out ingest scenarios.</summary>
    public int Connections { get; init; } = 8;

    /// <summary>
    /// Connections of the fixed-rate scenario: enough that a slow answer does not hold back the
    /// next request due (open loop), so the offered rate is really offered.
    /// </summary>
    public int RateConnections { get; init; } = 32;

    /// <summary>Calls in progress at once in the generated traffic.</summary>
    public int CallsInFlight { get; init; } = 500;

    /// <summary>Calls of history written into the database before the measured restart; 0 for none.</summary>
    public int History { get; init; }

    /// <summary>Stores the history is spread over (the demo's two plus generated ones).</summary>
    public int HistoryStores { get; init; } = 20;

    /// <summary>Days back the history reaches.</summary>
    public int HistoryDays { get; init; } = 90;

    public IReadOnlyList<string> Scenarios { get; init; } = AllScenarios;

    /// <summary>
    /// The database of the app the bench starts: SQLite (its file in the data folder) or a
    /// PostgreSQL server the bench starts for the run (<see cref="BenchDatabase"/>).
    /// </summary>
    public DatabaseProvider Database { get; init; } = DatabaseProvider.Sqlite;

    /// <summary>A running server instead of one the bench starts; needs <see cref="Integration"/> and <see cref="Secret"/>.</summary>
    public Uri? Url { get; init; }

    public int? Integration { get; init; }

    public string? Secret { get; init; }

    /// <summary>Settings given to the app the bench starts (<c>--app Key=Value</c>, as <c>--Key=Value</c> on its command line).</summary>
    public IReadOnlyList<string> AppSettings { get; init; } = [];

    /// <summary>The demo-credentials.json of a running server (display links for hub-latency).</summary>
    public string? Credentials { get; init; }

    /// <summary>The process id of a running server, to sample its CPU and memory.</summary>
    public int? Pid { get; init; }

    /// <summary>Skip <c>dotnet publish -c Release</c> of the app before starting it.</summary>
    public bool NoBuild { get; init; }

    /// <summary>Keep the temporary data folder (SQLite database, app log) after the run; a PostgreSQL server is deleted all the same.</summary>
    public bool KeepData { get; init; }

    /// <summary>An empty folder for the app's data instead of a temporary one; it is kept.</summary>
    public string? DataDirectory { get; init; }

    public double SampleIntervalSeconds { get; init; } = 1;

    /// <summary>Where the JSON report goes; <c>bench/results/</c> of the repository when null.</summary>
    public string? OutputDirectory { get; init; }

    public int Seed { get; init; } = 20261127;

    /// <summary>SignalR clients subscribed to the probed board in the hub-latency scenario.</summary>
    public int HubClients { get; init; } = 200;

    /// <summary>Showroom TV pages (headless Chromium) on the probed board in the hub-latency scenario.</summary>
    public int TvPages { get; init; } = 10;

    /// <summary>Background events a second (single signed posts of realistic calls) in the loaded phase of hub-latency.</summary>
    public double HubRate { get; init; } = 500;

    /// <summary>Probe calls a second in hub-latency: each one is a stamped event whose arrival every screen times.</summary>
    public double ProbeRate { get; init; } = 5;

    /// <summary>Seconds of the idle phase of hub-latency (probes only); its loaded phase lasts <see cref="DurationSeconds"/>.</summary>
    public double IdleSeconds { get; init; } = 10;

    /// <summary>Minutes of a soak: hub-latency's loaded phase runs this long and size judges the memory trend; null for none.</summary>
    public double? SoakMinutes { get; init; }

    public bool IsSmoke { get; init; }

    /// <summary>A few seconds of every scenario with tiny numbers: keeps the tool working in CI.</summary>
    public static BenchOptions Smoke { get; } = new()
    {
        IsSmoke = true,
        DurationSeconds = 3,
        WarmupSeconds = 0.3,
        Rate = 200,
        Batch = 10,
        Connections = 2,
        RateConnections = 4,
        CallsInFlight = 20,
        HubClients = 3,
        TvPages = 1,
        HubRate = 50,
        ProbeRate = 5,
        IdleSeconds = 1.5,
        History = 300,
        HistoryStores = 4,
        HistoryDays = 7,
        SampleIntervalSeconds = 0.25,
    };

    public bool Runs(string scenario) => Scenarios.Contains(scenario, StringComparer.Ordinal);

    public const string Usage =
        """
        Wallboard.Bench: load, latency, size and start-up figures of the Wallboard app.

        dotnet run -c Release --project bench/Wallboard.Bench -- [options]
        dotnet run -c Release --project bench/Wallboard.Bench -- --compare a.json b.json

          --duration S         measured seconds of each ingest scenario (20)
          --warmup S           unmeasured seconds of load before each (5)
          --rate N             offered events/s of ingest-single-rate (1000)
          --batch N            events per request of ingest-batch-flat (100; the app takes 1,000 at most)
          --connections N      concurrent connections of the flat-out ingest scenarios (8)
          --rate-connections N connections of ingest-single-rate, enough to keep its schedule (32)
          --calls-in-flight N  calls in progress at once in the traffic (500)
          --history N          write N calls of history (20 stores) before the measured restart (0)
          --history-stores N   stores of that history (20)
          --history-days N     days back the history reaches (90)
          --database D         sqlite (the app's file, the default) or postgres (a PostgreSQL server the
                               bench starts for the run, durable settings, deleted after)
          --scenarios a,b      ingest-single-flat, ingest-single-rate, ingest-batch-flat,
                               ingest-floor, hub-latency, metrics-job (all); startup and size always run
                               (--scenarios startup runs only those)
          --url U --integration ID --secret S [--pid P]
                               target a running server (no start-up, no history; size only with --pid)
          --credentials FILE   with --url: the server's demo-credentials.json, for hub-latency's display link
          --app KEY=VALUE      a setting for the app the bench starts, e.g. Wallboard:Data:Synchronous=Normal (repeatable)
          --no-build           do not run `dotnet publish -c Release` on the app first
          --keep-data          keep the temporary data folder (SQLite database, app.log; a PostgreSQL
                               server the bench started is always stopped and deleted)
          --data-dir DIR       an empty folder for the app's data instead of a temporary one (kept)
          --sample-interval S  seconds between CPU/memory samples (1)
          --out DIR            where the JSON report goes (bench/results)
          --seed N             seed of the generated traffic and history
          --hub-clients N      SignalR clients on the probed board in hub-latency (200)
          --tv-pages N         TV pages in headless Chromium on the probed board in hub-latency (10; 0 for none)
          --hub-rate N         background events/s in hub-latency's loaded phase (500)
          --probe-rate N       stamped probe calls a second in hub-latency (5)
          --idle S             seconds of hub-latency's idle phase, probes only (10; 0 to skip it)
          --soak MIN           a soak: hub-latency's loaded phase lasts MIN minutes (10 for the memory
                               target), the other load scenarios are left out, size judges the trend
          --smoke              a few seconds of every scenario with tiny numbers (for CI)
        """;

    /// <summary>Reads the command line; throws <see cref="ArgumentException"/> with a message for a person.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = args.Contains("--smoke") ? Smoke : new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"{name} needs a value.");
                }

                return args[++i];
            }

            options = name switch
            {
                "--smoke" => options,
                "--duration" => options with { DurationSeconds = Positive(name, Number(name, Value())) },
                "--warmup" => options with { WarmupSeconds = Number(name, Value()) },
                "--rate" => options with { Rate = Positive(name, Number(name, Value())) },
                "--batch" => options with { Batch = (int)Positive(name, Whole(name, Value())) },
                "--connections" => options with { Connections = (int)Positive(name, Whole(name, Value())) },
                "--rate-connections" => options with { RateConnections = (int)Positive(name, Whole(name, Value())) },
                "--calls-in-flight" => options with { CallsInFlight = (int)Positive(name, Whole(name, Value())) },
                "--history" => options with { History = Whole(name, Value()) },
                "--history-stores" => options with { HistoryStores = (int)Positive(name, Whole(name, Value())) },
                "--history-days" => options with { HistoryDays = (int)Positive(name, Whole(name, Value())) },
                "--scenarios" => options with { Scenarios = ScenarioList(Value()) },
                "--database" => options with { Database = DatabaseOf(Value()) },
                "--url" => options with { Url = new Uri(Value().TrimEnd('/') + "/", UriKind.Absolute) },
                "--integration" => options with { Integration = Whole(name, Value()) },
                "--secret" => options with { Secret = Value() },
                "--pid" => options with { Pid = Whole(name, Value()) },
                "--app" => options with { AppSettings = [.. options.AppSettings, AppSetting(Value())] },
                "--credentials" => options with { Credentials = Path.GetFullPath(Value()) },
                "--no-build" => options with { NoBuild = true },
                "--keep-data" => options with { KeepData = true },
                "--data-dir" => options with { DataDirectory = Path.GetFullPath(Value()) },
                "--sample-interval" => options with { SampleIntervalSeconds = Positive(name, Number(name, Value())) },
                "--out" => options with { OutputDirectory = Path.GetFullPath(Value()) },
                "--seed" => options with { Seed = Whole(name, Value()) },
                "--hub-clients" => options with { HubClients = Whole(name, Value()) },
                "--tv-pages" => options with { TvPages = Whole(name, Value()) },
                "--hub-rate" => options with { HubRate = Number(name, Value()) },
                "--probe-rate" => options with { ProbeRate = Positive(name, Number(name, Value())) },
                "--idle" => options with { IdleSeconds = Number(name, Value()) },
                "--soak" => options with { SoakMinutes = Positive(name, Number(name, Value())) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        if (options.SoakMinutes is { } soak)
        {
            // A soak is the loaded hub-latency phase held for minutes; the flat-out ingest runs would only disturb the trend.
            options = options with { DurationSeconds = soak * 60, Scenarios = [HubLatency] };
        }

        if (options.Url is not null && (options.Integration is null || string.IsNullOrEmpty(options.Secret)))
        {
            throw new ArgumentException("--url needs --integration and --secret (see the server's demo-credentials.json).");
        }

        if (options.Url is not null && options.History > 0)
        {
            throw new ArgumentException("--history writes into the database of a server the bench starts; it cannot go with --url.");
        }

        if (options.Url is not null && options.Database != DatabaseProvider.Sqlite)
        {
            throw new ArgumentException("--database starts a database for the app the bench starts; a server given by --url keeps its own.");
        }

        return options;
    }

    private static DatabaseProvider DatabaseOf(string text) =>
        Is(text, "sqlite") ? DatabaseProvider.Sqlite
        : Is(text, "postgres") || Is(text, "postgresql") ? DatabaseProvider.Postgres
        : throw new ArgumentException($"--database is sqlite or postgres, not '{text}'.");

    private static bool Is(string text, string name) => string.Equals(text.Trim(), name, StringComparison.OrdinalIgnoreCase);

    private static string AppSetting(string text) =>
        text.IndexOf('=', StringComparison.Ordinal) > 0
            ? text
            : throw new ArgumentException($"--app needs Key=Value (e.g. Wallboard:Data:Synchronous=Normal), not '{text}'.");

    private static string[] ScenarioList(string text)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // start-up and size always run; naming them alone runs nothing else.
        var unknown = names.Where(n => !AllScenarios.Contains(n, StringComparer.Ordinal) && n is not ("startup" or "size")).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown scenario {string.Join(", ", unknown)}; known: {string.Join(", ", AllScenarios)}.");
        }

        return names;
    }

    private static double Number(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"{name} needs a number, not '{text}'.");

    private static int Whole(string name, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"{name} needs a whole number, not '{text}'.");

    private static double Positive(string name, double value) =>
        value > 0 ? value : throw new ArgumentException($"{name} must be more than 0.");
}
