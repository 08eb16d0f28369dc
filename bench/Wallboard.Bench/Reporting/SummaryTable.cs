using System.Globalization;
using System.Text;

namespace Wallboard.Bench.Reporting;

/// <summary>The short table a person reads at the end of a run; the JSON report has everything.</summary>
internal static class SummaryTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var machine = report.Machine;
        text.AppendLine(Invariant, $"Wallboard.Bench {report.StartedAt:yyyy-MM-dd HH:mm:ss}Z  {report.Server}");
        text.AppendLine(Invariant, $"{machine.Cores} cores, {machine.MemoryGb} GB, {machine.Os}, {machine.DotNet}; load average {machine.LoadAverageAtStart} at start, {machine.LoadAverageAtEnd} at end");
        if (report.Database is not null)
        {
            text.AppendLine(Invariant, $"database: {report.Database}: {report.DatabaseServer}");
        }

        text.AppendLine();

        var ingest = report.Scenarios.Where(s => s.Figures.ContainsKey("accepted_events_per_s")).ToList();
        if (ingest.Count > 0)
        {
            // db cpu %: the database server's own processes (PostgreSQL); SQLite works inside the app's.
            text.AppendLine(Invariant, $"{"scenario",-20} {"events/s",9} {"req/s",8} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"errors",7} {"cpu %",6} {"rss MB",7} {"db cpu %",8}");
            foreach (var s in ingest)
            {
                text.AppendLine(Invariant,
                    $"{s.Name,-20} {F(s, "accepted_events_per_s", "N0"),9} {F(s, "requests_per_s", "N0"),8} {F(s, "ack_p50_ms", "N1"),8} {F(s, "ack_p95_ms", "N1"),8} {F(s, "ack_p99_ms", "N1"),8} {F(s, "ack_max_ms", "N1"),8} {F(s, "errors", "N0"),7} {F(s, "server_cpu_percent_avg", "N0"),6} {F(s, "server_rss_peak_mb", "N0"),7} {F(s, "database_cpu_percent_avg", "N0"),8}");
                if (s.Figures.ContainsKey("ack_from_schedule_p99_ms"))
                {
                    text.AppendLine(Invariant,
                        $"{"  from schedule",-20} {F(s, "offered_events_per_s", "N0"),9} {"offered",8} {F(s, "ack_from_schedule_p50_ms", "N1"),8} {F(s, "ack_from_schedule_p95_ms", "N1"),8} {F(s, "ack_from_schedule_p99_ms", "N1"),8} {F(s, "ack_from_schedule_max_ms", "N1"),8}");
                }
            }

            text.AppendLine();
        }

        foreach (var s in report.Scenarios.Except(ingest))
        {
            var line = s.Status switch
            {
                ScenarioResult.Skipped => $"skipped: {s.Reason}",
                ScenarioResult.Failed => $"FAILED: {s.Reason}",
                _ => string.Join(", ", s.Figures.Select(f => $"{f.Key} {f.Value.ToString("#,0.###", Invariant)}")),
            };
            text.AppendLine(Invariant, $"{s.Name,-20} {line}");
        }

        foreach (var s in ingest.Where(s => s.Status != ScenarioResult.Ok))
        {
            text.AppendLine(Invariant, $"{s.Name,-20} FAILED: {s.Reason}");
        }

        foreach (var caveat in report.Caveats)
        {
            text.AppendLine(Invariant, $"note: {caveat}");
        }

        return text.ToString();
    }

    private static string F(ScenarioResult s, string figure, string format) =>
        s.Figures.TryGetValue(figure, out var value) ? value.ToString(format, Invariant) : "-";
}
