using OrleansNodes.Protocols.Paxos;
using static OrleansNodes.Protocols.Tests.Paxos.PaxosCluster;

namespace OrleansNodes.Protocols.Tests.Paxos;

/// <summary>
/// The properties judged on hand-made histories: each one must fail on the situation it
/// forbids, or the simulation suites that rely on it prove nothing.
/// </summary>
public class PaxosPropertiesTests
{
    private static readonly SingleDecreePaxos Protocol = new();
    private static readonly ImmutableArray<NodeConfig<PaxosSettings>> Configs = NodeConfig<PaxosSettings>.Cluster(3, QuietSettings, seed: 1);
    private static readonly bool[] AllUp = [true, true, true];

    private static Ballot B(int round, int proposer) => new(round, N(proposer));

    private static PaxosState Fresh(int node) => Protocol.Init(Configs[node]);

    private static PaxosState Voted(int node, Ballot ballot, string value) =>
        Fresh(node) with { Promised = ballot, Accepted = new Vote(ballot, value), Proposal = value };

    /// <summary>Replays a run: each entry sets one node's state as if it had just stepped.</summary>
    private sealed class Run(string property)
    {
        private readonly PaxosState[] _states = [Fresh(0), Fresh(1), Fresh(2)];
        private readonly bool[] _up = [true, true, true];
        private readonly PropertyCheck<PaxosState> _check = Protocol.Properties.Single(p => p.Name == property).Start();
        private long _step;

        public bool Step(int node, PaxosState state)
        {
            var before = _states[node];
            _states[node] = state;
            return _check.Holds(new Observation<PaxosState>(_states, _up, N(node), before, ++_step, _step, -1));
        }

        /// <summary>The property's explanation of the current cluster, as the simulator asks for it right after a violation.</summary>
        public string? Explain(int stepped, PaxosState before) =>
            _check.Explain(new Observation<PaxosState>(_states, _up, N(stepped), before, _step, _step, -1));

        /// <summary>The node crashes and shows its persisted state; the check runs with no stepped node.</summary>
        public bool Crash(int node, PaxosState persisted)
        {
            _states[node] = persisted;
            _up[node] = false;
            return _check.Holds(new Observation<PaxosState>(_states, _up, null, null, ++_step, _step, -1));
        }

        public bool Restart(int node, PaxosState recovered)
        {
            _states[node] = recovered;
            _up[node] = true;
            return _check.Holds(new Observation<PaxosState>(_states, _up, null, null, ++_step, _step, -1));
        }
    }

    [Fact]
    public void AtMostOneValueChosen_MajoritiesForDifferentValuesInTwoBallots_IsViolated()
    {
        var run = new Run(PaxosProperties.AtMostOneValueChosen);
        Assert.True(run.Step(0, Voted(0, B(1, 0), "a")));
        Assert.True(run.Step(1, Voted(1, B(1, 0), "a")));
        Assert.True(run.Step(1, Voted(1, B(2, 1), "b")));

        Assert.False(run.Step(2, Voted(2, B(2, 1), "b")));
    }

    [Fact]
    public void AtMostOneValueChosen_Violated_ExplanationNamesBothValuesAndBallots()
    {
        var run = new Run(PaxosProperties.AtMostOneValueChosen);
        run.Step(0, Voted(0, B(1, 0), "a"));
        run.Step(1, Voted(1, B(1, 0), "a"));
        run.Step(1, Voted(1, B(2, 1), "b"));
        var before = Fresh(2);
        run.Step(2, Voted(2, B(2, 1), "b"));

        Assert.Equal("'a' was chosen in ballot 1.n0 and 'b' in ballot 2.n1", run.Explain(2, before));
    }

    [Fact]
    public void AcceptorKeepsItsPromise_PromiseGoesDown_ExplanationNamesBothBallots()
    {
        var run = new Run(PaxosProperties.AcceptorKeepsItsPromise);
        var promised = Fresh(0) with { Promised = B(3, 1) };
        run.Step(0, promised);

        Assert.False(run.Step(0, promised with { Promised = B(2, 1) }));
        Assert.Equal("n0's promise went down from 3.n1 to 2.n1", run.Explain(0, promised));
    }

    [Fact]
    public void AtMostOneValueChosen_SameValueChosenInTwoBallots_Holds()
    {
        var run = new Run(PaxosProperties.AtMostOneValueChosen);
        run.Step(0, Voted(0, B(1, 0), "a"));
        run.Step(1, Voted(1, B(1, 0), "a"));
        run.Step(1, Voted(1, B(2, 1), "a"));

        Assert.True(run.Step(2, Voted(2, B(2, 1), "a")));
    }

