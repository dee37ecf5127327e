using OrleansNodes.Protocols.KeyValue;
using static OrleansNodes.Protocols.Tests.KeyValue.KeyValueCluster;
using KeyValueInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueCommand>;

namespace OrleansNodes.Protocols.Tests.KeyValue;

public class KeyValueProtocolTests
{
    private static readonly KeyValueCommand.Put PutXa = new("x", "a");

    private static KeyValueCluster ElectedCluster(int size = 3, KeyValueSettings? settings = null)
    {
        var cluster = new KeyValueCluster(size, settings);
        cluster.Elect(0);
        return cluster;
    }

    [Fact]
    public void Elect_TickPastElectionTimeout_NodeLeadsOthersFollow()
    {
        var cluster = ElectedCluster();

        Assert.Equal(KeyValueRole.Leader, cluster[0].Role);
        var ballot = cluster[0].Leadership!.Ballot;
        Assert.Equal(new Ballot(1, N(0)), ballot);
        for (var node = 1; node < 3; node++)
        {
            Assert.Equal(KeyValueRole.Follower, cluster[node].Role);
            Assert.Equal(N(0), cluster[node].Leader);
            Assert.Equal(ballot, cluster[node].Promised);
        }
    }

    [Fact]
    public void Inspect_AfterElectionAndPut_LeaderLeadsFollowersNameItAndAllApplied()
    {
        var cluster = ElectedCluster();
        cluster.Request(0, client: 1, sequence: 1, new KeyValueCommand.Put("k", "v"));
        cluster.Run(rounds: 20);

        var leader = cluster.Protocol.Inspect(cluster[0]);
        Assert.Equal(new NodeView("leader", Leading: true, N(0), new Ballot(1, N(0)).ToString(), cluster[0].AppliedIndex, cluster[0].AppliedIndex), leader);
        Assert.True(leader.Applied > 0, "the put was applied");
        for (var node = 1; node < 3; node++)
        {
            var follower = cluster.Protocol.Inspect(cluster[node]);
            Assert.Equal(("follower", false, N(0), leader.Ballot, leader.Applied), (follower.Role, follower.Leading, follower.Leader, follower.Ballot, follower.Applied));
        }
    }

    [Fact]
    public void Inspect_CampaigningAfterPartition_CandidateNotLeading()
    {
        var cluster = new KeyValueCluster(3);
        cluster.Isolate(1);
        cluster.Isolate(2);

        cluster.Tick(1, times: KeyValueSettings.Default.ElectionTimeoutTicksMax + 1);

        var view = cluster.Protocol.Inspect(cluster[1]);
        Assert.Contains(view.Role, new[] { "pre-candidate", "candidate" });
        Assert.False(view.Leading);
    }

    [Fact]
    public void Elect_FollowerHearsHeartbeats_NeverCampaigns()
    {
        var cluster = ElectedCluster();

        cluster.Run(rounds: 200);

        Assert.Equal(0, cluster.Leader);
        Assert.All(cluster.States, s => Assert.Equal(new Ballot(1, N(0)), s.Promised));
    }

    [Fact]
    public void Tick_FollowerBeforeTimeout_SharesLogAndStoreAndSendsNothing()
    {
        var cluster = new KeyValueCluster(3);
        var config = NodeConfig<KeyValueSettings>.Cluster(3, KeyValueSettings.Default, 1)[1];

        var result = cluster.Protocol.Run(config, cluster[1], KeyValueInput.Tick.Instance);

        Assert.True(result.Outbox.IsEmpty);
        Assert.Same(cluster[1].Log, result.State.Log);
        Assert.Same(cluster[1].Store, result.State.Store);
        Assert.Equal(1, result.State.Timers.Election.ElapsedTicks);
    }

    [Fact]
    public void Receive_StalePromise_ReturnsSameStateAndSendsNothing()
    {
        var cluster = ElectedCluster();
        var config = NodeConfig<KeyValueSettings>.Cluster(3, KeyValueSettings.Default, 1)[1];
        var stale = new Promise(new Ballot(1, N(0)), []);

        var result = cluster.Protocol.Run(config, cluster[1], new KeyValueInput.Receive(N(0), stale));

        Assert.Same(cluster[1], result.State);
        Assert.True(result.Outbox.IsEmpty);
    }

    [Fact]
    public void Request_PutOnLeader_AppliedOnAllReplicasAndAcknowledgedOnce()
    {
        var cluster = ElectedCluster();

        cluster.Request(0, client: 7, sequence: 1, PutXa);
        cluster.DeliverAll();
        cluster.Run(rounds: 3); // heartbeats carry the commit index to followers

        var reply = Assert.Single(cluster.Replies);
        Assert.Equal(new ClientReply<KeyValueReply>(new ClientId(7), 1, KeyValueReply.Ok.Instance), reply);
        Assert.All(cluster.States, s => Assert.Equal("a", s.Store.Get("x")));
        Assert.All(cluster.States, s => Assert.Equal(1, s.Store.AppliedIndex));
    }

