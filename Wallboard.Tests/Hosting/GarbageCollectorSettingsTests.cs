using System.Text.Json;

namespace Wallboard.Tests.Hosting;

/// <summary>
/// The app's garbage collector, as its build writes it into <c>Wallboard.Web.runtimeconfig.json</c>
/// (the file the runtime reads when the app starts; the build copies it next to the tests): workstation
/// GC, concurrent. The Web SDK's default is server GC, which on the two-core nodes kept about twice
/// the committed heap for the same live objects (docs/operations.md, "Memory").
/// </summary>
public sealed class GarbageCollectorSettingsTests
{
    [Fact]
    public void The_app_runs_with_workstation_concurrent_GC()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Wallboard.Web.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(properties.GetProperty("System.GC.Concurrent").GetBoolean());
    }
}
