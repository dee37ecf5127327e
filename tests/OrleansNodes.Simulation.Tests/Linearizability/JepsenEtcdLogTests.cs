using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Tests.Linearizability;

public sealed class JepsenEtcdLogTests
{
    [Fact]
    public void Parse_EveryEventKind_BecomesTheRightOperation()
    {
        var history = JepsenEtcdLog.Parse("""
            2015-01-01 INFO  jepsen.core - some other line
            INFO  jepsen.util - 0	:invoke	:read	nil
            INFO  jepsen.util - 1	:invoke	:write	3
            INFO  jepsen.util - 0	:ok	:read	nil
            INFO  jepsen.util - 1	:ok	:write	3
            INFO  jepsen.util - 2   :invoke :cas    [3 4]
            INFO  jepsen.util - 3	:invoke	:cas	[1 2]
            INFO  jepsen.util - 2	:ok	:cas	[3 4]
            INFO  jepsen.util - 3	:fail	:cas	[1 2]
            INFO  jepsen.util - 4	:invoke	:write	1
            INFO  jepsen.util - 4	:info	:write	:timed-out
            INFO  jepsen.util - 5	:invoke	:read	nil
            INFO  jepsen.util - 5	:fail	:read	:timed-out
            INFO  jepsen.util - 6	:invoke	:cas	[4 0]
            """);

        Assert.Collection(history.Operations,
            o => Assert.Equal((Command.Get(JepsenEtcdLog.Key), 2L, (long?)4L, OperationResult.Read(null)), (o.Command, o.Invoke, o.Complete, o.Result)),
            o => Assert.Equal((Command.Put(JepsenEtcdLog.Key, "3"), 3L, (long?)5L, OperationResult.Ok), (o.Command, o.Invoke, o.Complete, o.Result)),
            o => Assert.Equal((Command.Cas(JepsenEtcdLog.Key, "3", "4"), 6L, (long?)8L, OperationResult.Ok), (o.Command, o.Invoke, o.Complete, o.Result)),
            o => Assert.Equal((Command.Cas(JepsenEtcdLog.Key, "1", "2"), OperationResult.Failed), (o.Command, o.Result)),
            o => Assert.Equal((Command.Put(JepsenEtcdLog.Key, "1"), (long?)null, OperationResult.Unknown), (o.Command, o.Complete, o.Result)),
            o => Assert.Equal((Command.Get(JepsenEtcdLog.Key), OperationResult.Unknown), (o.Command, o.Result)),
            o => Assert.Equal((Command.Cas(JepsenEtcdLog.Key, "4", "0"), OperationResult.Unknown), (o.Command, o.Result)));
        Assert.Equal(new ClientId(2), history.Operations[2].Client);
        Assert.True(LinearizabilityChecker.Check(history, CasRegisterModel.Instance).IsLinearizable);
    }

    [Theory]
    [InlineData("INFO  jepsen.util - 0\t:ok\t:read\t1", "etcd.log: line 1: process 0 completes an operation it never invoked")]
    [InlineData("INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:invoke\t:read\tnil", "etcd.log: line 2: process 0 invokes while its operation from line 1 is still open")]
    [InlineData("INFO  jepsen.util - 0\t:invoke\t:cas\t[1]", "etcd.log: line 1: cas value [1] is not [FROM TO]")]
    [InlineData("INFO  jepsen.util - x\t:invoke\t:read\tnil", "etcd.log: line 1: process \"x\" is not an integer")]
    [InlineData("INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:write\t1", "etcd.log: line 2: process 0 completes :write but invoked :read on line 1")]
    public void Parse_BadEvent_NamesLineAndReason(string text, string expected)
    {
        var error = Assert.Throws<HistoryFormatException>(() => JepsenEtcdLog.Parse(text));

        Assert.Equal(expected, error.Message);
    }
}
