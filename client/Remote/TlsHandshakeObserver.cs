using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace OrleansNodes.Client.Remote;

/// <summary>
/// What the console's side of its TLS handshakes saw. Orleans closes a connection whose
/// handshake failed without saying why (it only logs), so the console watches its own
/// certificate check to tell "the silo's certificate is not trusted" from "the silo never
/// answered with TLS" from "the silo refused us after the handshake".
/// </summary>
internal sealed class TlsHandshakeObserver
{
    private volatile string? _rejection;
    private volatile bool _sawCertificate;

    /// <summary>Why the last silo certificate was rejected, or null when none was.</summary>
    public string? Rejection => _rejection;

    /// <summary>Whether any silo answered the TLS handshake with a certificate.</summary>
    public bool SawCertificate => _sawCertificate;

    /// <summary><paramref name="validate"/>, recording what it decides.</summary>
    public RemoteCertificateValidator Observe(RemoteCertificateValidator validate) => (certificate, chain, errors) =>
    {
        _sawCertificate = true;
        if (validate(certificate, chain, errors)) return true;
        _rejection = Describe(certificate, chain, errors);
        return false;
    };

    private static string Describe(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var statuses = chain?.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError).Select(s => s.Status.ToString()).Distinct().ToList() ?? [];
        var details = statuses.Count > 0 ? string.Join(", ", statuses) : errors.ToString();
        return $"the silo's certificate '{certificate.Subject}' is not trusted ({details}): check --tls-ca";
    }
}
