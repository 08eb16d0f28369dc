using System.Net;
using System.Net.Sockets;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// Loopback ports for the services a test starts as separate processes (PostgreSQL, app nodes,
/// HAProxy). Free ports from the system, or, when <c>WALLBOARD_TEST_PORTS</c> names a band
/// (<c>55460-55489</c>), free ports from that band only, for machines where several suites run side
/// by side and each keeps to its own ports.
/// </summary>
internal static class TestPorts
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Given = [];

    public static int Take()
    {
        lock (Gate)
        {
            var band = Environment.GetEnvironmentVariable("WALLBOARD_TEST_PORTS")?.Split('-');
            if (band is [var first, var last] && int.TryParse(first, out var from) && int.TryParse(last, out var to))
            {
                for (var port = from; port <= to; port++)
                {
                    if (!Given.Contains(port) && IsFree(port))
                    {
                        Given.Add(port);
                        return port;
                    }
                }

                throw new InvalidOperationException($"No free port left in WALLBOARD_TEST_PORTS={from}-{to}.");
            }

            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var free = ((IPEndPoint)probe.LocalEndpoint).Port;
            Given.Add(free);
            return free;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