    [Fact]
    public void Request_GetAfterPut_AnsweredAfterOneHeartbeatRoundWithoutTheLog()
    {
        var cluster = ElectedCluster();
        cluster.Request(0, 7, 1, PutXa);
        cluster.DeliverAll();
        var writes = cluster.Writes;

        var immediate = cluster.Request(0, 8, 1, new KeyValueCommand.Get("x"));
        var sent = cluster.Queue.ToList();
        cluster.DeliverAll();

        Assert.Empty(immediate); // no answer before a majority confirms the leadership
        Assert.All(sent, envelope => Assert.Equal(1, Assert.IsType<Heartbeat>(envelope.Message).ReadRound));
        Assert.Equal(new ClientReply<KeyValueReply>(new ClientId(8), 1, new KeyValueReply.Value("a")), cluster.Replies[^1]);
        Assert.Equal(1, cluster[0].Store.AppliedIndex); // no slot for the get
        Assert.Equal(writes, cluster.Writes); // and nothing written anywhere
    }

    [Fact]
    public void Request_GetsArrivingDuringARound_WaitForTheNextAndOneRoundServesThemAll()
    {
        var cluster = ElectedCluster();
        cluster.Request(0, 7, 1, PutXa);
        cluster.DeliverAll();

        cluster.Request(0, 8, 1, new KeyValueCommand.Get("x"));
        cluster.Request(0, 9, 1, new KeyValueCommand.Get("x"));
        cluster.Request(0, 10, 1, new KeyValueCommand.Get("y"));
        cluster.DeliverAll();

        // The first started round 1; the other two arrived while it was out, so round 2 serves both.
        Assert.Equal(2, cluster[0].Leadership!.Reads!.Confirmed);
        Assert.Equal(
            [new KeyValueReply.Value("a"), new KeyValueReply.Value("a"), new KeyValueReply.Value(null)],
            cluster.Replies.Where(r => r.Client.Value >= 8).OrderBy(r => r.Client.Value).Select(r => r.Reply));
    }

    [Fact]
    public void Request_MoreGetsThanPendingCommandsMax_TheRestAreNotTakenAndTheirClientsRetry()
    {
        var cluster = ElectedCluster(settings: KeyValueSettings.Default with { PendingCommandsMax = 2 });

        for (var client = 8; client < 12; client++) cluster.Request(0, client, 1, new KeyValueCommand.Get("x"));

        Assert.Equal(2, cluster[0].Leadership!.Reads!.Waiting.Length);
        cluster.DeliverAll();
        Assert.Equal([8L, 9L], cluster.Replies.Select(r => r.Client.Value).Order());
    }

    [Fact]
    public void Request_GetAtADeposedLeaderThatStillBelievesItLeads_NeverAnsweredStale()
    {
        // n0 is cut off and does not tick (a paused process): it still believes it leads while
        // n1 and n2 elect a new leader and overwrite x. A get sent to n0 must not return "a".
        var cluster = DeposedLeader(new KeyValueCluster(3));

        var get = cluster.Request(0, 8, 1, new KeyValueCommand.Get("x"));
        cluster.DeliverAll();
        Assert.Empty(get);
        Assert.DoesNotContain(cluster.Replies, r => r.Client == new ClientId(8));

        // Healed, its confirmation round meets the newer ballot: it steps down and redirects the get.
        cluster.Heal();
        cluster.Tick(0, KeyValueSettings.Default.HeartbeatIntervalTicks);
        cluster.DeliverAll();
        var answer = Assert.Single(cluster.Replies, r => r.Client == new ClientId(8));
        Assert.IsType<KeyValueReply.Redirect>(answer.Reply);
    }

    [Fact]
    public void Request_GetAtADeposedLeaderWithoutConfirmation_AnsweredStale()
    {
        // The same scenario with the confirmation round skipped (the ReadsWithoutConfirmation
        // mutant): the deposed leader answers at once, with the value the new leader overwrote.
        var cluster = DeposedLeader(new KeyValueCluster(3, protocol: new Mutants.KeyValue.ReadsWithoutConfirmation()));

        var get = cluster.Request(0, 8, 1, new KeyValueCommand.Get("x"));

        Assert.Equal(new KeyValueReply.Value("a"), Assert.Single(get).Reply);
        Assert.Equal("b", cluster.States.Where(s => s.Leadership is not null).MaxBy(s => s.Leadership!.Ballot)!.Store.Get("x"));
    }

