using System.Net;
using System.Text.Json;
using Wallboard.Web.Data;

namespace Wallboard.Bench.Hosting;

/// <summary>
/// Where the load goes: the app's address and the integration that signs the posts; its
/// demo-credentials.json (display links for the screens), when known.
/// </summary>
internal sealed record BenchTarget(Uri BaseAddress, int IntegrationId, string Secret, int? ProcessId, string? CredentialsPath = null);

/// <summary>Starts the app on a data folder; the bench measures from the call until <c>/health</c> answers 200.</summary>
internal interface IServerLauncher
{
    /// <summary>How the app is run, for the report.</summary>
    string Description { get; }

    /// <summary>Once, before any start (a build).</summary>
    Task PrepareAsync(CancellationToken ct);

    /// <summary>Starts the app on <paramref name="dataDirectory"/> and <paramref name="database"/>; returns once it is started, healthy or not.</summary>
    Task<RunningServer> StartAsync(string dataDirectory, BenchDatabase database, CancellationToken ct);
}

/// <summary>An app the bench started. Disposing stops it gracefully.</summary>
internal abstract class RunningServer : IAsyncDisposable
{
    public abstract Uri BaseAddress { get; }

    /// <summary>The process to sample for CPU and memory.</summary>
    public abstract int ProcessId { get; }

    /// <summary>Whether the app already stopped (it failed to start).</summary>
    public virtual bool HasExited => false;

    /// <summary>The end of the app's own output, to show when it failed.</summary>
    public virtual string LogTail => string.Empty;

    public abstract ValueTask DisposeAsync();
}

internal static class ServerHealth
{
    /// <summary>Polls <c>GET /health</c> until 200; fails early when the app exits.</summary>
    public static async Task WaitHealthyAsync(RunningServer server, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (server.HasExited)
            {
                throw new InvalidOperationException($"The app exited before it was healthy.{Environment.NewLine}{server.LogTail}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("health", UriKind.Relative), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // A slow answer while it starts; ask again.
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"The app was not healthy within {timeout.TotalSeconds:0} s.{Environment.NewLine}{server.LogTail}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }
    }

    /// <summary>The demo integration's id and secret, from the <c>demo-credentials.json</c> the app wrote (§11).</summary>
    public static (int Id, string Secret) ReadDemoIntegration(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, DemoSeeder.CredentialsFileName);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The app wrote no {DemoSeeder.CredentialsFileName} in {dataDirectory}; is the demo seed off?");
        }

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var integration = json.RootElement.GetProperty("integration");
        return (integration.GetProperty("id").GetInt32(), integration.GetProperty("secret").GetString()!);
    }
}
