namespace OrleansNodes.Client.Tests.Security;

/// <summary>A silo given TLS settings it cannot use refuses to start: one <c>error:</c> line, exit code 2.</summary>
public sealed class TlsStartupTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"orleansnodes-tls-startup-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private readonly TestCertificateAuthority _authority;

    public TlsStartupTests() => _authority = new TestCertificateAuthority(_folder, "startup-ca");

    [Fact]
    public async Task Start_WrongCertificatePassword_ExitCode2()
    {
        var certificate = _authority.IssuePfx("silo", "right");
        var (exitCode, error) = await StartAsync(["--tls-certificate", certificate, "--tls-ca", _authority.PemPath], password: "wrong");
        AssertOneLineError(exitCode, error, $"error: cannot read the TLS certificate '{certificate}': ");
        Assert.Contains("password may be incorrect", error);
    }

    [Fact]
    public async Task Start_MissingCertificate_ExitCode2()
    {
        var missing = Path.Combine(_folder, "missing.pfx");
        var (exitCode, error) = await StartAsync(["--tls-certificate", missing]);
        AssertOneLineError(exitCode, error, $"error: the TLS certificate '{missing}' does not exist");
    }

    [Fact]
    public async Task Start_PemInsteadOfPfx_ExitCode2()
    {
        var (exitCode, error) = await StartAsync(["--tls-certificate", _authority.PemPath]);
        AssertOneLineError(exitCode, error, $"error: cannot read the TLS certificate '{_authority.PemPath}': it is not a PKCS#12 (.pfx) file");
    }

    [Fact]
    public async Task Start_AuthorityWithoutCertificate_ExitCode2()
    {
        var (exitCode, error) = await StartAsync(["--tls-ca", _authority.PemPath]);
        AssertOneLineError(exitCode, error, "error: Tls:CaCertificatePath (--tls-ca) needs Tls:CertificatePath (--tls-certificate)");
    }

    public void Dispose()
    {
        _authority.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    // Free ports and a data folder that is never created: the silo must stop before using either.
    private Task<(int ExitCode, string Error)> StartAsync(string[] tls, string password = "")
    {
        var ports = SiloProcess.FreePorts(3);
        string[] args = ["--data", Path.Combine(_folder, "data"), "--url", $"http://127.0.0.1:{ports[2]}", "--gateway-port", ports[0].ToString(), "--silo-port", ports[1].ToString(), .. tls];
        return SiloProcess.RunToExitAsync(args, new Dictionary<string, string> { ["ORLEANSNODES__TLS__CERTIFICATEPASSWORD"] = password });
    }

    internal static void AssertOneLineError(int exitCode, string error, string expectedStart)
    {
        Assert.Equal(2, exitCode);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith(expectedStart, lines[0]);
    }
}
