using OrleansNodes.Protocols.Paxos;
using static OrleansNodes.Protocols.Tests.Paxos.PaxosCluster;
using PaxosInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.Paxos.PaxosMessage, OrleansNodes.Protocols.Paxos.PaxosCommand>;

namespace OrleansNodes.Protocols.Tests.Paxos;

/// <summary>Scenarios from Paxos Made Simple, scripted message by message.</summary>
public class SingleDecreePaxosTests
{
    private static Ballot B(int round, int proposer) => new(round, N(proposer));

    [Fact]
    public void Propose_IdleNode_SendsPrepareForRoundOneToEveryNodeItselfIncluded()
    {
        var cluster = new PaxosCluster();

        var result = cluster.Propose(0, "x");

        Assert.Equal([N(0), N(1), N(2)], result.Outbox.Sends.Select(e => e.To));
        Assert.All(result.Outbox.Sends, e => Assert.Equal(new PaxosMessage.Prepare(B(1, 0)), e.Message));
        Assert.Equal(ProposerPhase.Preparing, cluster[0].Phase);
        Assert.Empty(result.Outbox.Replies);
    }

    [Fact]
    public void OnPromise_MajorityWithoutVotes_SendsAcceptWithOwnValue()
    {
        // n0 prepares ballot 1.n0; n0 and n1 promise, n2 never hears of it; n0 sends Accept with its own value.
        var cluster = new PaxosCluster();
        cluster.Propose(0, "x");
        cluster.Drop(e => e.To == N(2));
        cluster.Deliver<PaxosMessage.Prepare>();

        Assert.Equal(2, cluster.Deliver<PaxosMessage.Promise>(to: 0));

        var accepts = cluster.Sent<PaxosMessage.Accept>(0).ToList();
        Assert.Equal([N(0), N(1), N(2)], accepts.Select(e => e.To));
        Assert.All(accepts, e => Assert.Equal(new PaxosMessage.Accept(B(1, 0), "x"), e.Message));
        Assert.Equal(ProposerPhase.Accepting, cluster[0].Phase);
    }

    [Fact]
    public void OnPromise_MinorityOnly_KeepsWaiting()
    {
        var cluster = new PaxosCluster();
        cluster.Propose(0, "x");
        cluster.Deliver<PaxosMessage.Prepare>(to: 1);

        cluster.Deliver<PaxosMessage.Promise>();
        var duplicate = cluster.Step(0, new PaxosInput.Receive(N(1), new PaxosMessage.Promise(B(1, 0), null)));

        Assert.Same(cluster[0], duplicate.State);
        Assert.Single(cluster[0].Promisers);
        Assert.Empty(cluster.Sent<PaxosMessage.Accept>(0));
    }

    [Fact]
    public void OnPromise_CarryingAcceptedValue_ProposerAdoptsItInsteadOfItsOwn()
    {
        // P2c: n0 gets "a" accepted by n1 alone in ballot 1.n0, then n2 runs ballot 1.n2 with
        // promises from n1 and n2. n1's promise reports a@1.n0, so n2 must propose "a", not "b".
        var cluster = new PaxosCluster();
        cluster.Propose(0, "a");
        cluster.Deliver<PaxosMessage.Prepare>(to: [0, 1]);
        cluster.Deliver<PaxosMessage.Promise>(to: 0);
        cluster.Deliver<PaxosMessage.Accept>(to: 1);
        cluster.InFlight.Clear();
        Assert.Equal(new Vote(B(1, 0), "a"), cluster[1].Accepted);

        cluster.Propose(2, "b");
        cluster.Deliver<PaxosMessage.Prepare>(to: [1, 2]);
        cluster.Deliver<PaxosMessage.Promise>(to: 2);

        Assert.All(cluster.Sent<PaxosMessage.Accept>(2), e => Assert.Equal(new PaxosMessage.Accept(B(1, 2), "a"), e.Message));
        Assert.Equal(3, cluster.Sent<PaxosMessage.Accept>(2).Count());
    }

    [Fact]
    public void OnPromise_SeveralVotes_AdoptsTheHighestBallotsValue()
    {
        var cluster = new PaxosCluster();
        cluster.Propose(0, "mine");
        cluster.InFlight.Clear();

        cluster.Step(0, new PaxosInput.Receive(N(1), new PaxosMessage.Promise(B(1, 0), new Vote(B(3, 2), "new"))));
        var result = cluster.Step(0, new PaxosInput.Receive(N(2), new PaxosMessage.Promise(B(1, 0), new Vote(B(2, 1), "old"))));

        Assert.Equal(new PaxosMessage.Accept(B(1, 0), "new"), result.Outbox.Sends[0].Message);
    }

