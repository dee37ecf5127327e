using System.Text.RegularExpressions;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Tests.Linearizability;

public sealed partial class HistoryJsonTests
{
    private const string Header = "{\"format\":\"orleansnodes-history/1\"}";

    [Fact]
    public void Parse_ExampleFromTheDocs_IsLinearizable()
    {
        var doc = File.ReadAllText(Path.Combine(ConformanceCorpus.RepositoryRoot, "docs", "history-format.md"));
        var example = JsonlBlock().Match(doc);
        Assert.True(example.Success, "docs/history-format.md has no ```jsonl block");

        var history = HistoryJson.Parse(example.Groups[1].Value, "history-format.md");
        var result = LinearizabilityChecker.Check(history, KeyValueModel.Instance);

        Assert.Equal(10, history.Count);
        Assert.Equal(
            [OperationKind.Get, OperationKind.Put, OperationKind.Delete, OperationKind.Cas, OperationKind.Append],
            history.Operations.Select(o => o.Command.Kind).Distinct().Order());
        Assert.Contains(history.Operations, o => o.Result.Outcome == Outcome.Unknown);
        Assert.Contains(history.Operations, o => o.Result.Outcome == Outcome.Failed);
        Assert.True(result.IsLinearizable, result.Explanation);
    }

    [Fact]
    public void Parse_InitialValues_KeysStartThere()
    {
        var text = """
            {"format":"orleansnodes-history/1","initial":{"a":"before","b":null}}
            {"client":1,"op":"get","key":"a","invoke":1,"complete":2,"result":"ok","read":"before"}
            {"client":1,"op":"append","key":"a","value":"+1","invoke":3,"complete":4,"result":"ok"}
            {"client":2,"op":"get","key":"a","invoke":5,"complete":6,"result":"ok","read":"before+1"}
            {"client":2,"op":"get","key":"b","invoke":5,"complete":6,"result":"ok","read":null}
            """;

        var history = HistoryJson.Parse(text);

        Assert.Equal("before", history.Initial["a"]);
        Assert.Null(history.Initial["b"]);
        Assert.True(LinearizabilityChecker.Check(history, KeyValueModel.Instance).IsLinearizable);
        // The same operations from an empty store read a value nobody wrote.
        var fromEmpty = LinearizabilityChecker.Check(new History(history.Operations), KeyValueModel.Instance);
        Assert.False(fromEmpty.IsLinearizable);
        Assert.Contains("before", fromEmpty.Explanation);
        Assert.Equal(text.Split('\n')[0], HistoryJson.Write(history).Split('\n')[0]);
    }

    [Theory]
    [InlineData("{\"format\":\"orleansnodes-history/1\",\"initial\":[\"a\"]}", "'initial' must be an object")]
    [InlineData("{\"format\":\"orleansnodes-history/1\",\"initial\":{\"a\":3}}", "initial value of key \"a\" must be a string or null")]
    [InlineData("{\"format\":\"orleansnodes-history/1\",\"start\":{}}", "unknown field \"start\"")]
    public void Parse_MalformedHeader_OneLineErrorNamingTheProblem(string header, string fragment)
    {
        var error = Assert.Throws<HistoryFormatException>(() => HistoryJson.Parse(header + "\n"));

        Assert.Contains(fragment, error.Message);
        Assert.Contains("line 1", error.Message);
    }

    [Fact]
    public void WriteThenParse_GeneratedHistoryWithTimeouts_RoundTrips()
    {
        var history = HistoryGenerator.Linearizable(seed: 3, operations: 400, keys: 4, clients: 6, timeoutsPerThousand: 50);

        var text = HistoryJson.Write(history);
        var parsed = HistoryJson.Parse(text);

        Assert.True(history.Operations.SequenceEqual(parsed.Operations));
        Assert.Equal(text, HistoryJson.Write(parsed));
    }

    [Fact]
    public void WriteThenParse_AwkwardValues_RoundTrip()
    {
        var history = new History([
            new Operation(5, new ClientId(1), Command.Put("k \"quoted\"", "line\nbreak → ü"), 0, 1, OperationResult.Ok),
            new Operation(9, new ClientId(2), Command.Cas("k \"quoted\"", null, ""), 2, 3, OperationResult.Failed),
            new Operation(7, new ClientId(3), Command.Get("k \"quoted\""), 4, 5, OperationResult.Read(null)),
        ]);

        Assert.True(history.Operations.SequenceEqual(HistoryJson.Parse(HistoryJson.Write(history)).Operations));
    }

