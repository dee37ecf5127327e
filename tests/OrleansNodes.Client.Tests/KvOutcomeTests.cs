using OrleansNodes.Client.Commands;
using OrleansNodes.Core;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Client.Tests;

public class KvOutcomeTests
{
    private static readonly NodeId Leader = new(1);

    [Fact]
    public void Render_ValueRead_PrintsTheValueVerbatim() =>
        Assert.Equal(("a [b] c", ExitCodes.Ok), KvOutcome.Render(new KeyValueCommand.Get("k"), Replied(new KeyValueReply.Value("a [b] c"))));

    [Fact]
    public void Render_MissingKey_ExitOneNamingTheKey()
    {
        var e = Assert.Throws<CliException>(() => KvOutcome.Render(new KeyValueCommand.Get("k"), Replied(new KeyValueReply.Value(null))));
        Assert.Equal(ExitCodes.Failed, e.ExitCode);
        Assert.Equal("key 'k' is missing", e.Message);
    }

    [Fact]
    public void Render_CasNotApplied_ExitOneWithTheCurrentValue()
    {
        Assert.Equal(("cas failed: the current value is v9", ExitCodes.Failed), KvOutcome.Render(new KeyValueCommand.Cas("k", "v1", "v2"), Replied(new KeyValueReply.CasResult(false, "v9"))));
        Assert.Equal(("cas failed: the key is missing", ExitCodes.Failed), KvOutcome.Render(new KeyValueCommand.Cas("k", "v1", "v2"), Replied(new KeyValueReply.CasResult(false, null))));
        Assert.Equal(("ok", ExitCodes.Ok), KvOutcome.Render(new KeyValueCommand.Cas("k", "v1", "v2"), Replied(new KeyValueReply.CasResult(true, "v2"))));
    }

    [Fact]
    public void Render_AsJson_CasAndPutAnswersAsOneObjectEach()
    {
        Assert.Equal(("""{"op":"cas","key":"k","applied":false,"current":"v9 <x>"}""", ExitCodes.Failed),
            KvOutcome.Render(new KeyValueCommand.Cas("k", "v1", "v2"), Replied(new KeyValueReply.CasResult(false, "v9 <x>")), json: true));
        Assert.Equal(("""{"op":"cas","key":"k","applied":true,"current":null}""", ExitCodes.Ok),
            KvOutcome.Render(new KeyValueCommand.Cas("k", "v1", "v2"), Replied(new KeyValueReply.CasResult(true, "v2")), json: true));
        Assert.Equal(("""{"op":"put","key":"k","ok":true}""", ExitCodes.Ok),
            KvOutcome.Render(new KeyValueCommand.Put("k", "v"), Replied(new KeyValueReply.Ok()), json: true));
    }

    [Fact]
    public void Render_Timeout_UnknownOutcomeNeverFailed()
    {
        var e = Assert.Throws<CliException>(() => KvOutcome.Render(new KeyValueCommand.Put("k", "v"), new RequestOutcome.Unknown("deadline passed")));
        Assert.Equal(ExitCodes.UnknownOutcome, e.ExitCode);
        Assert.StartsWith("unknown outcome:", e.Message);
        Assert.Contains("may or may not have taken effect", e.Message);
        Assert.DoesNotContain("fail", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_RedirectReachingTheClient_UnknownOutcome()
    {
        // The same request id may have been applied by an earlier attempt at another node.
        var e = Assert.Throws<CliException>(() => KvOutcome.Render(new KeyValueCommand.Append("k", "x"), Replied(new KeyValueReply.Redirect(null))));
        Assert.Equal(ExitCodes.UnknownOutcome, e.ExitCode);
    }

    [Fact]
    public void Render_Rejected_BadInputNotApplied()
    {
        var e = Assert.Throws<CliException>(() => KvOutcome.Render(new KeyValueCommand.Delete("k"), new RequestOutcome.Rejected("wrong command type")));
        Assert.Equal(ExitCodes.BadInput, e.ExitCode);
        Assert.Contains("not applied", e.Message);
    }

    private static RequestOutcome Replied(KeyValueReply reply) => new RequestOutcome.Replied(reply, Leader);
}
