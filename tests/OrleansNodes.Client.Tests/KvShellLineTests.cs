using OrleansNodes.Client.Commands;
using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Client.Tests;

/// <summary>How <c>kv shell</c> reads a line: words as a shell splits them, then the one-shot commands' words.</summary>
public sealed class KvShellLineTests
{
    [Theory]
    [InlineData("put a 1", new[] { "put", "a", "1" })]
    [InlineData("  put   a\t1  ", new[] { "put", "a", "1" })]
    [InlineData("put a \"hello, world\"", new[] { "put", "a", "hello, world" })]
    [InlineData("put a \"\"", new[] { "put", "a", "" })]
    [InlineData("put a \"say \\\"hi\\\" \\\\o/\"", new[] { "put", "a", "say \"hi\" \\o/" })]
    [InlineData("put a\"b c\"d", new[] { "put", "ab cd" })]
    [InlineData("put a b\\c", new[] { "put", "a", "b\\c" })]
    [InlineData("", new string[0])]
    public void Split_Words_AsAShellWould(string line, string[] words) => Assert.Equal(words, KvShellLine.Split(line));

    [Theory]
    [InlineData("put a \"open", "a quote is not closed")]
    [InlineData("put a \"x\\y\"", "inside quotes, a backslash comes before \" or \\ only")]
    [InlineData("put a \"x\\", "inside quotes, a backslash comes before \" or \\ only")]
    public void Split_BrokenQuoting_BadInputNamingIt(string line, string message)
    {
        var error = Assert.Throws<CliException>(() => KvShellLine.Split(line));
        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_EachCommand_TheRequestTheOneShotCommandSends()
    {
        Assert.Equal(new KeyValueCommand.Get("k"), Request("get k"));
        Assert.Equal(new KeyValueCommand.Put("k", "v w"), Request("put k \"v w\""));
        Assert.Equal(new KeyValueCommand.Delete("k"), Request("delete k"));
        Assert.Equal(new KeyValueCommand.Append("k", " x"), Request("append k \" x\""));
        Assert.Equal(new KeyValueCommand.Cas("k", "old", "new"), Request("cas k old new"));
        Assert.Equal(new KeyValueCommand.Cas("k", null, "new"), Request("cas k new --expect-absent"));
        Assert.Equal(new KeyValueCommand.Cas("k", null, "new"), Request("cas --expect-absent k new"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("# put a 1")]
    [InlineData("#")]
    public void Parse_BlankOrComment_Nothing(string line) => Assert.IsType<KvShellLine.Parsed.Nothing>(KvShellLine.Parse(line));

    [Theory]
    [InlineData("exit")]
    [InlineData("quit")]
    public void Parse_ExitOrQuit_End(string line) => Assert.IsType<KvShellLine.Parsed.End>(KvShellLine.Parse(line));

    [Theory]
    [InlineData("frob a", "unknown command 'frob' (commands: get, put, delete, append, cas, exit)")]
    [InlineData("exit now", "unknown command 'exit' (commands: get, put, delete, append, cas, exit)")]
    [InlineData("get", "get takes KEY (1 word), not 0")]
    [InlineData("put a", "put takes KEY VALUE (2 words), not 1")]
    [InlineData("put a b c", "put takes KEY VALUE (2 words), not 3; quote a word with spaces: \"a b\"")]
    [InlineData("cas a b", "cas takes KEY EXPECTED NEW (3 words), not 2")]
    [InlineData("cas a b c --expect-absent", "cas --expect-absent takes KEY NEW (2 words), not 3; quote a word with spaces: \"a b\"")]
    [InlineData("PUT a 1", "unknown command 'PUT' (commands: get, put, delete, append, cas, exit)")]
    public void Parse_WrongWords_BadInputSayingWhatItTakes(string line, string message)
    {
        var error = Assert.Throws<CliException>(() => KvShellLine.Parse(line));
        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Equal(message, error.Message);
    }

    private static KeyValueCommand Request(string line) => Assert.IsType<KvShellLine.Parsed.Request>(KvShellLine.Parse(line)).Command;
}