    [Fact]
    public void AtMostOneValueChosen_VoteUndoneByACrashBeforePersisting_DoesNotCount()
    {
        // n1's vote for a@1.n0 was never persisted (the crash took the batch), so no Accepted
        // ever left n1 and "a" was never chosen: a later majority for "b" is legal.
        var run = new Run(PaxosProperties.AtMostOneValueChosen);
        run.Step(0, Voted(0, B(1, 0), "a"));
        run.Step(1, Voted(1, B(1, 0), "a"));
        Assert.True(run.Crash(1, Fresh(1)));
        run.Restart(1, Fresh(1));
        run.Step(1, Voted(1, B(2, 2), "b"));

        Assert.True(run.Step(2, Voted(2, B(2, 2), "b")));
    }

    [Fact]
    public void AtMostOneValueChosen_DurableVoteForgottenOnRestart_StillCounts()
    {
        // n1 persisted its vote for "a", then came back up without it (amnesia), and even
        // persisted the amnesia before crashing again: "a" stays chosen.
        var run = new Run(PaxosProperties.AtMostOneValueChosen);
        run.Step(0, Voted(0, B(1, 0), "a"));
        run.Step(1, Voted(1, B(1, 0), "a"));
        run.Crash(1, Voted(1, B(1, 0), "a"));
        run.Restart(1, Fresh(1));
        run.Crash(1, Fresh(1));
        run.Restart(1, Fresh(1));
        run.Step(1, Voted(1, B(1, 2), "b"));

        Assert.False(run.Step(2, Voted(2, B(1, 2), "b")));
    }

    [Fact]
    public void ChosenValueWasProposed_ValueNoProposerHeld_IsViolated()
    {
        var run = new Run(PaxosProperties.ChosenValueWasProposed);
        run.Step(0, Fresh(0) with { Accepted = new Vote(B(1, 0), "ghost"), Promised = B(1, 0) });

        Assert.False(run.Step(1, Fresh(1) with { Accepted = new Vote(B(1, 0), "ghost"), Promised = B(1, 0) }));
    }

    [Fact]
    public void AcceptorKeepsItsPromise_PromiseDecreases_IsViolated()
    {
        var run = new Run(PaxosProperties.AcceptorKeepsItsPromise);
        Assert.True(run.Step(0, Fresh(0) with { Promised = B(3, 1) }));

        Assert.False(run.Step(0, Fresh(0) with { Promised = B(2, 2) }));
    }

    [Fact]
    public void AcceptorKeepsItsPromise_AcceptsBelowItsPromise_IsViolated()
    {
        var run = new Run(PaxosProperties.AcceptorKeepsItsPromise);
        run.Step(0, Fresh(0) with { Promised = B(3, 1) });

        Assert.False(run.Step(0, Fresh(0) with { Promised = B(3, 1), Accepted = new Vote(B(2, 2), "a") }));
    }

    [Fact]
    public void LearnersLearnOnlyTheChosenValue_LearnedBeforeAMajorityAccepted_IsViolated()
    {
        var run = new Run(PaxosProperties.LearnersLearnOnlyTheChosenValue);
        run.Step(0, Voted(0, B(1, 0), "a"));

        Assert.False(run.Step(2, Fresh(2) with { Learned = "a" }));
    }

    [Fact]
    public void LearnersLearnOnlyTheChosenValue_LearnedAfterAMajorityAccepted_Holds()
    {
        var run = new Run(PaxosProperties.LearnersLearnOnlyTheChosenValue);
        run.Step(0, Voted(0, B(1, 0), "a"));
        run.Step(1, Voted(1, B(1, 0), "a"));

        Assert.True(run.Step(2, Fresh(2) with { Learned = "a" }));
    }

    [Fact]
    public void AdoptedValueChosen_SecondProposerCarriesTheFirstOnesValue_IsReached()
    {
        var run = new Run(PaxosProperties.AdoptedValueChosen);
        Assert.False(run.Step(0, Voted(0, B(1, 0), "a")));
        Assert.False(run.Step(1, Voted(1, B(2, 1), "a")));

        Assert.True(run.Step(2, Voted(2, B(2, 1), "a")));
    }

    [Fact]
    public void EveryProposerLearns_AnUpProposerStillUndecided_DoesNotHold()
    {
        var check = Protocol.Properties.Single(p => p.Name == PaxosProperties.EveryProposerLearns).Start();
        PaxosState[] states = [Fresh(0) with { Proposal = "a", Learned = "a" }, Fresh(1) with { Proposal = "b" }, Fresh(2)];

        Assert.False(check.Holds(new Observation<PaxosState>(states, AllUp, null, null, 0, 0, 0)));
        Assert.True(check.Holds(new Observation<PaxosState>(states, [true, false, true], null, null, 0, 0, 0)));
    }
}
