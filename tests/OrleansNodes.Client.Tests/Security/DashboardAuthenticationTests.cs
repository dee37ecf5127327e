using System.Net;
using System.Net.Http.Headers;

namespace OrleansNodes.Client.Tests.Security;

/// <summary>
/// A silo on a non-loopback Url: the dashboard, <c>/status</c>, <c>/metrics</c>, the protocol page and <c>/</c> answer 401 with a
/// basic challenge unless the request carries the configured credentials; the health
/// endpoints stay anonymous.
/// </summary>
public sealed class DashboardAuthenticationTests(AuthenticatedSilo silo) : IClassFixture<AuthenticatedSilo>
{
    [Theory]
    [InlineData("status")]
    [InlineData("status/kv")]
    [InlineData("dashboard/")]
    [InlineData("metrics")]
    [InlineData("protocol/")]
    [InlineData("protocol")]
    [InlineData("protocol/protocol.js")]
    [InlineData("")]
    public async Task Get_NoCredentials_401WithBasicChallenge(string path)
    {
        using var response = await GetAsync(path, authorization: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"orleansnodes\"", Assert.Single(response.Headers.WwwAuthenticate).ToString());
    }

    [Fact]
    public async Task GetStatus_RightCredentials_200()
    {
        using var response = await GetAsync("status", AuthenticatedSilo.Basic(AuthenticatedSilo.Username, AuthenticatedSilo.Password));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"name\":\"kv\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(AuthenticatedSilo.Username, "wrong")]
    [InlineData("someone", AuthenticatedSilo.Password)]
    [InlineData(AuthenticatedSilo.Username, AuthenticatedSilo.Password + "x")]
    public async Task GetStatus_WrongCredentials_401(string username, string password)
    {
        using var response = await GetAsync("status", AuthenticatedSilo.Basic(username, password));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task GetStatus_NotBase64_401()
    {
        using var response = await GetAsync("status", new AuthenticationHeaderValue("Basic", "%%%"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("healthz/ready")]
    [InlineData("healthz/live")]
    public async Task GetHealth_NoCredentials_200Healthy(string path)
    {
        using var response = await GetAsync(path, authorization: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("http://0.0.0.0:{0}")]
    [InlineData("http://[::]:{0}")]
    public async Task Start_NonLoopbackUrlWithoutCredentials_ExitCode2(string url)
    {
        var ports = OrleansNodes.TestServers.FreePorts.Take(3);
        var (exitCode, error) = await SiloProcess.RunToExitAsync(
            ["--url", string.Format(url, ports[2]), "--gateway-port", ports[0].ToString(), "--silo-port", ports[1].ToString(), "--data", Path.Combine(Path.GetTempPath(), "orleansnodes-never-created")]);
        TlsStartupTests.AssertOneLineError(exitCode, error, $"error: Url '{string.Format(url, ports[2])}' is not loopback, so the dashboard needs Dashboard:Username and Dashboard:Password");
    }

    [Fact]
    public async Task Start_UsernameWithoutPassword_ExitCode2()
    {
        var ports = OrleansNodes.TestServers.FreePorts.Take(3);
        var (exitCode, error) = await SiloProcess.RunToExitAsync(
            ["--url", $"http://127.0.0.1:{ports[2]}", "--gateway-port", ports[0].ToString(), "--silo-port", ports[1].ToString(), "--data", Path.Combine(Path.GetTempPath(), "orleansnodes-never-created")],
            new Dictionary<string, string> { ["ORLEANSNODES__DASHBOARD__USERNAME"] = "operator" });
        TlsStartupTests.AssertOneLineError(exitCode, error, "error: Dashboard:Username and Dashboard:Password must be given together");
    }

    private async Task<HttpResponseMessage> GetAsync(string path, AuthenticationHeaderValue? authorization)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.Url, path)) { Headers = { Authorization = authorization } };
        return await http.SendAsync(request);
    }
}
