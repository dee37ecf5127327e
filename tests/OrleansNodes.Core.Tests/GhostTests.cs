namespace OrleansNodes.Core.Tests;

public class GhostTests
{
    private sealed record Counter(int Value);

    private static Observation<Counter> At(int value, long step) =>
        new([new Counter(value)], [true], null, null, step, 0, 0);

    [Fact]
    public void Start_SharedScope_FoldsOncePerObservationForAllProperties()
    {
        var folds = 0;
        var ghost = Property.Ghost<Counter, int>(0, (max, o) => { folds++; return Math.Max(max, o.States[0].Value); });
        Property<Counter>[] properties =
        [
            ghost.Always("never below max", (max, o) => o.States[0].Value >= max),
            ghost.Sometimes("reached 3", (max, _) => max >= 3),
            ghost.Eventually("reached 5", (max, _) => max >= 5),
        ];
        var scope = new PropertyScope();
        var checks = properties.Select(p => p.Start(scope)).ToArray();

        var verdicts = new List<bool[]>();
        foreach (var (value, step) in new[] { (1, 0L), (3, 1L), (2, 2L) })
            verdicts.Add([.. checks.Select(c => c.Holds(At(value, step)))]);

        Assert.Equal(3, folds);
        Assert.Equal([true, false, false], verdicts[0]);
        Assert.Equal([true, true, false], verdicts[1]);
        Assert.Equal([false, true, false], verdicts[2]); // 2 < max 3: the ghost remembered what the state forgot
    }

    [Fact]
    public void Start_PropertyStopsAsking_OthersStillSeeEveryObservation()
    {
        var ghost = Property.Ghost<Counter, int>(0, (sum, o) => sum + o.States[0].Value);
        var scope = new PropertyScope();
        var goal = ghost.Sometimes("sum ≥ 1", (sum, _) => sum >= 1).Start(scope);
        var invariant = ghost.Always("sum < 10", (sum, _) => sum < 10).Start(scope);

        Assert.True(goal.Holds(At(1, 0)));
        Assert.True(invariant.Holds(At(1, 0)));
        // The goal is reached; a host stops asking it. The invariant alone must still fold each step.
        Assert.True(invariant.Holds(At(4, 1)));
        Assert.False(invariant.Holds(At(5, 2)));
    }

    [Fact]
    public void Start_SeparateScopes_SeparateFolds()
    {
        var ghost = Property.Ghost<Counter, int>(0, (count, _) => count + 1);
        var property = ghost.Always("at most two observations", (count, _) => count <= 2);
        var first = property.Start(new PropertyScope());
        var second = property.Start(new PropertyScope());
        Assert.True(first.Holds(At(0, 0)));
        Assert.True(first.Holds(At(0, 1)));
        Assert.True(second.Holds(At(0, 0)));
        Assert.False(first.Holds(At(0, 2)));
        Assert.True(second.Holds(At(0, 1)));
    }
}
