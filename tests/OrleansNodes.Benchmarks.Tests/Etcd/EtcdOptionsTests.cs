using OrleansNodes.Benchmarks.Etcd;

namespace OrleansNodes.Benchmarks.Tests.Etcd;

public class EtcdOptionsTests
{
    [Fact]
    public void Parse_NoArguments_TheWholeMatrixOfTheIssue()
    {
        var options = EtcdOptions.Parse([], out var error);

        Assert.Null(error);
        Assert.Equal(["put", "get"], options!.Kinds);
        Assert.Equal([1, 8, 32, 128], options.Sessions);
        Assert.Equal([100, 10_240], options.ValueBytes);
        Assert.Equal(["etcd", "embedded", "redis3"], options.Targets);
        Assert.Equal(10, options.DurationSeconds);
        Assert.Equal(1, options.Rounds);
        Assert.True(options.FreezeOthers);
    }

    [Fact]
    public void Parse_EveryOption_TakesItsValue()
    {
        var options = EtcdOptions.Parse(
            ["--kinds", "get", "--sessions", "1,32", "--value-bytes", "10240", "--keys", "50", "--duration", "2.5", "--rounds", "3", "--warmup", "0", "--targets", "embedded", "--no-freeze", "--json"],
            out var error);

        Assert.Null(error);
        Assert.Equal(["get"], options!.Kinds);
        Assert.Equal([1, 32], options.Sessions);
        Assert.Equal([10_240], options.ValueBytes);
        Assert.Equal((50, 2.5, 3, 0.0), (options.Keys, options.DurationSeconds, options.Rounds, options.WarmupSeconds));
        Assert.Equal(["embedded"], options.Targets);
        Assert.True(options.Json);
        Assert.False(options.FreezeOthers);
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "--sessions", "x" }, "--sessions 'x': each value must be a whole number from 1 to 1000")]
    [InlineData(new[] { "--sessions", "8,0" }, "--sessions '8,0': each value must be a whole number from 1 to 1000")]
    [InlineData(new[] { "--keys", "1,2" }, "--keys takes one number")]
    [InlineData(new[] { "--duration", "-1" }, "--duration '-1': give seconds from 0.1 to 3600")]
    [InlineData(new[] { "--duration" }, "--duration needs a value")]
    [InlineData(new[] { "--targets", "etcd,etcd" }, "--targets 'etcd,etcd': give distinct names among etcd, embedded, redis3, comma-separated")]
    [InlineData(new[] { "--kinds", "cas" }, "--kinds 'cas': give distinct names among put, get, comma-separated")]
    public void Parse_BadInput_NullAndOneLineSayingWhy(string[] args, string expected)
    {
        var options = EtcdOptions.Parse(args, out var error);

        Assert.Null(options);
        Assert.StartsWith(expected, error);
        Assert.DoesNotContain('\n', error!);
    }

}