    [Fact]
    public void OnPrepare_BelowPromise_NacksWithThePromiseAndChangesNothing()
    {
        var cluster = new PaxosCluster();
        cluster.Step(1, new PaxosInput.Receive(N(2), new PaxosMessage.Prepare(B(2, 2))));
        var before = cluster[1];

        var result = cluster.Step(1, new PaxosInput.Receive(N(0), new PaxosMessage.Prepare(B(1, 0))));

        Assert.Same(before, result.State);
        var nack = Assert.Single(result.Outbox.Sends);
        Assert.Equal(new Envelope<PaxosMessage>(N(1), N(0), new PaxosMessage.Nack(B(1, 0), B(2, 2))), nack);
    }

    [Fact]
    public void OnPrepare_AboveAcceptedBallot_PromisesAndReportsTheVote()
    {
        var cluster = new PaxosCluster();
        cluster.Step(1, new PaxosInput.Receive(N(0), new PaxosMessage.Accept(B(1, 0), "a")));

        var result = cluster.Step(1, new PaxosInput.Receive(N(2), new PaxosMessage.Prepare(B(1, 2))));

        Assert.Equal(B(1, 2), result.State.Promised);
        Assert.Equal(new PaxosMessage.Promise(B(1, 2), new Vote(B(1, 0), "a")), Assert.Single(result.Outbox.Sends).Message);
    }

    [Fact]
    public void OnAccept_BelowPromise_NacksAndDoesNotAccept()
    {
        var cluster = new PaxosCluster();
        cluster.Step(1, new PaxosInput.Receive(N(2), new PaxosMessage.Prepare(B(1, 2))));
        var before = cluster[1];

        var result = cluster.Step(1, new PaxosInput.Receive(N(0), new PaxosMessage.Accept(B(1, 0), "a")));

        Assert.Same(before, result.State);
        Assert.Null(result.State.Accepted);
        Assert.Equal(new PaxosMessage.Nack(B(1, 0), B(1, 2)), Assert.Single(result.Outbox.Sends).Message);
    }

    [Fact]
    public void OnAccept_AtOrAbovePromise_AcceptsAndTellsEveryLearner()
    {
        var cluster = new PaxosCluster();

        var result = cluster.Step(1, new PaxosInput.Receive(N(0), new PaxosMessage.Accept(B(1, 0), "a")));

        Assert.Equal(new Vote(B(1, 0), "a"), result.State.Accepted);
        Assert.Equal(B(1, 0), result.State.Promised);
        Assert.Equal([N(0), N(1), N(2)], result.Outbox.Sends.Select(e => e.To));
        Assert.All(result.Outbox.Sends, e => Assert.Equal(new PaxosMessage.Accepted(B(1, 0), "a"), e.Message));
    }

    [Fact]
    public void OnAccepted_MajorityInOneBallot_LearnsAndAnswersTheWaitingClient()
    {
        var cluster = new PaxosCluster();
        cluster.Propose(0, "x", client: 7);
        cluster.DeliverAll();

        Assert.All(cluster.States, s => Assert.Equal("x", s.Learned));
        var reply = Assert.Single(cluster.Replies);
        Assert.Equal(new ClientReply<PaxosReply>(new ClientId(7), 1, new PaxosReply.Chosen("x")), reply);
    }

    [Fact]
    public void OnAccepted_MajorityAcrossDifferentBallots_DoesNotLearn()
    {
        // n0 accepted a@1.n0 and n1 accepted b@1.n1: two acceptors, but not in the same ballot,
        // so nothing is chosen yet and learner n2 must not learn either value.
        var cluster = new PaxosCluster();
        cluster.Step(2, new PaxosInput.Receive(N(0), new PaxosMessage.Accepted(B(1, 0), "a")));
        cluster.Step(2, new PaxosInput.Receive(N(1), new PaxosMessage.Accepted(B(1, 1), "b")));

        Assert.Null(cluster[2].Learned);
    }

    [Fact]
    public void OnAccepted_StaleVoteFromSameAcceptor_IsIgnored()
    {
        var cluster = new PaxosCluster();
        cluster.Step(2, new PaxosInput.Receive(N(0), new PaxosMessage.Accepted(B(2, 1), "b")));
        var before = cluster[2];

        var result = cluster.Step(2, new PaxosInput.Receive(N(0), new PaxosMessage.Accepted(B(1, 0), "a")));

        Assert.Same(before, result.State);
    }

