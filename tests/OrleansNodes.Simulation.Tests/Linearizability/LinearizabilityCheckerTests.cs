using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Tests.Linearizability;

public sealed class LinearizabilityCheckerTests
{
    [Fact]
    public void Check_EmptyHistory_IsLinearizable()
    {
        var result = LinearizabilityChecker.Check(History.Empty, KeyValueModel.Instance);

        Assert.True(result.IsLinearizable);
        Assert.Empty(result.Keys);
    }

    [Fact]
    public void Check_StaleRead_NamesTheOverwritingPut()
    {
        // c1 writes x, then c2 overwrites it with y, then c3 still reads x.
        var result = new Scenario()
            .Put(1, "k", "x", 1, 2)
            .Put(2, "k", "y", 3, 4)
            .Get(3, "k", "x", 5, 6)
            .Check();

        Assert.Equal(Verdict.NotLinearizable, result.Verdict);
        Assert.Equal("k", result.FailingKey);
        Assert.Equal([0, 1, 2], result.Counterexample.Select(o => o.Id));
        Assert.Contains(
            "get k → \"x\" by c3 at [5,6] is stale: put k \"y\" by c2 at [3,4] replaced \"x\" after put k \"x\" by c1 at [1,2] wrote it, and before the get was invoked.",
            result.Explanation);
    }

    [Fact]
    public void Check_ReadBeforeTheOnlyWrite_SaysTheWriteCameLater()
    {
        var result = new Scenario()
            .Get(3, "k1", "x", 12, 15)
            .Put(1, "k1", "x", 20, 22)
            .Check();

        Assert.Equal(Verdict.NotLinearizable, result.Verdict);
        Assert.StartsWith(
            "not linearizable: key \"k1\" (key-value model): get k1 → \"x\" by c3 at [12,15] cannot be ordered: " +
            "the only put of \"x\" (put k1 \"x\" by c1 at [20,22]) was invoked after it completed.",
            result.Explanation);
        Assert.Equal(2, result.Counterexample.Length);
    }

