using OrleansNodes.Client.Testing;
using OrleansNodes.Core;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Client.Tests.Testing;

/// <summary>Which acknowledged writes the final reads prove lost, and which they cannot.</summary>
public sealed class LostWritesTests
{
    // Two load clients (0 and 1); final reads come from client 2.
    private const int LoadClients = 2;

    private static Operation Op(int id, int client, Command command, long invoke, long? complete, OperationResult? result = null) =>
        new(id, new ClientId(client), command, invoke, complete, result ?? (complete is null ? OperationResult.Unknown : OperationResult.Ok));

    private static Operation FinalRead(int id, string key, string? value) => Op(id, LoadClients, Command.Get(key), 100, 101, OperationResult.Read(value));

    [Fact]
    public void Find_ReadShowsTheLastWrite_NothingLost()
    {
        var history = new History([Op(0, 0, Command.Put("k", "a"), 1, 2), Op(1, 1, Command.Put("k", "b"), 3, 4), FinalRead(2, "k", "b")]);

        Assert.Empty(LostWrites.Find(history, LoadClients));
    }

    [Fact]
    public void Find_ReadShowsAWriteThatFinishedBeforeALaterAcknowledgedOne_TheLaterIsLost()
    {
        var later = Op(1, 1, Command.Put("k", "b"), 3, 4);
        var history = new History([Op(0, 0, Command.Put("k", "a"), 1, 2), later, FinalRead(2, "k", "a")]);

        Assert.Equal([later], LostWrites.Find(history, LoadClients));
    }

    [Fact]
    public void Find_ReadShowsAWriteThatOverlapsTheOther_NothingLost()
    {
        // a may have taken effect after b: reading a proves nothing.
        var history = new History([Op(0, 0, Command.Put("k", "a"), 1, 5), Op(1, 1, Command.Put("k", "b"), 3, 4), FinalRead(2, "k", "a")]);

        Assert.Empty(LostWrites.Find(history, LoadClients));
    }

    [Fact]
    public void Find_ReadShowsAWriteWithUnknownOutcome_NothingLost()
    {
        // The unknown put may have taken effect at any time, after b too.
        var history = new History([Op(0, 0, Command.Put("k", "a"), 1, null), Op(1, 1, Command.Put("k", "b"), 3, 4), FinalRead(2, "k", "a")]);

        Assert.Empty(LostWrites.Find(history, LoadClients));
    }

    [Fact]
    public void Find_AcknowledgedAppendMissingFromTheRead_Lost()
    {
        var missing = Op(2, 1, Command.Append("k", "+c1.0"), 5, 6);
        var history = new History([Op(0, 0, Command.Put("k", "a"), 1, 2), Op(1, 0, Command.Append("k", "+c0.1"), 3, 4), missing, FinalRead(3, "k", "a+c0.1")]);

        Assert.Equal([missing], LostWrites.Find(history, LoadClients));
    }

    [Fact]
    public void Find_ReadShowsTheInitialValueAfterAnAcknowledgedPut_PutLost()
    {
        var put = Op(0, 0, Command.Put("k", "a"), 1, 2);
        var history = new History([put, FinalRead(1, "k", "start")], new Dictionary<string, string?> { ["k"] = "start" });

        Assert.Equal([put], LostWrites.Find(history, LoadClients));
    }

    [Fact]
    public void Find_KeyAbsentAfterAnAcknowledgedDelete_NothingLost()
    {
        var history = new History([Op(0, 0, Command.Put("k", "a"), 1, 2), Op(1, 1, Command.Delete("k"), 3, 4), FinalRead(2, "k", null)]);

        Assert.Empty(LostWrites.Find(history, LoadClients));
    }

    [Fact]
    public void Find_NoAnsweredFinalRead_NothingCounted()
    {
        var history = new History([Op(0, 0, Command.Put("k", "a"), 1, 2), Op(1, 1, Command.Put("k", "b"), 3, 4)]);

        Assert.Empty(LostWrites.Find(history, LoadClients));
    }
}
