using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wallboard.Web;

namespace Wallboard.Tests.Hosting;

/// <summary>
/// The whole app on a real loopback port (Kestrel, not TestServer), so HTTP clients, SignalR and
/// Chromium talk to it as they would in production. Each instance keeps its data in a fresh
/// temporary folder, deleted on dispose. Use as a class fixture.
/// </summary>
public class WallboardAppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);

    public WallboardAppFactory()
    {
        DataDirectory = Directory.CreateTempSubdirectory("wallboard-test-").FullName;
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The temporary folder the app keeps its database and files in.</summary>
    public string DataDirectory { get; }

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client of the real port (not an in-memory TestServer client).</summary>
    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress };

    public async Task InitializeAsync()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        BaseAddress = new Uri(addresses.Addresses.Single() + "/");

        // Tests start once the app says it is ready, as a deployment script waiting on /health would.
        await Services.GetRequiredService<StartupReadiness>().WhenReady.WaitAsync(StartupTimeout);
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Host configuration, not app configuration: Program reads it before Build().
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Wallboard"] = $"Data Source={Path.Combine(DataDirectory, "wallboard.db")}",
            ["Wallboard:DataDirectory"] = DataDirectory,
        }));
        return base.CreateHost(builder);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        GC.SuppressFinalize(this);
    }

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