    [Fact]
    public void OnTick_RetryTimerExpires_StartsAHigherBallot()
    {
        // n0's ballot 1.n0 gets no answer at all (every message lost); once its randomized retry
        // timer expires it prepares ballot 2.n0.
        var cluster = new PaxosCluster();
        cluster.Propose(0, "x");
        cluster.InFlight.Clear();
        var timeout = cluster[0].Retry.TimeoutTicks;
        Assert.InRange(timeout, QuietSettings.RetryTicksMin, QuietSettings.RetryTicksMax);

        cluster.Tick(0, timeout - 1);
        Assert.Empty(cluster.InFlight);
        cluster.Tick(0);

        Assert.Equal(3, cluster.Sent<PaxosMessage.Prepare>(0).Count(e => e.Message == new PaxosMessage.Prepare(B(2, 0))));
        Assert.Equal(B(2, 0), cluster[0].Ballot);
    }

    [Fact]
    public void OnTick_NothingToPropose_ReturnsTheSameStateAndSendsNothing()
    {
        var cluster = new PaxosCluster();
        var before = cluster[1];

        var result = cluster.Step(1, PaxosInput.Tick.Instance);

        Assert.Same(before, result.State);
        Assert.True(result.Outbox.IsEmpty);
    }

    [Fact]
    public void OnTick_AfterLearning_StaysQuiet()
    {
        var cluster = new PaxosCluster();
        cluster.Propose(0, "x");
        cluster.DeliverAll();
        var learned = cluster[0];

        var result = cluster.Step(0, PaxosInput.Tick.Instance);

        Assert.Same(learned, result.State);
        Assert.True(result.Outbox.IsEmpty);
    }

    [Fact]
    public void OnNack_ForCurrentBallot_StandsBackAndTheNextBallotOutnumbersThePromise()
    {
        var cluster = new PaxosCluster();
        cluster.Propose(0, "x");
        cluster.InFlight.Clear();

        cluster.Step(0, new PaxosInput.Receive(N(1), new PaxosMessage.Nack(B(1, 0), B(5, 2))));
        Assert.Equal(ProposerPhase.Idle, cluster[0].Phase);
        cluster.Tick(0, cluster[0].Retry.RemainingTicks);

        Assert.Equal(B(6, 0), cluster[0].Ballot);
        Assert.Contains(cluster.InFlight, e => e.Message == new PaxosMessage.Prepare(B(6, 0)));
    }

    [Fact]
    public void OnNack_ForAnOldBallot_IsIgnored()
    {
        var cluster = new PaxosCluster();
        cluster.Propose(0, "x");
        var before = cluster[0];

        var result = cluster.Step(0, new PaxosInput.Receive(N(1), new PaxosMessage.Nack(B(0, 0), B(5, 2))));

        Assert.Same(before, result.State);
    }

    [Fact]
    public void Propose_NodeThatLearned_AnswersAtOnceWithTheChosenValue()
    {
        var cluster = new PaxosCluster();
        cluster.Propose(0, "x");
        cluster.DeliverAll();
        cluster.Replies.Clear();

        var result = cluster.Propose(2, "y", client: 9);

        Assert.Equal(new PaxosReply.Chosen("x"), Assert.Single(result.Outbox.Replies).Reply);
        Assert.Empty(result.Outbox.Sends);
    }

    [Fact]
    public void Propose_WhileAlreadyProposing_WaitsForTheSameDecision()
    {
        var cluster = new PaxosCluster();
        cluster.Propose(0, "x", client: 1);
        var second = cluster.Propose(0, "y", client: 2);

        Assert.Empty(second.Outbox.Sends);
        cluster.DeliverAll();

        Assert.Equal(["x", "x"], cluster.Replies.Select(r => ((PaxosReply.Chosen)r.Reply).Value));
        Assert.Equal([new ClientId(1), new ClientId(2)], cluster.Replies.Select(r => r.Client));
    }

