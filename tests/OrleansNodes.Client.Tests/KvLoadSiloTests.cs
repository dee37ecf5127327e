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
}
