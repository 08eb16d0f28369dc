namespace Wallboard.Tests;

/// <summary>
/// The real recordings in <c>shared/data</c>, which sits beside the repository (never copied into it).
/// Tests run from bin/, so the repository root is found by walking up to the folder holding Wallboard.sln.
/// </summary>
internal static class SharedData
{
    /// <summary>The folder holding Wallboard.sln (where the local dotnet tools are restored).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Wallboard.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.Parent is null
                ? throw new InvalidOperationException($"No folder holding Wallboard.sln above {AppContext.BaseDirectory}; cannot find ../shared/data.")
                : directory.FullName;
        }
    }

    public static string PathTo(params string[] parts)
    {
        var path = Path.Combine([Directory.GetParent(RepositoryRoot)!.FullName, "shared", "data", .. parts]);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Shared data file missing: {path}", path);
    }
}
