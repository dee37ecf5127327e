using System.Net;
using System.Net.Sockets;

namespace OrleansNodes.Client.Remote;

/// <summary>
/// Asks, once, whether every gateway refuses a TCP connection outright: nothing listens on any
/// of them, and waiting out the timeout would only delay saying so. A gateway that accepts the
/// connection (even one whose silo is frozen and never answers the handshake), or that does not
/// answer within the bound (a host that is down, a firewall that drops), is not a refusal: the
/// console keeps trying those for the whole timeout. Asked only after Orleans failed to connect,
/// so a console that connects never opens an extra connection to a silo.
/// </summary>
internal sealed class RefusalProbe
{
    private readonly Lazy<Task<bool>> _allRefused;

    /// <summary>A probe of <paramref name="gateways"/>, each connection attempt bounded by <paramref name="bound"/>.</summary>
    public RefusalProbe(IReadOnlyList<IPEndPoint> gateways, TimeSpan bound) =>
        _allRefused = new(async () => (await Task.WhenAll(gateways.Select(g => RefusesAsync(g, bound)))).All(refused => refused));

    /// <summary>Whether the probe ran and every gateway refused.</summary>
    public bool AllRefused => _allRefused is { IsValueCreated: true, Value.IsCompletedSuccessfully: true } && _allRefused.Value.Result;

    /// <summary>Probes on the first call; every call answers with the first probe's result.</summary>
    public Task<bool> AllRefusedAsync() => _allRefused.Value;

    private static async Task<bool> RefusesAsync(IPEndPoint gateway, TimeSpan bound)
    {
        using var cancellation = new CancellationTokenSource(bound);
        try
        {
            using var tcp = new TcpClient(gateway.AddressFamily);
            await tcp.ConnectAsync(gateway, cancellation.Token);
            return false;
        }
        catch (SocketException exception)
        {
            return exception.SocketErrorCode == SocketError.ConnectionRefused;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
