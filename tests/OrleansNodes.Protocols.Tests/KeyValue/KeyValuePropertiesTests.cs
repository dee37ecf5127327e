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

    /// <summary>Like <see cref="HoldsThroughout"/>, but returns the property's explanation of its first violation (null when it held).</summary>
    private static string? FirstViolation(Property<KeyValueState> property, params (int Node, KeyValueState State)[] steps)
    {
        var check = property.Start();
        KeyValueState[] states = [Initial(0), Initial(1)];
        var step = 0;
        foreach (var (node, state) in steps)
        {
            var before = states[node];
            states[node] = state;
            var observation = new Observation<KeyValueState>(states, AllUp, new NodeId(node), before, ++step, 0, 0);
            if (!check.Holds(observation)) return check.Explain(observation) ?? "(no explanation)";
        }
        return null;
    }

    [Fact]
    public void Agreement_TwoReplicasChooseDifferentBatchesForOneSlot_ExplanationNamesSlotValuesAndReplicas()
    {
        var why = FirstViolation(KeyValueProperties.Agreement,
            (0, WithChosen(Initial(0), 1, Batch(1, "a"))),
            (1, WithChosen(Initial(1), 1, Batch(1, "b"))));

        Assert.Equal($"slot 1 has {Batch(1, "a")} at n0 and {Batch(1, "b")} at n1", why);
    }

    [Fact]
    public void PromiseKept_PromiseGoesDown_ViolatedNamingBothBallots()
    {
        var promised = Initial(0) with { Promised = new Ballot(3, new NodeId(1)) };

        var why = FirstViolation(KeyValueProperties.PromiseKept, (0, promised), (0, promised with { Promised = new Ballot(2, new NodeId(1)) }));

        Assert.Equal("n0's promise went down from 3.n1 to 2.n1", why);
    }

    [Fact]
    public void PromiseKept_AcceptAboveThePromiseWithoutRaisingIt_Violated()
    {
        var accepted = Initial(0) with { Log = Initial(0).Log.SetItem(1, new LogEntry(new Ballot(4, new NodeId(1)), Batch(1, "a"), Chosen: false)) };

        var why = FirstViolation(KeyValueProperties.PromiseKept, (0, accepted));

        Assert.Equal($"n0 accepted accepted@4.n1 {Batch(1, "a")} in slot 1 above its promise {Initial(0).Promised} without promising it", why);
    }

    [Fact]
    public void PromiseKept_AcceptAtThePromise_Holds()
    {
        var ballot = new Ballot(4, new NodeId(1));
        var accepted = Initial(0) with { Promised = ballot, Log = Initial(0).Log.SetItem(1, new LogEntry(ballot, Batch(1, "a"), Chosen: false)) };

        Assert.Null(FirstViolation(KeyValueProperties.PromiseKept, (0, accepted)));
    }

    [Fact]
    public void LeaderStepsDownWhenCutOff_LeaderIsolatedLongerThanTheBound_ViolatedOnlyPastTheBound()
    {
        // Three replicas; n0 leads and every link to and from it is cut.
        var config = NodeConfig<KeyValueSettings>.Cluster(3, KeyValueSettings.Default, 1);
        var protocol = new KeyValueProtocol();
        var ballot = new Ballot(1, new NodeId(0));
        var leader = protocol.Init(config[0]) with
        {
            Promised = ballot,
            Leadership = new Leadership(ballot, 1, ImmutableSortedDictionary<long, Proposal>.Empty, [], PeerTicks.Create(3), ImmutableDictionary<NodeId, SnapshotTransfer>.Empty),
        };
        KeyValueState[] states = [leader, protocol.Init(config[1]), protocol.Init(config[2])];
        bool[] up = [true, true, true];
        var cut = new bool[9];
        foreach (var other in new[] { 1, 2 }) cut[other] = cut[other * 3] = true;
        var bound = KeyValueProperties.StepDownBoundRounds(KeyValueSettings.Default, OrleansNodes.Protocols.FailureDetector.NetworkBounds.Simulator);
        var check = KeyValueProperties.LeaderStepsDownWhenCutOff.Start();
        Observation<KeyValueState> At(long round) => new(states, up, null, null, round, round, -1, -1, cut);

        Assert.Equal(47, bound);
        Assert.True(check.Holds(At(10)));
        Assert.True(check.Holds(At(10 + bound)));
        Assert.False(check.Holds(At(11 + bound)));
        Assert.Equal($"n0 has led ballot 1.n0 cut off from a majority since round 10 ({bound + 1} rounds; it can talk with no one)", check.Explain(At(11 + bound)));
    }

    [Fact]
    public void LeaderStepsDownWhenCutOff_LeaderKeepsOnePeerOfThree_Holds()
    {
        var config = NodeConfig<KeyValueSettings>.Cluster(3, KeyValueSettings.Default, 1);
        var protocol = new KeyValueProtocol();
        var ballot = new Ballot(1, new NodeId(0));
        var leader = protocol.Init(config[0]) with
        {
            Promised = ballot,
            Leadership = new Leadership(ballot, 1, ImmutableSortedDictionary<long, Proposal>.Empty, [], PeerTicks.Create(3), ImmutableDictionary<NodeId, SnapshotTransfer>.Empty),
        };
        KeyValueState[] states = [leader, protocol.Init(config[1]), protocol.Init(config[2])];
        var cut = new bool[9];
        cut[2] = cut[6] = true; // n0 <-> n2 cut, n0 <-> n1 intact: n0 and n1 are a majority
        var check = KeyValueProperties.LeaderStepsDownWhenCutOff.Start();

        Assert.True(check.Holds(new Observation<KeyValueState>(states, [true, true, true], null, null, 0, 0, -1, -1, cut)));
        Assert.True(check.Holds(new Observation<KeyValueState>(states, [true, true, true], null, null, 1, 500, -1, -1, cut)));
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
