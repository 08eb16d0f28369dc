using Wallboard.Bench.Hosting;
using Wallboard.Bench.Reporting;

namespace Wallboard.Bench;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }

        if (Array.IndexOf(args, "--compare") is var compare and >= 0)
        {
            if (args.Length != 3 || compare != 0)
            {
                Console.Error.WriteLine("--compare takes two report files: --compare a.json b.json");
                return 2;
            }

            Console.Write(ReportComparer.Compare(args[1], args[2]));
            return 0;
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine();
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }

        var root = Repository.FindRoot();
        if (root is null && options.Url is null)
        {
            Console.Error.WriteLine("Cannot find the repository (the folder with Wallboard.sln) to build and start the app; run from inside it, or give --url.");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var launcher = options.Url is null ? new ChildProcessLauncher(root!, build: !options.NoBuild, Console.Out, options.AppSettings) : null;
        BenchReport report;
        try
        {
            report = await new BenchRunner(options, launcher, Console.Out).RunAsync(cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("Cancelled; the app was stopped and no report written.");
            return 130;
        }
        var path = report.Write(options.OutputDirectory ?? Path.Combine(root ?? Directory.GetCurrentDirectory(), "bench", "results"));

        Console.WriteLine();
        Console.Write(SummaryTable.Render(report));
        Console.WriteLine($"report: {path}");
        return report.Scenarios.Any(s => s.Status == ScenarioResult.Failed) ? 1 : 0;
    }
}
