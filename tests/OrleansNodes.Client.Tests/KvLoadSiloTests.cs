using OrleansNodes.Client.Load;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Client.Tests;

/// <summary><c>kv load</c> against one real silo (a child process): the counts add up and the recorded history checks.</summary>
public sealed class KvLoadSiloTests(SiloProcess silo) : IClassFixture<SiloProcess>
{
    [Fact]
    public void KvLoad_OpsWithHistoryAndFinalReads_EveryOperationRecordedAndLinearizable()
    {
        var history = Path.Combine(Path.GetTempPath(), $"orleansnodes-load-{Guid.NewGuid():N}.jsonl");
        try
        {
            var run = silo.Run("kv", "load", "--ops", "300", "--clients", "4", "--keys", "4", "--seed", "3", "--history", history, "--final-reads", "--json");
            Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
            var summary = LoadSummary.FromJson(run.Output.Trim());
            Assert.Equal(300, summary.Ops);
            Assert.Equal(summary.Ops, summary.Ok + summary.Failed + summary.Unknown + summary.Rejected);
            Assert.Equal(4, summary.FinalReadsOk);

            // One line per operation: the load's and the final reads'; `check` agrees it is linearizable.
            var recorded = HistoryJson.Load(history);
            Assert.Equal(summary.Ops - summary.Rejected + summary.FinalReads, recorded.Count);
            Assert.Equal(4, recorded.Keys.Count);
            var check = ConsoleRun.Of("check", history);
            Assert.True(check.ExitCode == ExitCodes.Ok, check.Output + check.Error);
        }
        finally
        {
            File.Delete(history);
        }
    }

    [Fact]
    public void KvLoad_TwoRunsOnTheSameKeys_EachHistoryChecksOnItsOwn()
    {
        // The second load only reads, and finds the first one's values in its keys: checked as if
        // the store started empty, its reads would be values no operation of its own wrote. Its
        // history says what the keys held before it began.
        var histories = new[] { TempHistory(), TempHistory() };
        try
        {
            foreach (var (history, mix) in histories.Zip(["put=50,get=30,cas=10,append=10", "get=100"]))
            {
                var run = silo.Run("kv", "load", "--ops", "200", "--clients", "4", "--keys", "3", "--seed", "9", "--mix", mix, "--history", history, "--final-reads", "--json");
                Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
            }

            var second = HistoryJson.Load(histories[1]);
            Assert.NotEmpty(second.Initial);
            foreach (var history in histories)
            {
                var check = ConsoleRun.Of("check", history);
                Assert.True(check.ExitCode == ExitCodes.Ok, check.Output + check.Error);
            }
            // Without the initial values the second history would not check: the test can fail.
            var withoutInitial = new History(second.Operations);
            Assert.False(LinearizabilityChecker.Check(withoutInitial, KeyValueModel.Instance).IsLinearizable);
        }
        finally
        {
            foreach (var history in histories) File.Delete(history);
        }
    }

    [Fact]
    public void KvLoad_OutputJson_SameSummaryAsTheJsonSwitch()
    {
        var summary = LoadSummaryOf("--ops", "20", "--clients", "2", "--keys", "2", "-o", "json");
        Assert.Equal(20, summary.Ops);
    }

    [Fact]
    public void KvLoad_Rate_OperationsStartNoFasterThanAsked()
    {
        // The 20th operation may start at 19 / 10 s at the earliest, however fast the silo answers.
        var summary = LoadSummaryOf("--ops", "20", "--rate", "10", "--clients", "4", "--keys", "2", "--json");
        Assert.Equal(20, summary.Ops);
        Assert.True(summary.Seconds >= 1.9, $"20 operations at 10/s took {summary.Seconds} s");
    }

    [Fact]
    public void KvLoad_Warmup_RunsFirstAndIsNotCounted()
    {
        var summary = LoadSummaryOf("--ops", "20", "--warmup", "1", "--clients", "2", "--keys", "2", "--json");
        // The measured phase is exactly the 20 operations asked for; the warm-up's are apart.
        Assert.Equal(20, summary.Ops);
        Assert.True(summary.WarmupOps > 0, $"the warm-up issued {summary.WarmupOps} operations");
        // The warm-up ends at its duration, not at its first answer (timers fire to the
        // millisecond of a coarse clock, so "1 s" may read 0.999 on the stopwatch).
        Assert.True(summary.WarmupSeconds >= 0.9, $"the warm-up lasted {summary.WarmupSeconds} s");
    }

    [Fact]
    public void KvLoad_WarmupAsText_SaysItWasNotMeasured()
    {
        var run = silo.Run("kv", "load", "--ops", "10", "--warmup", "0.5", "--clients", "1", "--keys", "1");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        Assert.Matches(@"warm-up  \d+ ops in \d+\.\d s, not measured", run.Output);
        Assert.Contains("ops      10:", run.Output);
    }

    /// <summary>Runs <c>kv load</c> with <paramref name="options"/> against the silo; its JSON summary, once it exited 0.</summary>
    private LoadSummary LoadSummaryOf(params string[] options)
    {
        var run = silo.Run(["kv", "load", .. options]);
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
        return LoadSummary.FromJson(run.Output.Trim());
    }

    private static string TempHistory() => Path.Combine(Path.GetTempPath(), $"orleansnodes-load-{Guid.NewGuid():N}.jsonl");
}
