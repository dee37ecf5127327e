using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Protocols.Tests.KeyValue;

/// <summary>The invariants can fail: each is shown a cluster that breaks it.</summary>
public class KeyValuePropertiesTests
{
    private static readonly bool[] AllUp = [true, true];

    private static KeyValueState Initial(int node) =>
        new KeyValueProtocol().Init(NodeConfig<KeyValueSettings>.Cluster(2, KeyValueSettings.Default, 1)[node]);

    private static KeyValueBatch Batch(long client, string value) =>
        new([new ClientCommand(new ClientId(client), 1, new KeyValueCommand.Put("k", value))]);

    private static KeyValueState WithChosen(KeyValueState state, long slot, KeyValueBatch batch) =>
        state with { Log = state.Log.SetItem(slot, new LogEntry(new Ballot(1, new NodeId(0)), batch, Chosen: true)) };

    // Without deduplication the batch's clients are applied as if the store had never seen them.
    private static KeyValueState Applied(KeyValueState state, KeyValueBatch batch, bool deduplicate = true)
    {
        var store = deduplicate ? state.Store : state.Store with { Sessions = state.Store.Sessions.RemoveRange(batch.Commands.Select(c => c.Client)) };
        return state with
        {
            Log = state.Log.SetItem(state.Store.AppliedIndex + 1, new LogEntry(new Ballot(1, new NodeId(0)), batch, false)),
            Store = store.Apply(state.Store.AppliedIndex + 1, batch, 16, null),
        };
    }

    /// <summary>Feeds each (node, state) as a step of that node, starting from initial states.</summary>
    private static bool HoldsThroughout(Property<KeyValueState> property, params (int Node, KeyValueState State)[] steps)
    {
        var check = property.Start();
        KeyValueState[] states = [Initial(0), Initial(1)];
        if (!check.Holds(new Observation<KeyValueState>(states, AllUp, null, null, 0, 0, 0))) return false;
        var step = 0;
        foreach (var (node, state) in steps)
        {
            var before = states[node];
            states[node] = state;
            if (!check.Holds(new Observation<KeyValueState>(states, AllUp, new NodeId(node), before, ++step, 0, 0))) return false;
        }
        return true;
    }

    [Fact]
    public void Agreement_TwoReplicasChooseDifferentBatchesForOneSlot_Violated()
    {
        Assert.False(HoldsThroughout(KeyValueProperties.Agreement,
            (0, WithChosen(Initial(0), 1, Batch(1, "a"))),
            (1, WithChosen(Initial(1), 1, Batch(1, "b")))));
    }

    [Fact]
    public void Agreement_TwoReplicasChooseSameBatch_Holds()
    {
        Assert.True(HoldsThroughout(KeyValueProperties.Agreement,
            (0, WithChosen(Initial(0), 1, Batch(1, "a"))),
            (1, WithChosen(Initial(1), 1, Batch(1, "a")))));
    }

    [Fact]
    public void Agreement_ConflictAfterFirstReplicaCompactedTheSlot_StillViolated()
    {
        var first = WithChosen(Initial(0), 1, Batch(1, "a"));
        Assert.False(HoldsThroughout(KeyValueProperties.Agreement,
            (0, first),
            (0, first with { Log = first.Log.Clear(), CompactedIndex = 1 }),
            (1, WithChosen(Initial(1), 1, Batch(1, "b")))));
    }

    [Fact]
    public void AppliedPrefix_ReplicasApplyDifferentBatchesAtSameIndex_Violated()
    {
        Assert.False(HoldsThroughout(KeyValueProperties.AppliedPrefix,
            (0, Applied(Initial(0), Batch(1, "a"))),
            (1, Applied(Initial(1), Batch(2, "a")))));
    }

    [Fact]
    public void IdenticalStores_SameIndexDifferentMaps_Violated()
    {
        Assert.False(HoldsThroughout(KeyValueProperties.IdenticalStores,
            (0, Applied(Initial(0), Batch(1, "a"))),
            (1, Applied(Initial(1), Batch(1, "b")))));
    }

    [Fact]
    public void AppliedOnce_RetryExecutedAgain_Violated()
    {
        var once = Applied(Initial(0), Batch(1, "a"));
        Assert.False(HoldsThroughout(KeyValueProperties.AppliedOnce,
            (0, once),
            (0, Applied(once, Batch(1, "a"), deduplicate: false))));
    }

    [Fact]
    public void AppliedOnce_RetryAnsweredFromSession_Holds()
    {
        var once = Applied(Initial(0), Batch(1, "a"));
        Assert.True(HoldsThroughout(KeyValueProperties.AppliedOnce,
            (0, once),
            (0, Applied(once, Batch(1, "a")))));
    }
}
