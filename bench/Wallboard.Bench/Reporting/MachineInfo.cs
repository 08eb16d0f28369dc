using System.Globalization;
using System.Runtime.InteropServices;

namespace Wallboard.Bench.Reporting;

/// <summary>The machine a report was measured on; figures from different machines do not compare.</summary>
internal sealed record MachineInfo(
    int Cores, double MemoryGb, string? CpuModel, string Os, string Kernel, string DotNet, string Architecture,
    string? LoadAverageAtStart)
{
    /// <summary>The load average when the run ended: a busy machine makes every figure worse.</summary>
    public string? LoadAverageAtEnd { get; set; }

    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        Math.Round(MemoryKb() / (1024.0 * 1024.0), 1),
        FirstValue("/proc/cpuinfo", "model name", ':'),
        FirstValue("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription,
        ReadOrNull("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.ProcessArchitecture.ToString(),
        LoadAverage());

    public static string? LoadAverage() => ReadOrNull("/proc/loadavg") is { } text ? string.Join(' ', text.Split(' ').Take(3)) : null;

    private static long MemoryKb()
    {
        var total = FirstValue("/proc/meminfo", "MemTotal", ':');
        return total is not null && long.TryParse(total.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb)
            ? kb
            : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024;
    }

    private static string? FirstValue(string path, string key, char separator)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return File.ReadLines(path)
            .Where(line => line.StartsWith(key, StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf(separator, StringComparison.Ordinal) + 1)..].Trim())
            .FirstOrDefault();
    }

    private static string? ReadOrNull(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;
}
