namespace OrleansNodes.Simulation.Tests;

public class StructuralDiffTests
{
    private sealed record Acceptor(int Ballot, NodeId? Promised, ImmutableArray<string> Log, Leader Leader);

    private sealed record Leader(int Term, bool Active);

    private static readonly Acceptor _before = new(3, new NodeId(1), ["a"], new Leader(1, false));

    /// <summary>A state whose ToString summarizes all of it, as the key-value store's does.</summary>
    private sealed record Summarized(int Promised, int Applied, string Role)
    {
        public override string ToString() => $"{Role} promised={Promised} applied={Applied}";
    }

    [Fact]
    public void Describe_StateWithASummaryToString_ListsTheChangedMembersNotTheSummaryTwice()
    {
        var before = new Summarized(1, 4, "Follower");

        Assert.Equal("applied: 4 → 5", StructuralDiff.Describe(before, before with { Applied = 5 }));
    }

    [Fact]
    public void Describe_ChangedMembers_ListsThemInDeclarationOrder()
    {
        var after = _before with { Ballot = 5, Promised = new NodeId(2) };

        Assert.Equal("ballot: 3 → 5, promised: n1 → n2", StructuralDiff.Describe(_before, after));
    }

    [Fact]
    public void Describe_NestedRecord_UsesDottedPath()
    {
        var after = _before with { Leader = new Leader(1, true) };

        Assert.Equal("leader.active: False → True", StructuralDiff.Describe(_before, after));
    }

    [Fact]
    public void Describe_Collection_PrintedWhole()
    {
        var after = _before with { Log = ["a", "b"] };

        Assert.Equal("log: [a] → [a, b]", StructuralDiff.Describe(_before, after));
    }

    [Fact]
    public void Describe_EqualStructureNewInstance_Empty()
    {
        Assert.Equal(string.Empty, StructuralDiff.Describe(_before, _before with { Log = ["a"] }));
    }

    [Fact]
    public void Format_RecordWithCollections_PrintsElements()
    {
        Assert.Equal("Acceptor { Ballot = 3, Promised = n1, Log = [a], Leader = Leader { Term = 1, Active = False } }", StructuralDiff.Format(_before));
    }

    [Fact]
    public void Format_Dictionary_SortedByKey()
    {
        var votes = ImmutableDictionary<string, int>.Empty.Add("n2", 1).Add("n0", 3);

        Assert.Equal("{n0: 3, n2: 1}", StructuralDiff.Format(votes));
    }
}
