using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansNodes.Client.Tests.Security;

/// <summary>
/// A throwaway certificate authority for TLS tests, made with <see cref="CertificateRequest"/>:
/// its certificate as PEM, and leaf certificates it issues as password-protected .pfx files
/// usable for both TLS roles (a silo is a server to consoles and a client to other silos).
/// Files live in a temporary folder the test deletes.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly string _folder;
    private int _issued;

    /// <summary>Creates the authority <c>CN=<paramref name="name"/></c> and writes its certificate to <see cref="PemPath"/>.</summary>
    public TestCertificateAuthority(string folder, string name)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        _certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        PemPath = Path.Combine(folder, $"{name}.pem");
        File.WriteAllText(PemPath, _certificate.ExportCertificatePem());
    }

    /// <summary>The authority's certificate, PEM encoded, as <c>--tls-ca</c> takes it.</summary>
    public string PemPath { get; }

    /// <summary>Issues <c>CN=<paramref name="name"/></c> for localhost and 127.0.0.1 and writes it with its key to a .pfx; returns the path.</summary>
    public string IssuePfx(string name, string password)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([Oid.FromOidValue("1.3.6.1.5.5.7.3.1", OidGroup.EnhancedKeyUsage), Oid.FromOidValue("1.3.6.1.5.5.7.3.2", OidGroup.EnhancedKeyUsage)], critical: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        var now = DateTimeOffset.UtcNow;
        byte[] serial = [0x01, (byte)++_issued];
        using var issued = request.Create(_certificate, now.AddHours(-1), now.AddDays(2), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        var path = Path.Combine(_folder, $"{name}.pfx");
        File.WriteAllBytes(path, withKey.Export(X509ContentType.Pfx, password));
        return path;
    }

    /// <inheritdoc/>
    public void Dispose() => _certificate.Dispose();
}
