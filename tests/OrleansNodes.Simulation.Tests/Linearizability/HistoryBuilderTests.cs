using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Tests.Linearizability;

public sealed class HistoryBuilderTests
{
    [Fact]
    public void Build_RecordsEventsInTheOrderTheyHappened()
    {
        var builder = new HistoryBuilder();
        var put = builder.Invoke(new ClientId(1), Command.Put("k", "x"));
        var get = builder.Invoke(new ClientId(2), Command.Get("k"));
        builder.Complete(get, OperationResult.Read(null));
        builder.Complete(put, OperationResult.Ok);

        var history = builder.Build();

        Assert.Equal((0L, (long?)3L), (history.Operations[put].Invoke, history.Operations[put].Complete));
        Assert.Equal((1L, (long?)2L), (history.Operations[get].Invoke, history.Operations[get].Complete));
        Assert.True(LinearizabilityChecker.Check(history, KeyValueModel.Instance).IsLinearizable);
    }

    [Fact]
    public void Build_TimedOutAndOpenOperations_HaveUnknownOutcomes()
    {
        var builder = new HistoryBuilder();
        var timedOut = builder.Invoke(new ClientId(1), Command.Put("k", "x"));
        builder.Timeout(timedOut);
        builder.Invoke(new ClientId(2), Command.Append("k", "y"));

        var history = builder.Build();

        Assert.All(history.Operations, o => Assert.Equal((Outcome.Unknown, (long?)null), (o.Result.Outcome, o.Complete)));
    }

    [Fact]
    public void Complete_AfterTimeout_RecordsTheLateReply()
    {
        var builder = new HistoryBuilder();
        var put = builder.Invoke(new ClientId(1), Command.Put("k", "x"));
        builder.Timeout(put);
        builder.Complete(put, OperationResult.Ok);

        Assert.Equal(2, builder.Build().Operations[put].Complete);
    }

    [Fact]
    public void Complete_Twice_Throws()
    {
        var builder = new HistoryBuilder();
        var put = builder.Invoke(new ClientId(1), Command.Put("k", "x"));
        builder.Complete(put, OperationResult.Ok);

        Assert.Throws<InvalidOperationException>(() => builder.Complete(put, OperationResult.Ok));
        Assert.Throws<InvalidOperationException>(() => builder.Timeout(put));
    }

    [Fact]
    public void Complete_FailedPut_Throws()
    {
        var builder = new HistoryBuilder();
        var put = builder.Invoke(new ClientId(1), Command.Put("k", "x"));

        var error = Assert.Throws<ArgumentException>(() => builder.Complete(put, OperationResult.Failed));
        Assert.Contains("put cannot fail", error.Message);
    }

    [Fact]
    public void Invoke_MalformedCommand_Throws()
    {
        Assert.Throws<ArgumentException>(() => new HistoryBuilder().Invoke(new ClientId(1), new Command(OperationKind.Put, "k")));
    }
}
