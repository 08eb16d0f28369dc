using Wallboard.Bench.Hosting;

namespace Wallboard.Bench;

/// <summary>The repository the bench runs from: where the app's project is, which commit is measured.</summary>
internal static class Repository
{
    /// <summary>The folder holding Wallboard.sln, above the bench's binaries or the working directory.</summary>
    public static string? FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Wallboard.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>The commit checked out (with "-dirty" when files changed), or null without git.</summary>
    public static async Task<string?> CommitAsync(CancellationToken ct)
    {
        if (FindRoot() is not { } root)
        {
            return null;
        }

        try
        {
            var (code, output) = await ChildProcessLauncher.RunToEndAsync("git", ["-C", root, "describe", "--always", "--dirty", "--abbrev=12"], ct);
            return code == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on the path
        }
    }
}