    [Fact]
    public void Check_ReadOfAValueNobodyWrote_SaysSo()
    {
        var result = new Scenario()
            .Put(1, "k", "x", 1, 2)
            .Get(2, "k", "z", 3, 4)
            .Check();

        Assert.Equal(Verdict.NotLinearizable, result.Verdict);
        Assert.Contains("get k → \"z\" by c2 at [3,4] observed \"z\", a value no operation on the key wrote.", result.Explanation);
        Assert.Equal([1], result.Counterexample.Select(o => o.Id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("x")]
    public void Check_GetConcurrentWithPut_MayReadEitherValue(string? read)
    {
        var result = new Scenario()
            .Put(1, "k", "x", 1, 4)
            .Get(2, "k", read, 2, 3)
            .Check();

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("x")]
    public void Check_InvokedAtThePositionAnotherCompleted_Overlaps(string? read)
    {
        // Equal positions give no order: the get may fall on either side of the put.
        var result = new Scenario()
            .Put(1, "k", "x", 1, 3)
            .Get(2, "k", read, 3, 4)
            .Check();

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void Check_TimedOutPutThatLaterShowsUp_IsLinearizable()
    {
        var result = new Scenario()
            .Put(1, "k", "x", 1, null)
            .Get(2, "k", "", 2, 3)
            .Get(2, "k", "x", 10, 11)
            .Check();

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void Check_TimedOutPutThatNeverShows_IsLinearizable()
    {
        var result = new Scenario()
            .Put(1, "k", "x", 1, null)
            .Get(2, "k", "", 5, 6)
            .Get(3, "k", "", 7, 8)
            .Check();

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void Check_TimedOutPutSeenThenUnseen_IsNotLinearizable()
    {
        // Once one client saw the write, a later read cannot miss it.
        var result = new Scenario()
            .Put(1, "k", "x", 1, null)
            .Get(2, "k", "x", 5, 6)
            .Get(3, "k", "", 7, 8)
            .Check();

        Assert.Equal(Verdict.NotLinearizable, result.Verdict);
        Assert.Equal([1, 2], result.Counterexample.Select(o => o.Id).Where(id => id != 0));
    }

    [Fact]
    public void Check_CasChain_IsLinearizable()
    {
        var result = new Scenario()
            .Cas(1, "k", null, "a", 1, 2)
            .Cas(2, "k", "a", "b", 3, 4)
            .Cas(3, "k", "a", "c", 5, 6, swapped: false)
            .Get(1, "k", "b", 7, 8)
            .Check();

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void Check_CasThatFailedAlthoughTheValueMatched_IsNotLinearizable()
    {
        var result = new Scenario()
            .Put(1, "k", "a", 1, 2)
            .Cas(2, "k", "a", "b", 3, 4, swapped: false)
            .Check();

        Assert.Equal(Verdict.NotLinearizable, result.Verdict);
        Assert.Contains("it found a value other than \"a\", but the only write before it, put k \"a\" by c1 at [1,2], wrote \"a\".", result.Explanation);
    }

    [Fact]
    public void Check_CasThatSwappedAlthoughTheValueDiffered_IsNotLinearizable()
    {
        var result = new Scenario()
            .Put(1, "k", "a", 1, 2)
            .Cas(2, "k", "z", "b", 3, 4)
            .Check();

        Assert.Equal(Verdict.NotLinearizable, result.Verdict);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    public void Check_CasWithUnknownOutcome_MayHaveSwappedOrNot(string read)
    {
        var result = new Scenario()
            .Put(1, "k", "a", 1, 2)
            .Cas(2, "k", "a", "b", 3, null)
            .Get(3, "k", read, 5, 6)
            .Check();

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Theory]
    [InlineData("ab", true)]
    [InlineData("ba", false)]
    [InlineData("a", false)]
    public void Check_SequentialAppends_ReadInOrder(string read, bool linearizable)
    {
        var result = new Scenario()
            .Append(1, "k", "a", 1, 2)
            .Append(2, "k", "b", 3, 4)
            .Get(3, "k", read, 5, 6)
            .Check();

        Assert.Equal(linearizable, result.IsLinearizable);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("ba")]
    public void Check_ConcurrentAppends_ReadInEitherOrder(string read)
    {
        var result = new Scenario()
            .Append(1, "k", "a", 1, 4)
            .Append(2, "k", "b", 2, 3)
            .Get(3, "k", read, 5, 6)
            .Check();

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void Check_ReadMissingACompletedAppend_NamesTheAppend()
    {
        var result = new Scenario()
            .Append(1, "k", "a", 1, 2)
            .Append(2, "k", "b", 3, 4)
            .Get(3, "k", "a", 5, 6)
            .Check();

        Assert.Contains("get k → \"a\" by c3 at [5,6] misses append k \"b\" by c2 at [3,4]", result.Explanation);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("x", false)]
    public void Check_GetAfterDelete_ReadsAbsent(string? read, bool linearizable)
    {
        var result = new Scenario()
            .Put(1, "k", "x", 1, 2)
            .Delete(2, "k", 3, 4)
            .Get(3, "k", read, 5, 6)
            .Check();

        Assert.Equal(linearizable, result.IsLinearizable);
    }

    [Fact]
    public void Check_AppendAfterDelete_StartsFromEmpty()
    {
        var result = new Scenario()
            .Put(1, "k", "x", 1, 2)
            .Delete(1, "k", 3, 4)
            .Append(1, "k", "y", 5, 6)
            .Get(2, "k", "y", 7, 8)
            .Check();

        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void Check_TwoKeysEachFine_IsLinearizableWithAResultPerKey()
    {
        // Each key alone is fine; P-compositionality says so is the whole.
        var result = new Scenario()
            .Put(1, "k1", "x", 1, 4)
            .Put(2, "k2", "y", 2, 5)
            .Get(3, "k1", "x", 6, 7)
            .Get(3, "k2", "y", 8, 9)
            .Check();

        Assert.True(result.IsLinearizable);
        Assert.Equal(["k1", "k2"], result.Keys.Select(k => k.Key));
        Assert.All(result.Keys, k => Assert.Equal(Verdict.Linearizable, k.Verdict));
    }

    [Fact]
    public void Check_OneKeyBad_NamesThatKey()
    {
        var result = new Scenario()
            .Put(1, "k1", "x", 1, 2)
            .Put(1, "k2", "x", 3, 4)
            .Put(2, "k2", "y", 5, 6)
            .Get(3, "k1", "x", 7, 8)
            .Get(3, "k2", "x", 9, 10)
            .Check();

        Assert.Equal(Verdict.NotLinearizable, result.Verdict);
        Assert.Equal("k2", result.FailingKey);
        Assert.StartsWith("not linearizable: key \"k2\"", result.Explanation);
        Assert.All(result.Counterexample, o => Assert.Equal("k2", o.Key));
        Assert.Equal(Verdict.Linearizable, result.Keys.Single(k => k.Key == "k1").Verdict);
    }

    [Fact]
    public void Check_SameValuesOnDifferentKeys_DoNotMix()
    {
        // Read on k2 of the value written to k1: linearizable only if keys leaked into each other.
        var result = new Scenario()
            .Put(1, "k1", "x", 1, 2)
            .Get(2, "k2", "x", 3, 4)
            .Check();

        Assert.Equal("k2", result.FailingKey);
    }

    [Fact]
    public void Check_StaleReadAtTheEndOfALongHistory_ShrinksToTheThreeCulprits()
    {
        var generated = HistoryGenerator.Linearizable(seed: 7, operations: 3_000, keys: 3, clients: 8);
        var end = generated.Operations.Max(o => o.Complete ?? o.Invoke);
        var next = generated.Count;
        var history = new History([
            .. generated.Operations,
            new Operation(next, new ClientId(100), Command.Put("k0", "p"), end + 1, end + 2, OperationResult.Ok),
            new Operation(next + 1, new ClientId(101), Command.Put("k0", "q"), end + 3, end + 4, OperationResult.Ok),
            new Operation(next + 2, new ClientId(102), Command.Get("k0"), end + 5, end + 6, OperationResult.Read("p")),
        ]);

        var result = LinearizabilityChecker.Check(history, KeyValueModel.Instance);

        Assert.Equal(Verdict.NotLinearizable, result.Verdict);
        Assert.Equal([next, next + 1, next + 2], result.Counterexample.Select(o => o.Id));
        Assert.Contains("is stale", result.Explanation);
    }

    [Fact]
    public void Check_WithoutExplain_GivesVerdictOnly()
    {
        var result = LinearizabilityChecker.Check(
            new Scenario().Put(1, "k", "x", 1, 2).Get(2, "k", "y", 3, 4).Build(),
            KeyValueModel.Instance,
            new CheckOptions { Explain = false });

        Assert.Equal(Verdict.NotLinearizable, result.Verdict);
        Assert.Empty(result.Counterexample);
    }

    [Fact]
    public void Check_StepBudgetTooSmall_IsUnknownNotAHang()
    {
        var history = HistoryGenerator.Linearizable(seed: 1, operations: 500, keys: 1, clients: 5);

        var result = LinearizabilityChecker.Check(history, KeyValueModel.Instance, new CheckOptions { MaxStepsPerKey = 10 });

        Assert.Equal(Verdict.Unknown, result.Verdict);
        Assert.StartsWith("unknown: budget exhausted on key \"k0\"", result.Explanation);
        Assert.Equal(10, result.Steps);
    }

    [Fact]
    public void Check_TimeBudgetSpent_IsUnknown()
    {
        var history = HistoryGenerator.Linearizable(seed: 1, operations: 500, keys: 2, clients: 5);

        var result = LinearizabilityChecker.Check(history, KeyValueModel.Instance, new CheckOptions { TimeBudget = TimeSpan.Zero });

        Assert.Equal(Verdict.Unknown, result.Verdict);
    }

    [Fact]
    public void Check_GetsWithUnknownOutcomes_ConstrainNothing()
    {
        var history = new History([
            new Operation(0, new ClientId(1), Command.Put("k", "x"), 0, 1, OperationResult.Ok),
            new Operation(1, new ClientId(2), Command.Get("k"), 2, null, OperationResult.Unknown),
        ]);

        var result = LinearizabilityChecker.Check(history, KeyValueModel.Instance);

        Assert.True(result.IsLinearizable);
    }

    [Fact]
    public void History_MalformedOrRepeatedOperations_Rejected()
    {
        var put = new Operation(0, new ClientId(1), Command.Put("k", "x"), 5, 3, OperationResult.Ok);
        var ok = put with { Complete = 6 };

        Assert.Contains("operation 0 has complete before invoke", Assert.Throws<ArgumentException>(() => new History([put])).Message);
        Assert.Contains("operation id 0 appears twice", Assert.Throws<ArgumentException>(() => new History([ok, ok])).Message);
    }

    [Fact]
    public void Check_RegisterStartsAtNil_NotEmptyString()
    {
        var nil = new Scenario().Get(1, "r", null, 1, 2).Check(CasRegisterModel.Instance);
        var empty = new Scenario().Get(1, "r", "", 1, 2).Check(CasRegisterModel.Instance);

        Assert.True(nil.IsLinearizable);
        Assert.Equal(Verdict.NotLinearizable, empty.Verdict);
    }

    [Fact]
    public void Check_RegisterGivenAnAppend_Throws()
    {
        var history = new Scenario().Append(1, "r", "x", 1, 2).Build();

        var error = Assert.Throws<ArgumentException>(() => LinearizabilityChecker.Check(history, CasRegisterModel.Instance));
        Assert.Contains("the cas-register model has no append", error.Message);
    }
}
