using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace OrleansNodes.Security;

/// <summary>
/// One process's side of mutual TLS between silos and between the console and a silo: its own
/// certificate (a .pfx with the private key) and the authority a peer's certificate must chain
/// to (a PEM or DER file, or the machine's trust store when none is given). Both ends present a
/// certificate and both check the other's; nothing is ever accepted without a valid chain.
/// The silo and the console compile this same file (client/OrleansNodes.Client.csproj links
/// it), so the two cannot drift apart on what they trust.
/// </summary>
public sealed class TlsCredentials
{
    // The console and the silo both open and accept connections (a silo is a TLS client towards
    // other silos), so one certificate must be usable for both roles.
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    private TlsCredentials(X509Certificate2 certificate, X509Certificate2Collection? authorities)
    {
        Certificate = certificate;
        Authorities = authorities;
    }

    /// <summary>This process's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificates a peer's chain must end in, or null for the machine's trust store.</summary>
    public X509Certificate2Collection? Authorities { get; }

    /// <summary>
    /// Loads the certificate and the authority; on any problem (missing or unreadable file, wrong
    /// password, no private key, expired, not usable for both TLS roles) returns null and a
    /// one-line <paramref name="problem"/> naming the file.
    /// </summary>
    public static TlsCredentials? Load(string certificatePath, string? password, string? authorityPath, out string? problem)
    {
        var certificate = LoadCertificate(certificatePath, password, out problem);
        if (certificate is null) return null;
        if (string.IsNullOrEmpty(authorityPath)) return new TlsCredentials(certificate, null);
        var authorities = LoadAuthorities(authorityPath, out problem);
        return authorities is null ? null : new TlsCredentials(certificate, authorities);
    }

    /// <summary>
    /// Mutual TLS: this process presents <see cref="Certificate"/> whether it accepts or opens a
    /// connection, and requires the peer's certificate, validated by <see cref="Validate"/>.
    /// </summary>
    public void Configure(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = Validate;
        if (Authorities is null) return;

        // Let SslStream build the peer's chain against our authority alone, the machine's trust
        // store playing no part (validity dates are still checked). Revocation is not checked: a
        // private cluster authority rarely publishes a revocation list, and an unreachable list
        // would fail every handshake; rotate the authority to revoke.
        options.OnAuthenticateAsServer = (_, server) => ((SslServerAuthenticationOptions)server.SslServerAuthenticationOptions).CertificateChainPolicy = ChainPolicy();
        options.OnAuthenticateAsClient = (_, client) => ((SslClientAuthenticationOptions)client.SslClientAuthenticationOptions).CertificateChainPolicy = ChainPolicy();
    }

    /// <summary>
    /// Accepts a peer's certificate when its chain is valid (to <see cref="Authorities"/> when
    /// given, otherwise to the machine's trust store). The name in it is not compared with the
    /// address dialled: silos reach each other by IP addresses that change with every pod, so
    /// what identifies a member is a certificate its cluster's authority issued.
    /// </summary>
    public bool Validate(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors) =>
        (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;

    private X509ChainPolicy ChainPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(Authorities!);
        return policy;
    }

    private static X509Certificate2? LoadCertificate(string path, string? password, out string? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            problem = $"the TLS certificate '{path}' does not exist";
            return null;
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(password) ? null : password);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            // A wrong password says so; anything else is most likely not a PKCS#12 file at all.
            var why = exception is CryptographicException && !exception.Message.Contains("password", StringComparison.OrdinalIgnoreCase)
                ? $"it is not a PKCS#12 (.pfx) file with a certificate and its private key ({OneLine(exception.Message)})"
                : OneLine(exception.Message);
            problem = $"cannot read the TLS certificate '{path}': {why}";
            return null;
        }
        if (CertificateProblem(certificate) is not { } reason) return certificate;
        problem = $"the TLS certificate '{path}' {reason}";
        certificate.Dispose();
        return null;
    }

    // A PEM file may hold several authorities (a bundle); a DER file holds one.
    private static X509Certificate2Collection? LoadAuthorities(string path, out string? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            problem = $"the TLS certificate authority '{path}' does not exist";
            return null;
        }
        var authorities = new X509Certificate2Collection();
        try
        {
            if (File.ReadAllText(path).Contains("-----BEGIN", StringComparison.Ordinal)) authorities.ImportFromPemFile(path);
            else authorities.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            problem = $"cannot read the TLS certificate authority '{path}': {OneLine(exception.Message)}";
            return null;
        }
        if (authorities.Count > 0) return authorities;
        problem = $"the TLS certificate authority '{path}' holds no certificate";
        return null;
    }

    private static string? CertificateProblem(X509Certificate2 certificate)
    {
        if (!certificate.HasPrivateKey) return "has no private key";
        var now = DateTime.Now;
        if (certificate.NotAfter < now) return $"expired on {certificate.NotAfter:yyyy-MM-dd}";
        if (certificate.NotBefore > now) return $"is not valid before {certificate.NotBefore:yyyy-MM-dd}";
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()?.EnhancedKeyUsages;
        if (usages is not null && (usages[ServerAuthOid] is null || usages[ClientAuthOid] is null))
            return "must allow both server and client authentication (extended key usages 1.3.6.1.5.5.7.3.1 and .2)";
        return null;
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