    [Fact]
    public void OnPrepare_NodeThatLearned_AnswersDecidedAndTheProposerLearnsFromIt()
    {
        // n2 was cut off while n0 and n1 chose "x". When n2 later proposes "y", n0 answers its
        // prepare with Decided(x), and n2 learns x without another ballot.
        var cluster = new PaxosCluster();
        cluster.Propose(0, "x");
        cluster.Drop(e => e.To == N(2));
        cluster.Deliver<PaxosMessage.Prepare>();
        cluster.Deliver<PaxosMessage.Promise>();
        cluster.Drop(e => e.To == N(2));
        cluster.Deliver<PaxosMessage.Accept>();
        cluster.Drop(e => e.To == N(2));
        cluster.DeliverAll();
        Assert.Equal("x", cluster[0].Learned);
        Assert.Null(cluster[2].Learned);

        cluster.Propose(2, "y", client: 3);
        cluster.Deliver<PaxosMessage.Prepare>(to: 0);
        Assert.Equal(N(2), Assert.Single(cluster.InFlight, e => e.Message is PaxosMessage.Decided).To);
        cluster.DeliverAll();

        Assert.Equal("x", cluster[2].Learned);
        Assert.Equal(new PaxosReply.Chosen("x"), cluster.Replies.Single(r => r.Client == new ClientId(3)).Reply);
    }

    [Fact]
    public void Recover_AfterCrash_KeepsPromiseVoteAndBallotButDropsProposerProgress()
    {
        var cluster = new PaxosCluster();
        cluster.Propose(0, "x");
        cluster.Deliver<PaxosMessage.Prepare>(to: [0, 1]);
        cluster.Deliver<PaxosMessage.Promise>(to: 0);
        cluster.Deliver<PaxosMessage.Accept>(to: 0);
        var before = cluster[0];
        Assert.Equal(ProposerPhase.Accepting, before.Phase);

        cluster.CrashAndRecover(0);

        var after = cluster[0];
        Assert.Equal(before.Promised, after.Promised);
        Assert.Equal(before.Accepted, after.Accepted);
        Assert.Equal(before.Ballot, after.Ballot);
        Assert.Equal("x", after.Proposal);
        Assert.Equal(ProposerPhase.Idle, after.Phase);
        Assert.Empty(after.Promisers);
        Assert.Empty(after.Waiting);
    }

    [Fact]
    public void Recover_ThenRetry_NeverReusesABallot()
    {
        var cluster = new PaxosCluster();
        cluster.Propose(0, "x");
        cluster.InFlight.Clear();
        cluster.CrashAndRecover(0);

        cluster.Tick(0, cluster[0].Retry.RemainingTicks);

        Assert.Equal(B(2, 0), cluster[0].Ballot);
    }

    [Fact]
    public void Init_ProposeOnStart_EveryNodeProposesItsOwnValueAndTheClusterChoosesOne()
    {
        var cluster = new PaxosCluster(settings: PaxosSettings.Default, seed: 42);
        Assert.Equal(["v0", "v1", "v2"], cluster.States.Select(s => s.Proposal));

        for (var round = 0; round < 200 && cluster.States.Any(s => s.Learned is null); round++)
        {
            for (var node = 0; node < 3; node++) cluster.Tick(node);
            cluster.DeliverAll();
        }

        var learned = cluster.States.Select(s => s.Learned).Distinct().ToList();
        var value = Assert.Single(learned);
        Assert.Contains(value, new[] { "v0", "v1", "v2" });
    }

    [Fact]
    public void Scenario_PartitionedNodeHealsAndLearnsTheSameValue()
    {
        // Partition n2 while n0 and n1 decide; tick 40 times; heal; n2's own retries catch it up.
        var cluster = new PaxosCluster(settings: PaxosSettings.Default, seed: 7);
        cluster.Partition(2);
        for (var round = 0; round < 40; round++)
        {
            for (var node = 0; node < 3; node++) cluster.Tick(node);
            cluster.DeliverAll();
        }
        Assert.NotNull(cluster[0].Learned);
        Assert.Null(cluster[2].Learned);

        cluster.Heal();
        for (var round = 0; round < 40; round++)
        {
            for (var node = 0; node < 3; node++) cluster.Tick(node);
            cluster.DeliverAll();
        }

        Assert.Equal(cluster[0].Learned, cluster[2].Learned);
        Assert.Equal(cluster[0].Learned, cluster[1].Learned);
    }

    [Fact]
    public void Describe_ShowsRoleBallotPromiseVoteAndLearnedValueOnOneLine()
    {
        var cluster = new PaxosCluster();
        cluster.Propose(0, "x");
        cluster.Deliver<PaxosMessage.Prepare>(to: 0);

        var line = cluster.Protocol.Describe(cluster[0]);

        Assert.DoesNotContain('\n', line);
        Assert.Contains("preparing 1.n0", line);
        Assert.Contains("promised 1.n0", line);
        Assert.Contains("learned -", line);
    }
}
