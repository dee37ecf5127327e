using System.Net;
using System.Net.Sockets;
using OrleansNodes.Client.Testing;
using OrleansNodes.TestServers;

namespace OrleansNodes.Client.Tests.Testing;

/// <summary>The silos <c>orleansnodes test</c> starts, when a port it picked is taken before the silo binds it.</summary>
public sealed class LocalClusterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansnodes-localcluster-").FullName;
    private readonly TcpListener _taken = new(IPAddress.Loopback, 0);

    public LocalClusterTests() => _taken.Start();

    private int TakenPort => ((IPEndPoint)_taken.LocalEndpoint).Port;

    private static SiloLaunch Silo => new("dotnet", [Repository.Built("silo", "orleansnodes-silo")]);

    [Fact(Timeout = 180_000)]
    public async Task StartAsync_TheSiloPortIsTakenAtFirst_TheSiloStartsOnFreshPorts()
    {
        var picks = 0;
        int[] Pick(int count) => Interlocked.Increment(ref picks) == 1 ? [TakenPort, .. LoopbackPorts.Take(count - 1)] : LoopbackPorts.Take(count);

        await using var cluster = await LocalCluster.StartAsync(Silo, 1, redis: false, _folder, CancellationToken.None, Pick);

        Assert.Equal(2, picks);
        Assert.Contains($"SiloPort {TakenPort} is already in use", await File.ReadAllTextAsync(Path.Combine(_folder, "silo0", "silo.log")));
    }

    [Fact(Timeout = 180_000)]
    public async Task StartAsync_ThePortIsTakenOnEveryTry_GivesUpAfterThreeWithOneLine()
    {
        var picks = 0;
        int[] Pick(int count)
        {
            Interlocked.Increment(ref picks);
            return [TakenPort, .. LoopbackPorts.Take(count - 1)];
        }

        var error = await Assert.ThrowsAsync<CliException>(() => LocalCluster.StartAsync(Silo, 1, redis: false, _folder, CancellationToken.None, Pick));

        Assert.Equal(3, picks);
        Assert.StartsWith("silo 0 exited while starting (its output: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose()
    {
        _taken.Stop();
        _taken.Dispose();
        TempFolder.TryDelete(_folder);
    }
}
