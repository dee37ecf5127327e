using System.Net;
using System.Net.Sockets;

namespace OrleansNodes.Silo;

/// <summary>
/// Checks that the silo, gateway and HTTP ports are free before Orleans starts. Orleans finds out
/// only deep in its startup, logs the failure with stack traces at every lifecycle stage and the
/// process aborts; Kestrel finds a taken HTTP port only after Orleans has started (and opened the
/// data file beside the silo that holds the port). Several silos on one machine make a forgotten
/// <c>--silo-port</c> or <c>--url</c> common.
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
        if (Uri.TryCreate(settings.Url, UriKind.Absolute, out var url) && WebAddresses(url).FirstOrDefault(a => InUse(a, url.Port)) is { } taken)
            return $"Url {settings.Url}: port {url.Port} is already in use on {taken} (another silo on this machine? choose another with --url)";
        return null;
    }

    // Where Kestrel binds the URL: "localhost" means both loopbacks, a name other than an IP address every interface.
    private static IEnumerable<IPAddress> WebAddresses(Uri url) =>
        url.IsLoopback && !IPAddress.TryParse(url.Host, out _) ? [IPAddress.Loopback]
        : IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) ? [ip]
        : [IPAddress.Any];

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
