using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Wallboard.Web.Cluster;

/// <summary>
/// <c>Wallboard:Proxy</c>: the load balancers or reverse proxies whose <c>X-Forwarded-*</c> headers
/// the app believes. Empty (the default) believes none: the client address is the connection's, the
/// scheme and host the request's. With a proxy listed, a request from it gets the client address
/// (the sign-in limits count per person, not per proxy), the scheme (the sign-in cookie is Secure
/// behind a TLS-terminating proxy) and the host (Twilio's signature is checked against the public
/// address) the proxy saw.
/// </summary>
public sealed class ProxyOptions
{
    public const string Section = "Wallboard:Proxy";

    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row to believe (a CDN in front of the balancer is 2).</summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Hosts <c>X-Forwarded-Host</c> may name (empty: any the trusted proxy sends).</summary>
    public List<string> AllowedHosts { get; set; } = [];

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    internal void Apply(ForwardedHeadersOptions forwarded)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        forwarded.ForwardLimit = ForwardLimit;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies)
        {
            if (IPAddress.TryParse(proxy, out var address))
            {
                forwarded.KnownProxies.Add(address);
            }
        }

        foreach (var network in KnownNetworks)
        {
            if (System.Net.IPNetwork.TryParse(network, out var parsed))
            {
                forwarded.KnownIPNetworks.Add(parsed);
            }
        }

        forwarded.AllowedHosts = AllowedHosts;
    }

    /// <summary>A proxy entry that is not an address or a network stops the app at start-up.</summary>
    internal sealed class Validator : IValidateOptions<ProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, ProxyOptions options)
        {
            var bad = options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _)).Select(p => $"Wallboard:Proxy:KnownProxies has '{p}', which is not an IP address.")
                .Concat(options.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)).Select(n => $"Wallboard:Proxy:KnownNetworks has '{n}', which is not a network like 10.0.0.0/24."))
                .ToList();
            if (options.ForwardLimit < 1)
            {
                bad.Add("Wallboard:Proxy:ForwardLimit must be 1 or more.");
            }

            return bad.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(bad);
        }
    }
}
