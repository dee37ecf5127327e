using OrleansNodes.Hosting.Clients;
using OrleansNodes.Hosting.Clusters;
using OrleansNodes.Hosting.Tests.Support;
using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Simulation.Linearizability;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace OrleansNodes.Hosting.Tests.Clusters;

/// <summary>
/// The replicated key-value store with one replica on each of three silos (a fourth, the test
/// cluster's primary, hosts none), while the leader's silo is killed and a fresh silo joins.
/// What clients saw must be linearizable (Herlihy and Wing), unknown outcomes included.
/// </summary>
[Collection("silos")]
public sealed class KeyValueSiloKillTests(ITestOutputHelper output)
{
    private const int Sessions = 4;
    private const int RepliesBeforeKill = 60;
    private const int RepliesAfterRestart = 60;
    private static readonly string[] _keys = ["a", "b", "c"];

    [Theory(Timeout = 150_000)]
    [InlineData(1)]
    public async Task KillSilo_UnderConcurrentClients_HistoryLinearizableAndWritesSurvive(int seed)
    {
        await using var silos = await SiloCluster.StartAsync(silos: 4);
        await silos.Nodes.CreateClusterAsync(new ClusterSpec("kv", "kv", 3));
        for (var i = 0; i < 3; i++) await silos.MoveAsync("kv", i, silos.Cluster.Silos[i + 1]);
        var history = new RecordedHistory();
        var sessions = Enumerable.Range(0, Sessions).Select(_ => silos.Nodes.OpenSession("kv", TimeSpan.FromSeconds(3))).ToArray();
        using var stop = new CancellationTokenSource();

        var clients = sessions.Select((session, i) => RunClientAsync(history, session, new Random(seed * 100 + i), stop.Token)).ToArray();

        // 60 answers, kill the leader's silo, a new silo joins, 60 more answers: the clients ran
        // across the whole failure, the election and the recovery.
        await WhileClientsRun(clients, () => history.Replied >= RepliesBeforeKill, "the first answers");
        var (doomed, ballot) = await LeaderAsync(silos);
        await silos.Cluster.KillSiloAsync(doomed);
        await silos.Cluster.StartAdditionalSiloAsync();
        var recovered = history.Replied;
        await WhileClientsRun(clients, () => history.Replied >= recovered + RepliesAfterRestart, "answers after the restart", timeoutSeconds: 60);
        await stop.CancelAsync();
        // The answers after the kill came from a new leadership: a leader in a newer ballot.
        await Eventually.Reaches(() => LeaderBallotAsync(silos), leader => leader is { } l && l.Ballot != ballot, $"a leader in a ballot other than {ballot}");
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(30));

        // Every acknowledged write must be visible: a final read of each key, after every client
        // stopped, is part of the history, so it must agree with the one order the checker finds.
        var reader = silos.Nodes.OpenSession("kv", TimeSpan.FromSeconds(3));
        foreach (var key in _keys)
        {
            var read = await Eventually.Reaches(() => history.SubmitAsync(reader, new KeyValueCommand.Get(key)), reply => reply is not null, $"a final read of {key}");
            Assert.IsType<KeyValueReply.Value>(read);
        }
        var result = LinearizabilityChecker.Check(history.Build(), KeyValueModel.Instance, new CheckOptions { TimeBudget = TimeSpan.FromSeconds(20) });

        output.WriteLine($"killed {doomed.SiloAddress} (leader in {ballot}); {history.Replied} answered, {history.Unknown} unknown; {result.Explanation}");
        Assert.True(result.IsLinearizable, $"{result.Explanation} ({history.Replied} answered, {history.Unknown} unknown)");
    }

    /// <summary>One client: random commands on a few keys, one at a time, until stopped.</summary>
    private static async Task RunClientAsync(RecordedHistory history, ClusterSession session, Random random, CancellationToken stop)
    {
        var seen = new Dictionary<string, string?>();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var key = _keys[random.Next(_keys.Length)];
            var value = $"{session.Client}.{i}";
            KeyValueCommand command = random.Next(10) switch
            {
                < 3 => new KeyValueCommand.Get(key),
                < 6 => new KeyValueCommand.Put(key, value),
                < 8 => new KeyValueCommand.Append(key, "+" + value),
                _ => new KeyValueCommand.Cas(key, seen.GetValueOrDefault(key), value),
            };
            var reply = await history.SubmitAsync(session, command);
            switch (reply)
            {
                case KeyValueReply.Value read:
                    seen[key] = read.Current;
                    break;
                case KeyValueReply.CasResult cas:
                    seen[key] = cas.Current;
                    break;
            }
        }
    }

    /// <summary>The node that leads now, by its ballot, and its silo (every replica is on a non-primary silo).</summary>
    private static async Task<(InProcessSiloHandle Silo, string Ballot)> LeaderAsync(SiloCluster silos)
    {
        var (ballot, at) = await Eventually.Reaches(
            async () => await LeaderBallotAsync(silos) is { } leader ? (Ballot: leader.Ballot, At: await silos.SiloOf("kv", leader.Node)) : (Ballot: "", At: null),
            leader => leader.At is not null,
            "a node leads");
        return (silos.Cluster.Silos.Single(s => s.SiloAddress == at), ballot);
    }

    /// <summary>The leader's index and the ballot it leads in (the "ballot=" field of its description), or null while no node leads.</summary>
    private static async Task<(int Node, string Ballot)?> LeaderBallotAsync(SiloCluster silos)
    {
        var status = await silos.Nodes.StatusAsync("kv");
        var leader = status.Nodes.FirstOrDefault(n => n.Description.StartsWith("Leader ", StringComparison.Ordinal));
        return leader is null ? null : (leader.Node.Value, leader.Description.Split(' ').Single(part => part.StartsWith("ballot=", StringComparison.Ordinal)));
    }

    /// <summary>Waits for <paramref name="reached"/>, failing at once if a client failed and after a bound otherwise.</summary>
    private static async Task WhileClientsRun(Task[] clients, Func<bool> reached, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!reached())
        {
            if (clients.FirstOrDefault(c => c.IsFaulted) is { } failed) await failed;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"never reached: {what}");
            await Task.Delay(50);
        }
    }
}
