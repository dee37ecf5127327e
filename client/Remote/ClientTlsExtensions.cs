using OrleansNodes.Security;

namespace OrleansNodes.Client.Remote;

/// <summary>Turns on mutual TLS for the console's gateway connections when the target asks for it.</summary>
internal static class ClientTlsExtensions
{
    /// <summary>Mutual TLS with <paramref name="tls"/>, checks reported to <paramref name="observer"/>; plain connections when <paramref name="tls"/> is null.</summary>
    public static IClientBuilder ConfigureTls(this IClientBuilder client, TlsCredentials? tls, TlsHandshakeObserver observer) =>
        tls is null ? client : client.UseTls(options =>
        {
            tls.Configure(options);
            options.RemoteCertificateValidation = observer.Observe(options.RemoteCertificateValidation!);
        });
}