    [Fact]
    public void Request_GetThroughTheLog_TakesASlotAndIsAnsweredWhenApplied()
    {
        var cluster = ElectedCluster(settings: KeyValueSettings.Default with { ReadPath = KeyValueReadPath.Log });
        cluster.Request(0, 7, 1, PutXa);
        cluster.DeliverAll();
        var writes = cluster.Writes;

        var immediate = cluster.Request(0, 8, 1, new KeyValueCommand.Get("x"));
        cluster.DeliverAll();

        Assert.Empty(immediate);
        Assert.Equal(new ClientReply<KeyValueReply>(new ClientId(8), 1, new KeyValueReply.Value("a")), cluster.Replies[^1]);
        Assert.Equal(2, cluster[0].Store.AppliedIndex); // the get had a slot of its own
        Assert.True(cluster.Writes > writes, "the get's slot was written");
    }

    [Fact]
    public void Request_GetAtADeposedLeaderThroughTheLog_NeverAnsweredStale()
    {
        // The deposed leader proposes the get in a slot no majority will accept in its ballot.
        var cluster = DeposedLeader(new KeyValueCluster(3, KeyValueSettings.Default with { ReadPath = KeyValueReadPath.Log }));

        cluster.Request(0, 8, 1, new KeyValueCommand.Get("x"));
        cluster.DeliverAll();
        Assert.DoesNotContain(cluster.Replies, r => r.Client == new ClientId(8));

        // Healed, it hears the newer ballot and stands down. A proposal in flight is not
        // redirected (a new leader might still choose it), so the client retries on its own.
        cluster.Heal();
        cluster.Tick(0, KeyValueSettings.Default.HeartbeatIntervalTicks);
        cluster.DeliverAll();
        Assert.Equal(KeyValueRole.Follower, cluster[0].Role);
        Assert.DoesNotContain(cluster.Replies, r => r.Client == new ClientId(8));
        var leader = Assert.IsType<int>(cluster.Leader);
        cluster.Request(leader, 8, 1, new KeyValueCommand.Get("x"));
        cluster.DeliverAll();
        var answer = Assert.Single(cluster.Replies, r => r.Client == new ClientId(8));
        Assert.Equal(new KeyValueReply.Value("b"), answer.Reply);
    }

    [Fact]
    public void Request_SameSequentialScheduleOnBothReadPaths_SameAnswersAndTheLogPathWritesMore()
    {
        // Each operation is answered before the next is sent, with no fault, so a linearizable
        // store has exactly one right answer for each: the two read paths must give the same,
        // and the same as a map applied in order. They still run differently: the log path
        // spends a slot on every get.
        var script = SequentialScript(seed: 17, operations: 300);

        var readIndex = RunSequentially(KeyValueReadPath.ReadIndex, script);
        var log = RunSequentially(KeyValueReadPath.Log, script);

        Assert.Equal(ExpectedAnswers(script), readIndex.Answers);
        Assert.Equal(readIndex.Answers, log.Answers);
        Assert.True(script.Count(c => c is KeyValueCommand.Get) >= 50, "the script has gets");
        Assert.True(readIndex.Answers.Count(a => a is KeyValueReply.Value { Current: not null }) >= 20, "gets saw values, not only missing keys");
        Assert.Equal(log.Applied - script.Count(c => c is KeyValueCommand.Get), readIndex.Applied);
    }

    private static List<KeyValueCommand> SequentialScript(int seed, int operations)
    {
        var random = new Random(seed);
        var keys = new[] { "x", "y", "z" };
        var script = new List<KeyValueCommand>();
        for (var i = 0; i < operations; i++)
        {
            var key = keys[random.Next(keys.Length)];
            script.Add(random.Next(6) switch
            {
                0 or 1 => new KeyValueCommand.Get(key),
                2 => new KeyValueCommand.Put(key, $"v{i}"),
                3 => new KeyValueCommand.Append(key, $"+{i}"),
                4 => new KeyValueCommand.Delete(key),
                _ => new KeyValueCommand.Cas(key, random.Next(2) == 0 ? null : $"v{i - 1}", $"c{i}"),
            });
        }
        return script;
    }

    /// <summary>Sends each command to the leader from one of three clients and runs the cluster until it is answered.</summary>
    private static (List<KeyValueReply> Answers, long Applied) RunSequentially(KeyValueReadPath path, List<KeyValueCommand> script)
    {
        var cluster = ElectedCluster(settings: KeyValueSettings.Default with { ReadPath = path });
        var sequences = new long[3];
        var answers = new List<KeyValueReply>();
        for (var i = 0; i < script.Count; i++)
        {
            var client = i % 3;
            var sequence = ++sequences[client];
            cluster.Request(0, client + 1, sequence, script[i]);
            for (var round = 0; round < 10 && !cluster.Replies.Any(r => r.Client.Value == client + 1 && r.Sequence == sequence); round++)
                cluster.Run(rounds: 1);
            answers.Add(Assert.Single(cluster.Replies, r => r.Client.Value == client + 1 && r.Sequence == sequence).Reply);
        }
        return (answers, cluster[0].Store.AppliedIndex);
    }

