using OrleansNodes.Client.Load;

namespace OrleansNodes.Client.Tests.Load;

public class LoadSpecTests
{
    private static LoadSpec Spec(int valueBytes) => new(1, 10, LoadMix.Default, 1, null, 1, false, valueBytes);

    [Fact]
    public void Value_ShorterThanValueBytes_TheUniquePartThenDotsToTheLength()
    {
        var value = Spec(10_240).Value("c3.17");

        Assert.Equal(10_240, value.Length);
        Assert.Equal("c3.17" + new string('.', 10_235), value);
    }

    [Fact]
    public void Value_AtLeastValueBytes_TheUniquePartAsItIs()
    {
        Assert.Equal("c3.17", Spec(5).Value("c3.17"));
        Assert.Equal("c3.17", Spec(0).Value("c3.17"));
    }
}
