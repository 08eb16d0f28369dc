namespace Wallboard.Tests.Cluster;

/// <summary>
/// The deployment files in <c>deploy/</c> run the app the way it needs to be run. The app reads
/// appsettings.json (its log levels: without it every SQL statement is logged at Information) and
/// wwwroot (Blazor's script, the TV's styles: without them a TV page never goes live) from its
/// content root, which is the working directory it is started in.
/// </summary>
public sealed class DeployFilesTests
{
    [Fact]
    public void The_systemd_unit_starts_the_app_in_its_published_folder()
    {
        var unit = File.ReadAllLines(Path.Combine(SharedData.RepositoryRoot, "deploy", "wallboard@.service"));

        var workingDirectory = Setting(unit, "WorkingDirectory");
        var assembly = Setting(unit, "ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Single(part => part.EndsWith("Wallboard.Web.dll", StringComparison.Ordinal));

        Assert.Equal(Path.GetDirectoryName(assembly), workingDirectory);
    }

    [Fact]
    public void The_compose_file_starts_the_app_in_its_published_folder()
    {
        var compose = File.ReadAllLines(Path.Combine(SharedData.RepositoryRoot, "deploy", "compose.yaml"));

        var workingDirectory = compose.Select(l => l.Trim()).Single(l => l.StartsWith("working_dir:", StringComparison.Ordinal))["working_dir:".Length..].Trim();
        var command = compose.Select(l => l.Trim()).Single(l => l.StartsWith("command: [\"dotnet\"", StringComparison.Ordinal));

        Assert.Contains($"\"{workingDirectory}/Wallboard.Web.dll\"", command, StringComparison.Ordinal);
    }

    private static string Setting(string[] unit, string key) =>
        unit.Select(l => l.Trim()).Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];
}