    /// <summary>The answers of a map that applies the script in order.</summary>
    private static List<KeyValueReply> ExpectedAnswers(List<KeyValueCommand> script)
    {
        var map = new Dictionary<string, string>();
        var answers = new List<KeyValueReply>();
        foreach (var command in script)
        {
            switch (command)
            {
                case KeyValueCommand.Get get:
                    answers.Add(new KeyValueReply.Value(map.GetValueOrDefault(get.Key)));
                    break;
                case KeyValueCommand.Put put:
                    map[put.Key] = put.Value;
                    answers.Add(KeyValueReply.Ok.Instance);
                    break;
                case KeyValueCommand.Append append:
                    map[append.Key] = map.GetValueOrDefault(append.Key) + append.Suffix;
                    answers.Add(KeyValueReply.Ok.Instance);
                    break;
                case KeyValueCommand.Delete delete:
                    map.Remove(delete.Key);
                    answers.Add(KeyValueReply.Ok.Instance);
                    break;
                case KeyValueCommand.Cas cas:
                    var swapped = map.GetValueOrDefault(cas.Key) == cas.Expected;
                    if (swapped) map[cas.Key] = cas.New;
                    answers.Add(new KeyValueReply.CasResult(swapped, map.GetValueOrDefault(cas.Key)));
                    break;
            }
        }
        return answers;
    }

    // n0 leads and x = "a"; then n0 is cut off without ticking, n1 and n2 elect one of them and
    // set x = "b" there, and n0 still believes it leads.
    private static KeyValueCluster DeposedLeader(KeyValueCluster cluster)
    {
        cluster.Elect(0);
        cluster.Request(0, 7, 1, PutXa);
        cluster.DeliverAll();
        cluster.Isolate(0);
        for (var i = 0; i < 100 && cluster.Leader is null or 0; i++)
        {
            cluster.Tick(1);
            cluster.Tick(2);
            cluster.DeliverAll();
        }
        var leader = Assert.IsType<int>(cluster.Leader);
        cluster.Request(leader, 7, 2, new KeyValueCommand.Put("x", "b"));
        cluster.DeliverAll();
        Assert.Equal(KeyValueRole.Leader, cluster[0].Role);
        Assert.Contains(cluster.Replies, r => r.Client == new ClientId(7) && r.Sequence == 2 && r.Reply is KeyValueReply.Ok);
        return cluster;
    }

    [Fact]
    public void Request_RetriedAppendWithSameSequence_AppliedOnceWithSameReply()
    {
        var cluster = ElectedCluster();
        var append = new KeyValueCommand.Append("log", "x");

        cluster.Request(0, 7, 1, append);
        cluster.DeliverAll();
        var retry = cluster.Request(0, 7, 1, append);

        Assert.Equal(cluster.Replies[0], Assert.Single(retry));
        cluster.DeliverAll();
        Assert.Equal("x", cluster[0].Store.Get("log"));
        Assert.Equal(1, cluster[0].Store.ExecutedCount);
    }

    [Fact]
    public void Request_RetriedWhileFirstCopyIsInTheLog_AppliedOnceBothAnswered()
    {
        var cluster = ElectedCluster();
        var append = new KeyValueCommand.Append("log", "x");
        cluster.Drop = e => e.Message is Accepted; // the first copy cannot be chosen yet

        cluster.Request(0, 7, 1, append);
        cluster.DeliverAll();
        cluster.Drop = null;
        cluster.Request(0, 7, 1, append); // the client timed out and retried: a second slot
        cluster.DeliverAll();
        cluster.Run(rounds: 3);           // retransmission gets the first slot chosen too

        Assert.Equal("x", cluster[0].Store.Get("log"));
        Assert.Equal(1, cluster[0].Store.ExecutedCount);
        Assert.Equal(2, cluster[0].Store.AppliedIndex);
        Assert.All(cluster.Replies, r => Assert.Equal(KeyValueReply.Ok.Instance, r.Reply));
    }

    [Fact]
    public void Request_ToFollower_RedirectsToLeader()
    {
        var cluster = ElectedCluster();

        var reply = Assert.Single(cluster.Request(2, 7, 1, PutXa));

        Assert.Equal(new KeyValueReply.Redirect(N(0)), reply.Reply);
        Assert.Empty(cluster.Queue);
        Assert.Null(cluster[2].Store.Get("x"));
    }

    [Fact]
    public void Request_BeforeAnyElection_RedirectsToNobody()
    {
        var cluster = new KeyValueCluster(3);

        var reply = Assert.Single(cluster.Request(1, 7, 1, PutXa));

        Assert.Equal(new KeyValueReply.Redirect(null), reply.Reply);
    }

    [Fact]
    public void Request_WhileAcceptsAreInFlight_BatchesLaterRequestsIntoOneSlot()
    {
        var cluster = ElectedCluster(settings: KeyValueSettings.Default with { InFlightSlotsMax = 1 });

        for (var client = 1; client <= 5; client++) cluster.Request(0, client, 1, new KeyValueCommand.Append("k", client.ToString()));
        cluster.DeliverAll();

        Assert.Equal(2, cluster[0].Store.AppliedIndex); // slot 1: client 1 alone; slot 2: clients 2..5
        Assert.Equal("12345", cluster[0].Store.Get("k"));
        Assert.Equal(5, cluster.Replies.Count);
    }

