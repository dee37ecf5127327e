using System.Security.Cryptography;
using OrleansNodes.TestServers;

namespace OrleansNodes.Silo.Tests.Profiles;

/// <summary>
/// The embedded profile's data file after something damaged it: a silo must refuse to start on
/// it with one line pointing at the backups, and leave it as it found it. SQLite takes an empty
/// file for a new database; a silo that accepted one would create an empty cluster in it, losing
/// every acknowledged write without a word.
/// </summary>
public sealed class DamagedDataFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orleansnodes-damaged-").FullName;

    private string DataFile => Path.Combine(_folder, "orleansnodes.db");

    public void Dispose() => TempFolder.TryDelete(_folder);

    [Theory]
    [InlineData("truncated to nothing", "it is empty (0 bytes)")]
    [InlineData("header overwritten", "file is not a database")]
    [InlineData("truncated to half", "malformed")]
    [InlineData("two pages overwritten", "malformed")]
    public async Task Start_DataFileDamaged_RefusesWithOneLineAndLeavesTheFileAlone(string damage, string cause)
    {
        await WriteAValueAndStopAsync();
        Damage(damage);
        var before = Fingerprint();

        var result = await ProfileErrorTests.RunSiloAsync(["--data", _folder]);

        ProfileErrorTests.AssertOneErrorLine(result, exitCode: 2, "is damaged");
        Assert.Contains(cause, result.Output);
        Assert.Contains("docs/operators.md, \"Data folder and backups\"", result.Output);
        Assert.Equal(before, Fingerprint());
    }

    [Fact]
    public async Task Start_DataFileSound_ServesWhatItHeld()
    {
        await WriteAValueAndStopAsync();

        using var silo = new SiloProcess(["--data", _folder]);
        await silo.StartAsync();
        var get = await ConsoleProcess.RunAsync(["kv", "get", "colour", "--gateway", silo.Gateway]);

        Assert.True(get.ExitCode == 0, get.Output);
        Assert.Equal("blue", get.Output.Trim());
    }

    private async Task WriteAValueAndStopAsync()
    {
        using var silo = new SiloProcess(["--data", _folder]);
        await silo.StartAsync();
        var put = await ConsoleProcess.RunAsync(["kv", "put", "colour", "blue", "--gateway", silo.Gateway]);
        Assert.True(put.ExitCode == 0, put.Output);
        // A clean stop folds the write-ahead log into the file, so the damage below is damage to the data.
        Assert.Equal(0, await silo.StopAsync());
        Assert.False(File.Exists(DataFile + "-wal") && new FileInfo(DataFile + "-wal").Length > 0, "the WAL was not checkpointed by a clean stop");
    }

    private void Damage(string damage)
    {
        var length = new FileInfo(DataFile).Length;
        using var file = new FileStream(DataFile, FileMode.Open, FileAccess.ReadWrite);
        switch (damage)
        {
            case "truncated to nothing":
                file.SetLength(0);
                break;
            case "header overwritten":
                file.Write("this is not a SQLite file at all"u8);
                break;
            case "truncated to half":
                file.SetLength(length / 2);
                break;
            default:
                // Pages 3 and 4 (4 KB each), in the middle of the tables, filled with noise.
                file.Position = 8192;
                file.Write(new Random(3).GetItems<byte>([.. Enumerable.Range(0, 256).Select(b => (byte)b)], 8192));
                break;
        }
    }

    private string Fingerprint() => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(DataFile)));
}
