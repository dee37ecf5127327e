using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace OrleansNodes.Client.Remote;

/// <summary>
/// Asks a gateway whether it speaks TLS, by starting a TLS handshake and stopping at the
/// certificate it answers with. Used only to explain a connection a silo closed on a console
/// without TLS; the certificate is never trusted and nothing is sent after the hello.
/// </summary>
internal static class TlsProbe
{
    /// <summary>Whether <paramref name="gateway"/> answered a TLS client hello with a certificate within <paramref name="bound"/>.</summary>
    public static async Task<bool> AnswersTlsAsync(IPEndPoint gateway, TimeSpan bound)
    {
        var answered = false;
        using var cancellation = new CancellationTokenSource(bound);
        try
        {
            using var tcp = new TcpClient(gateway.AddressFamily);
            await tcp.ConnectAsync(gateway, cancellation.Token);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
            {
                answered = certificate is not null;
                return false;
            });
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = gateway.Address.ToString() }, cancellation.Token);
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // The handshake is meant to fail; only whether a certificate came matters.
        }
        return answered;
    }
}