    [Fact]
    public void StepDown_LeaderCutOffFromMajority_StepsDownAndRedirectsQueuedClients()
    {
        var cluster = ElectedCluster(settings: KeyValueSettings.Default with { InFlightSlotsMax = 1 });
        cluster.Isolate(0);
        cluster.Request(0, 7, 1, PutXa);
        cluster.Request(0, 8, 1, PutXa); // queued behind the first, which cannot be chosen

        cluster.Tick(0, KeyValueSettings.Default.ElectionTimeoutTicksMax + 1);

        Assert.Equal(KeyValueRole.Follower, cluster[0].Role);
        Assert.Equal(new ClientReply<KeyValueReply>(new ClientId(8), 1, new KeyValueReply.Redirect(null)), Assert.Single(cluster.Replies));
    }

    [Fact]
    public void Elect_LeaderIsolatedThenHealed_NewLeaderTakesOverAndOldOneFollows()
    {
        var cluster = ElectedCluster();
        cluster.Request(0, 7, 1, PutXa);
        cluster.DeliverAll();

        cluster.Isolate(0);
        cluster.Run(rounds: 60);
        cluster.Heal();
        cluster.Run(rounds: 10);

        var leader = Assert.IsType<int>(cluster.Leader);
        Assert.NotEqual(0, leader);
        Assert.Equal(N(leader), cluster[0].Leader);
        cluster.Request(leader, 7, 2, new KeyValueCommand.Put("x", "b"));
        cluster.Run(rounds: 3);
        Assert.All(cluster.States, s => Assert.Equal("b", s.Store.Get("x")));
    }

    [Fact]
    public void PreVote_IsolatedReplicaRejoins_LeaderKeepsLeading()
    {
        // n2 is cut off and times out again and again; its pre-votes reach nobody, so its
        // promise (and everyone else's) stays at the leader's ballot, and healing changes nothing.
        var cluster = ElectedCluster();
        var ballot = cluster[0].Leadership!.Ballot;
        cluster.Isolate(2);
        cluster.Run(rounds: 100);
        Assert.Equal(KeyValueRole.PreCandidate, cluster[2].Role);

        cluster.Heal();
        cluster.Run(rounds: 5);

        Assert.Equal(0, cluster.Leader);
        Assert.All(cluster.States, s => Assert.Equal(ballot, s.Promised));
        Assert.Equal(KeyValueRole.Follower, cluster[2].Role);
    }

    [Fact]
    public void PreVote_FollowerOfLiveLeader_RefusesSilently()
    {
        var cluster = ElectedCluster();
        cluster.Run(rounds: 1);
        var config = NodeConfig<KeyValueSettings>.Cluster(3, KeyValueSettings.Default, 1)[1];

        var result = cluster.Protocol.Run(config, cluster[1], new KeyValueInput.Receive(N(2), new PreVote(new Ballot(9, N(2)), 0)));

        Assert.Same(cluster[1], result.State);
        Assert.True(result.Outbox.IsEmpty);
    }

    [Fact]
    public void Prepare_OlderThanPromise_AnsweredWithPreempted()
    {
        var cluster = ElectedCluster();
        var config = NodeConfig<KeyValueSettings>.Cluster(3, KeyValueSettings.Default, 1)[1];
        var follower = cluster[1] with { Promised = new Ballot(5, N(2)) };

        var result = cluster.Protocol.Run(config, follower, new KeyValueInput.Receive(N(0), new Prepare(new Ballot(3, N(0)), 1)));

        Assert.Same(follower, result.State);
        Assert.Equal(new Preempted(new Ballot(5, N(2))), Assert.Single(result.Outbox.Sends).Message);
    }

    [Fact]
    public void Preempted_Candidate_StandsDownAndCampaignsAboveTheNewerBallot()
    {
        var cluster = new KeyValueCluster(3);
        cluster.Tick(0, KeyValueSettings.Default.ElectionTimeoutTicksMax);
        Assert.Equal(KeyValueRole.PreCandidate, cluster[0].Role);
        cluster.Drop = e => e.Message is Prepare; // the pre-vote succeeds, phase 1 never arrives
        cluster.DeliverAll();
        Assert.Equal(KeyValueRole.Candidate, cluster[0].Role);
        var config = NodeConfig<KeyValueSettings>.Cluster(3, KeyValueSettings.Default, 1)[0];

        var result = cluster.Protocol.Run(config, cluster[0], new KeyValueInput.Receive(N(1), new Preempted(new Ballot(9, N(1)))));

        Assert.Equal(KeyValueRole.Follower, result.State.Role);
        Assert.Equal(new Ballot(9, N(1)), result.State.Promised);
    }

