namespace OrleansNodes.Client.Tests;

public class CheckCommandTests
{
    private static readonly string Corpus = Path.Combine(OrleansNodes.TestServers.Repository.Root, "..", "shared", "conformance", "linearizability");

    [Fact]
    public void Check_LinearizableKeyValueLog_ExitsZero()
    {
        var run = ConsoleRun.Of("check", CorpusFile("kv", "c10-ok.txt"));
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("linearizable", run.Output);
    }

    [Fact]
    public void Check_NonLinearizableKeyValueLog_ExitsOneWithExplanation()
    {
        var run = ConsoleRun.Of("check", CorpusFile("kv", "c10-bad.txt"));
        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("not linearizable", run.Output);
        Assert.Contains("cannot be ordered", run.Output);
    }

    [Fact]
    public void Check_JepsenLog_DetectsFormatAndUsesRegisterModel()
    {
        var run = ConsoleRun.Of("check", CorpusFile("jepsen", "etcd_002.log"));
        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("cas register", run.Output);
    }

    [Fact]
    public void Check_JsonHistoryWithStaleRead_ExitsOne()
    {
        var path = Temp("""
            {"format":"orleansnodes-history/1"}
            {"client":1,"op":"put","key":"k","value":"a","invoke":1,"complete":2,"result":"ok"}
            {"client":1,"op":"put","key":"k","value":"b","invoke":3,"complete":4,"result":"ok"}
            {"client":2,"op":"get","key":"k","invoke":5,"complete":6,"result":"ok","read":"a"}
            """);
        var run = ConsoleRun.Of("check", path);
        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("not linearizable", run.Output);
        File.Delete(path);
    }

    [Fact]
    public void Check_MalformedJson_NamesTheLineAndExitsTwo()
    {
        var path = Temp("""
            {"format":"orleansnodes-history/1"}
            {"client":1,"op":"put","key":"k","value":"a","invoke":1,"complete":2,"result":"ok"}
            {"client":1,"op":"teleport","key":"k","invoke":3,"complete":4}
            """);
        var run = ConsoleRun.Of("check", path);
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Contains("line 3", run.Error);
        File.Delete(path);
    }

    [Fact]
    public void Check_OutputJson_VerdictKeyAndCounts()
    {
        var path = Temp("""
            {"format":"orleansnodes-history/1"}
            {"client":1,"op":"put","key":"k","value":"a","invoke":1,"complete":2,"result":"ok"}
            {"client":1,"op":"put","key":"k","value":"b","invoke":3,"complete":4,"result":"ok"}
            {"client":2,"op":"get","key":"k","invoke":5,"complete":6,"result":"ok","read":"a"}
            """);
        var run = ConsoleRun.Of("check", path, "-o", "json");
        File.Delete(path);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var root = json.RootElement;
        Assert.Equal(path, root.GetProperty("file").GetString());
        Assert.Equal("json", root.GetProperty("format").GetString());
        Assert.Equal("key-value", root.GetProperty("model").GetString());
        Assert.Equal("notLinearizable", root.GetProperty("verdict").GetString());
        Assert.Equal(3, root.GetProperty("operations").GetInt32());
        Assert.Equal(1, root.GetProperty("keys").GetInt32());
        Assert.Equal("k", root.GetProperty("failingKey").GetString());
        Assert.Contains("cannot be ordered", root.GetProperty("explanation").GetString());
    }

    [Theory]
    [InlineData("/nonexistent/runs/history.jsonl")]
    [InlineData("runs-that-do-not-exist/3/history.jsonl")]
    public void Check_MissingFile_ErrorNamesThePathAsGiven(string path)
    {
        var run = ConsoleRun.Of("check", path);
        run.AssertCleanError(ExitCodes.BadInput);
        Assert.Equal($"error: {path}: no such file", run.Error.TrimEnd());
    }

    [Theory]
    [InlineData("check")]
    [InlineData("check", "/nonexistent/history.json")]
    [InlineData("check", "/")]
    [InlineData("frobnicate")]
    [InlineData("check", "x.json", "--format", "yaml")]
    [InlineData("check", "x.json", "--max-steps", "0")]
    public void Check_BadInput_OneLineErrorAndExitCode2(params string[] args) =>
        ConsoleRun.Of(args).AssertCleanError(ExitCodes.BadInput);

    private static string CorpusFile(string folder, string name)
    {
        var path = Path.Combine(Corpus, folder, name);
        Assert.True(File.Exists(path), $"conformance corpus missing at {path} (../shared beside the repository)");
        return path;
    }

    private static string Temp(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"history-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, text);
        return path;
    }
}
