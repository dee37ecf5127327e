namespace OrleansNodes.Client.Tests.Security;

/// <summary>
/// A silo with mutual TLS: its certificate issued by <see cref="Authority"/>, which is also the
/// only authority it trusts. A second, unrelated authority (<see cref="Stranger"/>) issues the
/// certificates it must refuse.
/// </summary>
public sealed class TlsSilo : SiloProcess
{
    /// <summary>Every .pfx here has this password; the console reads it from its environment variable.</summary>
    public const string Password = "orleansnodes-test";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"orleansnodes-tls-tests-{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>Creates both authorities and the certificates the tests use.</summary>
    public TlsSilo()
    {
        Authority = new TestCertificateAuthority(_folder, "cluster-ca");
        Stranger = new TestCertificateAuthority(_folder, "stranger-ca");
        SiloCertificate = Authority.IssuePfx("silo", Password);
        ClientCertificate = Authority.IssuePfx("console", Password);
        StrangerCertificate = Stranger.IssuePfx("intruder", Password);
        // The console runs in this process and reads the password from the environment. Every
        // certificate here shares it, so parallel test classes never disagree about its value.
        Environment.SetEnvironmentVariable(OrleansNodes.Client.Remote.RemoteOptions.TlsPasswordVariable, Password);
    }

    /// <summary>The authority the silo trusts and that issued its certificate.</summary>
    public TestCertificateAuthority Authority { get; }

    /// <summary>An authority the silo knows nothing about.</summary>
    public TestCertificateAuthority Stranger { get; }

    /// <summary>The silo's own certificate.</summary>
    public string SiloCertificate { get; }

    /// <summary>A console certificate from <see cref="Authority"/>.</summary>
    public string ClientCertificate { get; }

    /// <summary>A certificate from <see cref="Stranger"/>.</summary>
    public string StrangerCertificate { get; }

    /// <summary>The console with TLS switches for the given certificate and authority.</summary>
    public ConsoleRun RunWithTls(string certificate, string authority, params string[] args) =>
        Run([.. args, "--tls-certificate", certificate, "--tls-ca", authority]);

    /// <inheritdoc/>
    protected override IEnumerable<string> Arguments(OrleansNodes.TestServers.SiloProcess silo) =>
        ["--tls-certificate", SiloCertificate, "--tls-ca", Authority.PemPath];

    /// <inheritdoc/>
    protected override IReadOnlyDictionary<string, string> SiloEnvironment =>
        new Dictionary<string, string> { ["ORLEANSNODES__TLS__CERTIFICATEPASSWORD"] = Password };

    /// <inheritdoc/>
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Authority.Dispose();
        Stranger.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
