using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Tests.Linearizability;

public sealed class HistoryGeneratorTests
{
    [Theory]
    [InlineData(1UL, 0)]
    [InlineData(2UL, 0)]
    [InlineData(3UL, 30)]
    [InlineData(4UL, 100)]
    public void Linearizable_AnySeed_IsLinearizable(ulong seed, int timeoutsPerThousand)
    {
        var history = HistoryGenerator.Linearizable(seed, operations: 5_000, keys: 10, clients: 10, timeoutsPerThousand);

        var result = LinearizabilityChecker.Check(history, KeyValueModel.Instance);

        Assert.Equal(5_000, history.Count);
        Assert.Equal(10, history.Keys.Count);
        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void Linearizable_SameSeed_SameHistory()
    {
        var first = HistoryJson.Write(HistoryGenerator.Linearizable(9, 2_000, 5, 7, 20));
        var second = HistoryJson.Write(HistoryGenerator.Linearizable(9, 2_000, 5, 7, 20));
        var other = HistoryJson.Write(HistoryGenerator.Linearizable(10, 2_000, 5, 7, 20));

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Linearizable_Operations_OverlapAndUseEveryCommand()
    {
        var history = HistoryGenerator.Linearizable(5, 2_000, 4, 10, timeoutsPerThousand: 20);
        var completed = history.Operations.Where(o => o.Complete is not null).OrderBy(o => o.Invoke).ToList();

        Assert.Equal(5, history.Operations.Select(o => o.Command.Kind).Distinct().Count());
        Assert.Contains(history.Operations, o => o.Result.Outcome == Outcome.Unknown);
        Assert.Contains(history.Operations, o => o.Result.Outcome == Outcome.Failed);
        Assert.Contains(completed.Zip(completed.Skip(1)), pair => pair.Second.Invoke < pair.First.Complete);
    }

    [Fact]
    public void Linearizable_OneResultCorrupted_IsCaught()
    {
        // Flip one read to a value the key held long before: a stale read the checker must find.
        var history = HistoryGenerator.Linearizable(11, 3_000, 3, 10);
        var reads = history.Operations.Where(o => o.Command.Kind == OperationKind.Get && o.Result.ReadValue is { Length: > 0 }).ToList();
        var victim = reads[^1];
        var stale = reads.First(r => r.Key == victim.Key && r.Result.ReadValue != victim.Result.ReadValue
                                     && history.Operations.Any(w => w.Key == victim.Key && w.Command.IsMutation && w.Complete < victim.Invoke && w.Invoke > r.Complete));
        var corrupted = new History(history.Operations.Select(o => o == victim ? o with { Result = stale.Result } : o));

        var result = LinearizabilityChecker.Check(corrupted, KeyValueModel.Instance);

        Assert.Equal(Verdict.NotLinearizable, result.Verdict);
        Assert.Contains(result.Counterexample, o => o.Id == victim.Id);
        Assert.True(result.Counterexample.Length <= 6, result.Explanation);
    }
}
