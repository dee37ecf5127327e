using System.Net;
using System.Net.Sockets;

namespace OrleansNodes.Silo;

/// <summary>
/// Checks that the silo and gateway ports are free before Orleans starts. Orleans finds out only
/// deep in its startup, logs the failure with stack traces at every lifecycle stage and the
/// process aborts; several silos on one machine make a forgotten <c>--silo-port</c> common.
/// </summary>
public static class ListenPorts
{
    /// <summary>One line naming the first port something else already listens on, or null.</summary>
    public static string? FindPortInUse(HostSettings settings)
    {
        // Where the profile listens: loopback for the embedded profile and a loopback advertised
        // address, every interface otherwise (StorageProfiles' ConfigureEndpoints).
        var address = settings.Storage != StorageProfiles.Embedded && (settings.Kubernetes || settings.AdvertisedIp() is not { } ip || !IPAddress.IsLoopback(ip))
            ? IPAddress.Any
            : IPAddress.Loopback;
        foreach (var (name, port, option) in new[] { ("SiloPort", settings.SiloPort, "--silo-port"), ("GatewayPort", settings.GatewayPort, "--gateway-port") })
        {
            if (InUse(address, port))
                return $"{name} {port} is already in use on {address} (another silo on this machine? choose another with {option})";
        }
        return null;
    }

    private static bool InUse(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
            return false;
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        finally
        {
            listener.Stop();
        }
    }
}