    [Fact]
    public void Elect_NewLeader_RecoversAcceptedButUndecidedSlotFromPromises()
    {
        // n0 leads; its accept for slot 1 reaches n1 only, and n0 crashes before learning of it.
        var cluster = ElectedCluster();
        cluster.Drop = e => e.Message is Accept && e.To != N(1) || e.Message is Accepted;
        cluster.Request(0, 7, 1, PutXa);
        cluster.DeliverAll();
        cluster.Drop = null;
        cluster.Crash(0);
        Assert.Equal(0, cluster[1].Store.AppliedIndex);
        Assert.True(cluster[1].Log.ContainsKey(1));

        // n2 wins the next election (n1's prepares are lost): n1's promise reports the slot,
        // and n2 proposes it again in its own ballot.
        cluster.Drop = e => e.Message is Prepare && e.From == N(1);
        cluster.Run(rounds: 60);

        Assert.Equal(2, cluster.Leader);
        Assert.Equal("a", cluster[2].Store.Get("x"));
        Assert.Equal(new ClientReply<KeyValueReply>(new ClientId(7), 1, KeyValueReply.Ok.Instance), Assert.Single(cluster.Replies));
    }

    [Fact]
    public void Elect_NewLeader_FillsGapsWithNoops()
    {
        // n0 proposes slots 1 and 2; only slot 2 reaches n1, so slot 1 is a gap in every promise.
        var cluster = ElectedCluster(settings: KeyValueSettings.Default with { InFlightSlotsMax = 2 });
        cluster.Drop = e => e.Message is Accepted || e.Message is Accept { Slot: 1 } || e.Message is Accept && e.To != N(1);
        cluster.Request(0, 7, 1, PutXa);
        cluster.Request(0, 8, 1, new KeyValueCommand.Put("y", "b"));
        cluster.DeliverAll();
        cluster.Crash(0);

        cluster.Drop = e => e.Message is Prepare && e.From == N(2); // n1 wins the next election
        cluster.Run(rounds: 60);

        Assert.Equal(1, cluster.Leader);
        Assert.Equal(2, cluster[1].Store.AppliedIndex);
        Assert.Null(cluster[1].Store.Get("x"));
        Assert.Equal("b", cluster[1].Store.Get("y"));
        Assert.True(cluster[1].Log[1].Value.IsNoop);
    }

    /// <summary>
    /// n2 misses 20 puts of <paramref name="value"/>(i) while cut off; then the leader n0 crashes
    /// and n2 is back, with n1 the only replica that has the 20 slots.
    /// </summary>
    private static KeyValueCluster LaggingReplicaAndLeaderCrashed(KeyValueSettings settings, Func<int, string> value)
    {
        var cluster = ElectedCluster(settings: settings);
        cluster.Isolate(2);
        for (var i = 1; i <= 20; i++)
        {
            cluster.Request(0, 7, i, new KeyValueCommand.Put("x", value(i)));
            cluster.DeliverAll();
        }
        cluster.Run(rounds: 2);
        cluster.Crash(0);
        cluster.Heal();
        return cluster;
    }

    [Fact]
    public void Elect_CandidateBehindCompactionPoint_IsRefusedAndThenCaughtUpByTheNewLeader()
    {
        var cluster = LaggingReplicaAndLeaderCrashed(KeyValueSettings.Default with { RetainedEntriesMax = 4 }, i => i.ToString());
        var promised = cluster[1].Promised;

        // n2 missed 20 slots and n1 has compacted all but 4 of them: n1 could not report them, so
        // it promises n2 nothing (and grants no pre-vote) however often n2 asks.
        cluster.Drop = e => e.Message is PreVote or Prepare && e.From == N(1);
        cluster.Run(rounds: 60);
        Assert.Null(cluster.Leader);
        Assert.Equal(promised, cluster[1].Promised);

        // n1 campaigns, wins with n2's promise, and sends n2 its store in chunks.
        cluster.Drop = null;
        cluster.Run(rounds: 60);

        Assert.Equal(1, cluster.Leader);
        Assert.Equal("20", cluster[2].Store.Get("x"));
        Assert.True(cluster[2].Store.AppliedIndex >= 20);
    }

