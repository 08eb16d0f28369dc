using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Wallboard.Bench.Reporting;

/// <summary><c>--compare a.json b.json</c>: every figure both reports have, side by side, with b / a.</summary>
internal static class ReportComparer
{
    public static string Compare(string pathA, string pathB)
    {
        using var a = JsonDocument.Parse(File.ReadAllText(pathA));
        using var b = JsonDocument.Parse(File.ReadAllText(pathB));
        var figuresA = Figures(a.RootElement);
        var figuresB = Figures(b.RootElement);
        var invariant = CultureInfo.InvariantCulture;

        var text = new StringBuilder();
        text.AppendLine(invariant, $"a: {pathA} ({Describe(a.RootElement)})");
        text.AppendLine(invariant, $"b: {pathB} ({Describe(b.RootElement)})");
        text.AppendLine("ratio is b / a: above 1 means b is higher (better for events/s, worse for latency, CPU and memory).");
        text.AppendLine();
        text.AppendLine(invariant, $"{"scenario",-20} {"figure",-34} {"a",12} {"b",12} {"b/a",8}");
        foreach (var ((scenario, figure), valueA) in figuresA)
        {
            if (!figuresB.TryGetValue((scenario, figure), out var valueB))
            {
                continue;
            }

            var ratio = valueA != 0 ? (valueB / valueA).ToString("0.00", invariant) : "-";
            text.AppendLine(invariant, $"{scenario,-20} {figure,-34} {valueA.ToString("#,0.###", invariant),12} {valueB.ToString("#,0.###", invariant),12} {ratio,8}");
        }

        var onlyOne = figuresA.Keys.Except(figuresB.Keys).Select(k => (k.Scenario, k.Figure, In: "a"))
            .Concat(figuresB.Keys.Except(figuresA.Keys).Select(k => (k.Scenario, k.Figure, In: "b")))
            .ToList();
        if (onlyOne.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("not compared, in one report only:");
            foreach (var group in onlyOne.GroupBy(f => (f.Scenario, f.In)))
            {
                text.AppendLine(invariant, $"  {group.Key.Scenario} (only {group.Key.In}): {string.Join(", ", group.Select(f => f.Figure))}");
            }
        }

        return text.ToString();
    }

    private static string Describe(JsonElement report)
    {
        var started = report.TryGetProperty("startedAt", out var s) ? s.GetString() : "?";
        var commit = report.TryGetProperty("gitCommit", out var c) ? c.GetString() : "?";
        var load = report.TryGetProperty("machine", out var m) && m.TryGetProperty("loadAverageAtStart", out var l) ? l.GetString() : "?";
        var database = report.TryGetProperty("database", out var d) ? d.GetString() : "?";
        return $"{started}, commit {commit}, {database}, load {load}";
    }

    // Insertion order is kept (nothing is removed), so the table follows the report's order.
    private static Dictionary<(string Scenario, string Figure), double> Figures(JsonElement report)
    {
        var figures = new Dictionary<(string Scenario, string Figure), double>();
        foreach (var scenario in report.GetProperty("scenarios").EnumerateArray())
        {
            var name = scenario.GetProperty("name").GetString()!;
            if (!scenario.TryGetProperty("figures", out var values))
            {
                continue;
            }

            foreach (var figure in values.EnumerateObject())
            {
                figures[(name, figure.Name)] = figure.Value.GetDouble();
            }
        }

        return figures;
    }
}
