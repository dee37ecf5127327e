namespace OrleansNodes.Simulation.Tests;

public class DecisionTests
{
    [Theory]
    [InlineData("round")]
    [InlineData("tick n2")]
    [InlineData("deliver n1->n0 #3")]
    [InlineData("drop n1->n0 #12")]
    [InlineData("dup n4->n2 #1")]
    [InlineData("flush n0")]
    [InlineData("crash n3")]
    [InlineData("restart n3")]
    [InlineData("cut n0->n1")]
    [InlineData("heal")]
    [InlineData("request c3#7->n1")]
    [InlineData("submit c3#7->n1 $2")]
    [InlineData("live")]
    [InlineData("delay n1->n0 #3 +2")]
    public void Parse_TextForm_RoundTrips(string text)
    {
        Assert.Equal(text, Decision.Parse(text).ToString());
    }

    [Fact]
    public void Parse_Deliver_NamesLinkAndOrdinal()
    {
        Assert.Equal(new Decision(DecisionKind.Deliver, 1, 0, 3), Decision.Parse("deliver n1->n0 #3"));
    }

    [Fact]
    public void Parse_Delay_NamesTheMessageAndItsRounds()
    {
        Assert.Equal(new Decision(DecisionKind.Delay, 1, 0, 3, 2), Decision.Parse("delay n1->n0 #3 +2"));
    }

    [Theory]
    [InlineData("foo", "unknown decision 'foo'")]
    [InlineData("delay n1->n0 #3 2", "expected '+<rounds>'")]
    [InlineData("delay n1->n0 #3", "needs 3 argument(s)")]
    [InlineData("tick", "'tick' needs 1 argument(s)")]
    [InlineData("tick x2", "expected a node like 'n2', got 'x2'")]
    [InlineData("deliver n1->n0 3", "expected '#<ordinal>'")]
    [InlineData("cut n1", "expected 'n<from>->n<to>', got 'n1'")]
    [InlineData("", "empty decision")]
    public void Parse_Malformed_ThrowsWithReason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => Decision.Parse(text));

        Assert.Contains(reason, error.Message);
    }
}
