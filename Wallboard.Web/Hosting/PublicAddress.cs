using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Wallboard.Web.Data;

namespace Wallboard.Web.Hosting;

/// <summary>
/// The address a person opens the app at, for the links the app prints and writes: <c>Wallboard:PublicBaseUrl</c>
/// when set (the app behind a proxy), else the address the app really listens on (<c>--urls</c>; a
/// wildcard host as localhost), else the default. Known only once the server listens.
/// </summary>
public static class PublicAddress
{
    public static Uri Of(IServiceProvider services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration["Wallboard:PublicBaseUrl"];
        var address = !string.IsNullOrWhiteSpace(configured)
            ? configured.Trim()
            : services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses
                  .OrderBy(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 0 : 1).FirstOrDefault()
              ?? DemoSeeder.DefaultAddress;
        address = address
            .Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal);
        return new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>The same path and query at <paramref name="address"/>.</summary>
    public static string Rebase(string url, Uri address) =>
        Uri.TryCreate(url, UriKind.Absolute, out var old) ? new Uri(address, old.PathAndQuery.TrimStart('/')).ToString() : url;
}
