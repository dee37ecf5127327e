using System.Net;
using System.Net.Sockets;

namespace OrleansNodes.TestServers;

/// <summary>
/// Loopback ports nobody listens on now, taken below the kernel's ephemeral range: a port the
/// kernel hands out for port 0 can become another process's outgoing connection before the
/// silo binds it ("Address already in use"); one below the range cannot.
/// </summary>
public static class FreePorts
{
    private const int Lowest = 20_000;
    private static readonly object Gate = new();
    private static readonly Random Pick = new(Environment.ProcessId);

    /// <summary><paramref name="count"/> distinct free ports.</summary>
    public static int[] Take(int count)
    {
        var ceiling = EphemeralRangeStart();
        var ports = new List<int>(count);
        lock (Gate)
        {
            while (ports.Count < count)
            {
                var port = Pick.Next(Lowest, ceiling);
                if (!ports.Contains(port) && CanBind(port)) ports.Add(port);
            }
        }
        return [.. ports];
    }

    /// <summary>Whether something accepts TCP connections at <paramref name="port"/> on loopback.</summary>
    public static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool CanBind(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // Linux names it in /proc; elsewhere the IANA range's start is a safe ceiling.
    private static int EphemeralRangeStart()
    {
        try
        {
            var first = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0];
            return int.TryParse(first, out var start) && start > Lowest + 1_000 ? start : 49_152;
        }
        catch (IOException)
        {
            return 49_152;
        }
    }
}
