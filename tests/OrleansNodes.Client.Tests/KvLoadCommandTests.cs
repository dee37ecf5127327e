using OrleansNodes.Client.Load;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Client.Tests;

/// <summary><c>kv load</c>'s command line: every bad flag is one line and exit code 2, before any silo is contacted.</summary>
public sealed class KvLoadCommandTests
{
    [Theory]
    [InlineData("--clients 0", "--clients must be from 1 to 1000")]
    [InlineData("--keys 0", "--keys must be from 1 to 1000000")]
    [InlineData("--duration 0", "--duration must be more than 0")]
    [InlineData("--duration -3", "--duration must be more than 0")]
    [InlineData("--ops 0", "--ops must be from 1 to 10000000")]
    [InlineData("--duration 5 --ops 100", "give --duration or --ops, not both")]
    [InlineData("--mix put=0", "gives every kind weight 0")]
    [InlineData("--mix read=5", "is not KIND=WEIGHT")]
    [InlineData("--mix put=x", "the weight must be a whole number")]
    [InlineData("--mix put=1,put=2", "names put twice")]
    [InlineData("--history /nonexistent-folder/history.jsonl", "its folder does not exist")]
    [InlineData("--warmup 0", "--warmup must be more than 0 and at most 3600 seconds")]
    [InlineData("--warmup 2 --final-reads", "--warmup cannot be combined with --history or --final-reads")]
    [InlineData("--warmup 2 --history /tmp/orleansnodes-warmup-history.jsonl", "--warmup cannot be combined with --history or --final-reads")]
    public void KvLoad_BadOption_OneLineAndExitCode2(string options, string expected)
    {
        // A gateway nobody listens on: a bad flag must be reported before any connection is tried.
        var run = ConsoleRun.Of(["kv", "load", .. options.Split(' '), "--gateway", $"127.0.0.1:{OrleansNodes.TestServers.FreePorts.Take(1)[0]}"]);
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Contains(expected, run.Error);
    }

    [Fact]
    public void KvLoad_HistoryIsADirectory_ExitCode2()
    {
        var run = ConsoleRun.Of("kv", "load", "--history", Path.GetTempPath(), "--gateway", "127.0.0.1:1");
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Contains("is a directory", run.Error);
    }

    [Fact]
    public void KvLoad_NobodyListening_OneLineAndExitCode3()
    {
        var gateway = $"127.0.0.1:{OrleansNodes.TestServers.FreePorts.Take(1)[0]}";
        var run = ConsoleRun.Of("kv", "load", "--ops", "10", "--gateway", gateway, "--timeout-ms", "1000");
        run.AssertCleanError(ExitCodes.Unavailable);
        Assert.StartsWith($"error: cannot reach a silo at {gateway} (", run.Error);
    }

    [Theory]
    [InlineData("put=50,get=30,cas=10,append=10", 50, 30, 10, 10, 0)]
    [InlineData("put=100", 100, 0, 0, 0, 0)]
    [InlineData(" get = 1 , delete=2", 0, 1, 0, 0, 2)]
    public void LoadMixParse_WellFormed_WeightsAsGiven(string text, int put, int get, int cas, int append, int delete)
    {
        Assert.Equal(new LoadMix(put, get, cas, append, delete), LoadMix.Parse(text, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void LoadMixPick_EveryRoll_KindInProportionToItsWeight()
    {
        var mix = new LoadMix(Put: 2, Get: 1, Cas: 0, Append: 3, Delete: 1);
        var kinds = Enumerable.Range(0, mix.Total).Select(mix.Pick).ToList();
        Assert.Equal(
            [OperationKind.Put, OperationKind.Put, OperationKind.Get, OperationKind.Append, OperationKind.Append, OperationKind.Append, OperationKind.Delete],
            kinds);
    }

    [Fact]
    public void LoadMixToString_Default_ParsesBackToItself()
    {
        Assert.Equal(LoadMix.Default, LoadMix.Parse(LoadMix.Default.ToString(), out _));
    }

    [Fact]
    public void LoadRecorder_KeepingNoHistory_CountsEverySampleAndRefusesAHistory()
    {
        var figures = new LoadRecorder { KeepsHistory = false };
        var history = new LoadRecorder();
        foreach (var recorder in new[] { figures, history })
        {
            recorder.Complete(recorder.Invoke(0, Command.Put("k0", new string('v', 10_240))), OperationResult.Ok);
            recorder.Complete(recorder.Invoke(1, Command.Get("k0")), OperationResult.Read(new string('v', 10_240)));
        }

        Assert.Equal(2, figures.Samples().Count);
        Assert.Throws<InvalidOperationException>(() => figures.History());
        Assert.Equal(2, history.Samples().Count);
        Assert.Equal(2, history.History().Operations.Length);
    }

    [Fact]
    public void LoadRecorder_AcknowledgedInTheWarmup_FirstAcknowledgedNotAnnouncedAgain()
    {
        var announced = 0;
        var warmup = new LoadRecorder { FirstAcknowledged = () => announced++ };
        warmup.Complete(warmup.Invoke(0, Command.Put("k0", "a")), OperationResult.Ok);
        var measured = new LoadRecorder { FirstAcknowledged = () => announced++ };
        measured.AcknowledgedEarlier();
        measured.Complete(measured.Invoke(0, Command.Put("k0", "b")), OperationResult.Ok);
        Assert.Equal(1, announced);

        // Without the warm-up's acknowledgement, the measured phase announces its own first one.
        var alone = new LoadRecorder { FirstAcknowledged = () => announced++ };
        alone.Complete(alone.Invoke(0, Command.Get("k0")), OperationResult.Read("b"));
        Assert.Equal(2, announced);
    }
}
