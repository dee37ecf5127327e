namespace OrleansNodes.Client.Tests.Security;

/// <summary>
/// The console against a silo with mutual TLS: a certificate from the silo's authority gets
/// through; no TLS, a certificate from another authority, or trusting another authority gets
/// one line and exit code 3.
/// </summary>
public sealed class TlsTests(TlsSilo silo) : IClassFixture<TlsSilo>
{
    [Fact]
    public void KvPutGet_CertificateFromTheSilosAuthority_Works()
    {
        var put = silo.RunWithTls(silo.ClientCertificate, silo.Authority.PemPath, "kv", "put", "tls", "yes");
        Assert.True(put.ExitCode == ExitCodes.Ok, put.Error);
        var get = silo.RunWithTls(silo.ClientCertificate, silo.Authority.PemPath, "kv", "get", "tls");
        Assert.True(get.ExitCode == ExitCodes.Ok, get.Error);
        Assert.Equal("yes", get.Output.Trim());
    }

    [Fact]
    public void KvGet_WithoutTls_SaysTheSiloRequiresTls()
    {
        var run = silo.Run("kv", "get", "tls", "--timeout-ms", "5000");
        run.AssertCleanError(ExitCodes.Unavailable);
        Assert.Contains("the silo requires TLS", run.Error);
    }

    [Fact]
    public void KvGet_CertificateFromAnotherAuthority_IsRefusedBySilo()
    {
        var run = silo.RunWithTls(silo.StrangerCertificate, silo.Authority.PemPath, "kv", "get", "tls", "--timeout-ms", "5000");
        run.AssertCleanError(ExitCodes.Unavailable);
        Assert.True(run.Error.Contains("does not trust this client certificate", StringComparison.Ordinal), run.Error);
    }

    [Fact]
    public void KvGet_TrustingAnotherAuthority_RefusesTheSilosCertificate()
    {
        var run = silo.RunWithTls(silo.ClientCertificate, silo.Stranger.PemPath, "kv", "get", "tls", "--timeout-ms", "5000");
        run.AssertCleanError(ExitCodes.Unavailable);
        Assert.Contains("the silo's certificate 'CN=silo' is not trusted", run.Error);
    }

    [Fact]
    public void KvGet_WrongPassword_BadInput()
    {
        var other = silo.Authority.IssuePfx("other-password", "not-" + TlsSilo.Password);
        var run = silo.RunWithTls(other, silo.Authority.PemPath, "kv", "get", "tls");
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Contains("password may be incorrect", run.Error);
    }

    [Fact]
    public void KvGet_AuthorityWithoutCertificate_BadInput()
    {
        var run = silo.Run("kv", "get", "tls", "--tls-ca", silo.Authority.PemPath);
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Contains("--tls-ca needs --tls-certificate", run.Error);
    }
}