    [Fact]
    public void Elect_CandidateWhosePromiseWouldBeTooLarge_GetsNoPreVoteAndRaisesNoBallot()
    {
        // n1 still holds the 20 slots n2 missed (nothing compacted), but reporting them would make
        // the promise larger than PromiseBytesMax: n1 refuses n2's pre-vote as it would its prepare,
        // so n2 never campaigns, never raises its promise, and cannot preempt n1 later.
        var cluster = LaggingReplicaAndLeaderCrashed(
            KeyValueSettings.Default with { RetainedEntriesMax = 100, PromiseBytesMax = 1_000 }, i => new string((char)('a' + i), 100));
        var promised = cluster[1].Promised;

        cluster.Drop = e => e.Message is PreVote or Prepare && e.From == N(1);
        cluster.Run(rounds: 60);
        Assert.Null(cluster.Leader);
        Assert.Equal(promised, cluster[1].Promised);
        Assert.True(cluster[2].Promised <= promised, $"n2 raised its promise to {cluster[2].Promised}");
        Assert.Equal(KeyValueRole.PreCandidate, cluster[2].Role);

        cluster.Drop = null;
        cluster.Run(rounds: 60);

        Assert.Equal(1, cluster.Leader);
        Assert.Equal(new string((char)('a' + 20), 100), cluster[2].Store.Get("x"));
    }

    [Fact]
    public void SnapshotTransfer_ChunksLostDuplicatedAndReordered_FollowerInstallsTheWholeStore()
    {
        // One key per chunk, so 30 keys take 30 chunks (plus the dedup table's).
        var settings = KeyValueSettings.Default with { RetainedEntriesMax = 2, SnapshotChunkBytesMax = 10 };
        var cluster = ElectedCluster(settings: settings);
        cluster.Isolate(2);
        for (var i = 1; i <= 30; i++)
        {
            cluster.Request(0, 7, i, new KeyValueCommand.Put($"k{i:D2}", "v"));
            cluster.DeliverAll();
        }
        cluster.Heal();
        var held = new List<Envelope<KeyValueMessage>>();
        var chunks = 0;
        cluster.Drop = e =>
        {
            if (e.Message is not SnapshotChunk) return false;
            chunks++;
            if (chunks % 4 == 0) return true;                    // lost
            if (chunks % 7 == 0) { held.Add(e); return true; }   // delayed: delivered again below
            return false;
        };

        for (var round = 0; round < 200 && cluster[2].Store.AppliedIndex < 30; round++)
        {
            cluster.Run(rounds: 1);
            foreach (var late in held) cluster.Inject(late);     // a stale chunk, long after it was sent
            held.Clear();
        }

        Assert.Equal(30, cluster[2].Store.Data.Count);
        Assert.Equal(cluster[0].Store.ContentHash(), cluster[2].Store.ContentHash());
        Assert.Null(cluster[2].Receiving);
        Assert.True(chunks > 30, $"only {chunks} chunks were sent");
        Assert.True(cluster.Durable[2].Snapshot?.Index >= 30, "the installed store was not written as n2's snapshot");
    }

    [Fact]
    public void CatchUp_LaggingReplicaWithinRetention_GetsMissingEntries()
    {
        var cluster = ElectedCluster();
        cluster.Isolate(2);
        for (var i = 1; i <= 5; i++)
        {
            cluster.Request(0, 7, i, new KeyValueCommand.Append("x", i.ToString()));
            cluster.DeliverAll();
        }

        cluster.Heal();
        cluster.Run(rounds: 4);

        Assert.Equal(5, cluster[2].Store.AppliedIndex);
        Assert.Equal(0, cluster[2].CompactedIndex);
        Assert.Equal("12345", cluster[2].Store.Get("x"));
    }

    [Fact]
    public void CatchUp_LaggingReplicaAfterCompaction_InstallsSnapshot()
    {
        var settings = KeyValueSettings.Default with { RetainedEntriesMax = 8 };
        var cluster = ElectedCluster(settings: settings);
        cluster.Isolate(2);
        for (var i = 1; i <= 50; i++)
        {
            cluster.Request(0, 7, i, new KeyValueCommand.Append("x", "."));
            cluster.DeliverAll();
        }
        Assert.True(cluster[0].CompactedIndex > 0);

        cluster.Heal();
        cluster.Run(rounds: 4);

        Assert.Equal(50, cluster[2].Store.AppliedIndex);
        Assert.True(cluster[2].CompactedIndex > 0);
        Assert.Equal(new string('.', 50), cluster[2].Store.Get("x"));
        Assert.Equal(cluster[0].Store.ContentHash(), cluster[2].Store.ContentHash());
    }

    [Fact]
    public void Restart_CrashedFollower_KeepsPromiseAndLogAndCatchesUp()
    {
        var cluster = ElectedCluster();
        cluster.Request(0, 7, 1, PutXa);
        cluster.DeliverAll();
        cluster.Run(rounds: 2);
        Assert.Equal("a", cluster[1].Store.Get("x"));
        cluster.Crash(1);
        cluster.Request(0, 7, 2, new KeyValueCommand.Put("x", "b"));
        cluster.DeliverAll();

        cluster.Restart(1);
        // Learning that slot 1 was chosen wrote nothing (applying alone costs no write), so the
        // follower comes back with the entry it accepted, not yet applied, and learns it again.
        Assert.Equal(new Ballot(1, N(0)), cluster[1].Promised);
        Assert.Equal(PutXa, Assert.Single(cluster[1].Log[1].Value.Commands).Command);
        cluster.Run(rounds: 4);

        Assert.Equal("b", cluster[1].Store.Get("x"));
        Assert.Equal(2, cluster[1].Store.AppliedIndex);
    }