    [Fact]
    public void Parse_NoIds_NumbersOperationsInOrder()
    {
        var history = HistoryJson.Parse($$"""
            {{Header}}
            {"client":1,"op":"put","key":"k","value":"v","invoke":0,"complete":1,"result":"ok"}

            {"client":2,"op":"get","key":"k","invoke":2,"result":"unknown"}
            """);

        Assert.Equal([0, 1], history.Operations.Select(o => o.Id));
        Assert.Null(history.Operations[1].Complete);
    }

    [Theory]
    [InlineData("""{"client":1,"op":"put","key":"k","value":"v","invoke":5,"complete":3,"result":"ok"}""", "line 3: operation 1 has complete before invoke")]
    [InlineData("""{"client":1,"op":"put","key":"k","value":"v","invok":5,"complete":3,"result":"ok"}""", "line 3: operation 1 has unknown field \"invok\"")]
    [InlineData("""{"client":1,"op":"put","key":"k","value":"v","invoke":5,"complete":3""", "line 3: invalid JSON")]
    [InlineData("""{"client":1,"op":"swap","key":"k","invoke":5,"complete":6,"result":"ok"}""", "line 3: operation 1 has unknown op \"swap\"")]
    [InlineData("""{"client":1,"op":"get","key":"k","invoke":5,"complete":6,"result":"ok"}""", "line 3: operation 1 is a get with result ok but has no \"read\"")]
    [InlineData("""{"client":1,"op":"put","key":"k","invoke":5,"complete":6,"result":"ok"}""", "line 3: operation 1 put needs a value")]
    [InlineData("""{"client":1,"op":"put","key":"k","value":"v","invoke":5,"complete":6,"result":"failed"}""", "line 3: operation 1 put cannot fail (only cas can)")]
    [InlineData("""{"client":1,"op":"put","key":"k","value":"v","invoke":5,"complete":6,"result":"unknown"}""", "line 3: operation 1 has an unknown result but a complete position")]
    [InlineData("""{"client":1,"op":"put","key":"k","value":"v","invoke":5,"result":"ok"}""", "line 3: operation 1 has no complete position but a known result")]
    [InlineData("""{"client":1,"op":"cas","key":"k","value":"v","invoke":5,"complete":6,"result":"ok"}""", "line 3: operation 1 has no \"expected\"")]
    [InlineData("""{"client":"c1","op":"get","key":"k","invoke":5,"complete":6,"result":"ok","read":null}""", "line 3: operation 1 has \"client\" \"c1\", expected an integer")]
    [InlineData("""{"id":0,"client":1,"op":"delete","key":"k","invoke":5,"complete":6,"result":"ok"}""", "line 3: operation id 0 was already used on line 2")]
    [InlineData("""[1,2]""", "line 3: expected an operation as a JSON object")]
    public void Parse_BadOperation_NamesLineAndReason(string line, string expected)
    {
        var text = $$"""
            {{Header}}
            {"id":0,"client":1,"op":"put","key":"k","value":"a","invoke":0,"complete":1,"result":"ok"}
            {{line}}
            """;

        var error = Assert.Throws<HistoryFormatException>(() => HistoryJson.Parse(text, "history.jsonl"));

        Assert.StartsWith("history.jsonl: " + expected, error.Message);
        Assert.Equal(3, error.Line);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("", "history.jsonl: line 1: no header line")]
    [InlineData("{\"format\":\"orleansnodes-history/2\"}", "history.jsonl: line 1: unsupported format \"orleansnodes-history/2\"")]
    [InlineData("{\"client\":1}", "history.jsonl: line 1: the first line must be the header")]
    public void Parse_BadHeader_Rejected(string text, string expected)
    {
        var error = Assert.Throws<HistoryFormatException>(() => HistoryJson.Parse(text, "history.jsonl"));

        Assert.StartsWith(expected, error.Message);
    }

    [GeneratedRegex("```jsonl\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonlBlock();
}
