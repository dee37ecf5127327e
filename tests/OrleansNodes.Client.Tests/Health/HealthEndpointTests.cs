using System.Net;

namespace OrleansNodes.Client.Tests.Health;

/// <summary>The health endpoints of a plain loopback silo: plain text, 200 when healthy, no credentials.</summary>
public sealed class HealthEndpointTests(SiloProcess silo) : IClassFixture<SiloProcess>
{
    [Theory]
    [InlineData("healthz/live")]
    [InlineData("healthz/ready")]
    public async Task Get_StartedSilo_200HealthyPlainText(string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        // The fixture waited for the default cluster to serve, so the silo is an active member
        // that answers grain calls; poll anyway, bounded by attempts, in case a probe lands
        // while the registry is still activating under load.
        HttpResponseMessage response = await http.GetAsync(new Uri(silo.Url, path));
        for (var attempt = 0; attempt < 40 && response.StatusCode != HttpStatusCode.OK; attempt++)
        {
            response.Dispose();
            await Task.Delay(250);
            response = await http.GetAsync(new Uri(silo.Url, path));
        }
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }
    }
}