    [Fact]
    public void Apply_LeaderLearnsItsSlotIsChosen_RepliesInAStepThatWritesNothing()
    {
        var cluster = ElectedCluster();
        cluster.Request(0, 7, 1, PutXa);
        int writesBefore;
        do
        {
            writesBefore = cluster.Writes;
            cluster.DeliverNext();
        }
        while (cluster.Replies.Count == 0);

        // The step that counted the majority applied the slot and replied, and wrote nothing:
        // the reply leaves without waiting for a flush. The next write records the applied index.
        Assert.Equal(writesBefore, cluster.Writes);
        Assert.Equal(1, cluster[0].Store.AppliedIndex);
        Assert.Equal(0, cluster[0].DurableApplied);
    }

    [Fact]
    public void Restart_CrashedLeader_ComesBackAsFollower()
    {
        var cluster = ElectedCluster();
        cluster.Crash(0);

        cluster.Restart(0);

        Assert.Equal(KeyValueRole.Follower, cluster[0].Role);
        Assert.Equal(new Ballot(1, N(0)), cluster[0].Promised);
    }

    [Fact]
    public void Request_TenThousandPuts_StateStaysBounded()
    {
        var settings = KeyValueSettings.Default with { RetainedEntriesMax = 32, SessionsMax = 16 };
        var cluster = ElectedCluster(settings: settings);

        for (var i = 1; i <= 10_000; i++)
        {
            cluster.Request(0, client: i % 100, sequence: i, new KeyValueCommand.Put("k" + (i % 10), i.ToString()));
            cluster.DeliverAll();
            if (i % 100 == 0) cluster.Run(rounds: 1);
        }
        cluster.Run(rounds: 2);

        Assert.All(cluster.States, s =>
        {
            Assert.Equal(10_000, s.Store.AppliedIndex);
            Assert.InRange(s.Log.Count, 0, settings.RetainedEntriesMax + 1);
            Assert.InRange(s.Store.Sessions.Count, 0, settings.SessionsMax);
            Assert.Equal(10, s.Store.Data.Count);
        });
        Assert.Empty(cluster[0].Leadership!.InFlight);
        Assert.Equal(10_000, cluster.Replies.Count);
    }

    [Fact]
    public void Accepted_DuplicatedFromOneAcceptor_DoesNotMakeAMajority()
    {
        // Five replicas: the leader's own vote plus one follower's vote delivered three times is two votes, not four.
        var cluster = ElectedCluster(size: 5);
        cluster.Drop = e => e.Message is Accept && e.To.Value > 1;
        cluster.Request(0, 7, 1, PutXa);
        cluster.DeliverAll();
        var config = NodeConfig<KeyValueSettings>.Cluster(5, KeyValueSettings.Default, 1)[0];
        var leader = cluster[0];

        for (var copy = 0; copy < 3; copy++)
            leader = cluster.Protocol.Run(config, leader, new KeyValueInput.Receive(N(1), new Accepted(leader.Leadership!.Ballot, 1))).State;

        Assert.Equal(0, leader.Store.AppliedIndex);
        Assert.Equal(2, leader.Leadership!.InFlight[1].VoteCount);
        Assert.Empty(cluster.Replies);
    }

    [Fact]
    public void Heartbeat_FromDeposedLeader_AnsweredWithPreemptedAndItStandsDown()
    {
        var cluster = ElectedCluster();
        cluster.Isolate(0);
        cluster.Drop = e => e.Message is Prepare && e.From == N(1); // n2 wins while n0 is cut off
        for (var round = 0; round < 40; round++)
        {
            cluster.Tick(1);
            cluster.Tick(2);
            cluster.DeliverAll();
        }
        Assert.Equal(KeyValueRole.Leader, cluster[2].Role);
        Assert.Equal(KeyValueRole.Leader, cluster[0].Role); // n0 did not tick: it still believes it leads
        cluster.Drop = null;
        cluster.Heal();

        cluster.Tick(0, KeyValueSettings.Default.HeartbeatIntervalTicks);
        cluster.DeliverAll();

        Assert.Equal(KeyValueRole.Follower, cluster[0].Role);
        Assert.Equal(cluster[2].Leadership!.Ballot, cluster[0].Promised);
    }

    [Fact]
    public void Describe_Leader_ShowsRoleBallotAndIndexes()
    {
        var cluster = ElectedCluster();
        cluster.Request(0, 7, 1, PutXa);
        cluster.DeliverAll();

        var text = cluster.Protocol.Describe(cluster[0]);

        Assert.Equal("Leader leader=n0 ballot=1.n0 promised=1.n0 applied=1 compacted=0 log=1 snapshot=0 keys=1 in-flight=0 pending=0 heartbeat=0/2", text);
    }
}
