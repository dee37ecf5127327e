using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Tests.Linearizability;

public sealed class EdnKeyValueLogTests
{
    [Fact]
    public void Parse_GetPutAppend_BecomeOperationsPerKey()
    {
        var history = EdnKeyValueLog.Parse("""
            {:process 0, :type :invoke, :f :put, :key "a", :value "x"}
            {:process 1, :type :invoke, :f :get, :key "a", :value nil}
            {:process 0, :type :ok, :f :put, :key "a", :value "x"}
            {:process 1, :type :ok, :f :get, :key "a", :value "x"}
            {:process 2, :type :invoke, :f :append, :key "b", :value "say \"hi\""}
            {:process 2, :type :ok, :f :append, :key "b", :value "say \"hi\""}
            {:process 3, :type :invoke, :f :get, :key "b", :value nil}
            {:process 3, :type :ok, :f :get, :key "b", :value "say \"hi\""}
            """);

        Assert.Equal(4, history.Count);
        Assert.Equal(Command.Append("b", "say \"hi\""), history.Operations[2].Command);
        Assert.Equal(OperationResult.Read("x"), history.Operations[1].Result);
        Assert.Equal((2L, (long?)4L), (history.Operations[1].Invoke, history.Operations[1].Complete));
        Assert.Equal(["a", "b"], history.Keys);
        Assert.True(LinearizabilityChecker.Check(history, KeyValueModel.Instance).IsLinearizable);
    }

    [Fact]
    public void Parse_InfoAndOpenOperations_HaveUnknownOutcomes()
    {
        var history = EdnKeyValueLog.Parse("""
            {:process 0, :type :invoke, :f :put, :key "a", :value "x"}
            {:process 0, :type :info, :f :put, :key "a", :value "x"}
            {:process 1, :type :invoke, :f :append, :key "a", :value "y"}
            """);

        Assert.All(history.Operations, o => Assert.Equal(Outcome.Unknown, o.Result.Outcome));
    }

    [Theory]
    [InlineData("{:process 0, :type :invoke, :f :get, :key \"a\"", "kv.edn: line 1: the map is not closed with }")]
    [InlineData("{:process 0, :type :invoke, :f :cas, :key \"a\", :value nil}", "kv.edn: line 1: unknown :f :cas (expected :get, :put or :append)")]
    [InlineData("{:type :invoke, :f :get, :key \"a\", :value nil}", "kv.edn: line 1: missing :process")]
    [InlineData("{:process 0, :type :invoke, :f :put, :key \"a\", :value nil}", "kv.edn: line 1: :put needs a :value")]
    [InlineData("{:process 0, :type :invoke, :f :get, :key \"a\", :value \"x}", "kv.edn: line 1: a string is not closed")]
    public void Parse_BadLine_NamesLineAndReason(string text, string expected)
    {
        var error = Assert.Throws<HistoryFormatException>(() => EdnKeyValueLog.Parse(text));

        Assert.Equal(expected, error.Message);
    }
}
