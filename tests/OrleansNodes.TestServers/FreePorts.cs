using System.Net;
using System.Net.Sockets;

namespace OrleansNodes.TestServers;

/// <summary>Loopback ports nobody listens on now.</summary>
public static class FreePorts
{
    /// <summary><paramref name="count"/> distinct free ports, held together while chosen so that they differ.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
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
}
