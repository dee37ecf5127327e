using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Tests.Linearizability;

/// <summary>
/// The checker's search prunes (a cache of explored states, never backtracking over reads,
/// stopping once only unknown outcomes are left). Each pruning is an argument; this test is
/// the experiment: on thousands of small random histories, many of them not linearizable, the
/// verdict must equal that of the definition itself, tried by brute force.
/// </summary>
public sealed class BruteForceAgreementTests
{
    private static readonly string?[] _values = [null, "", "a", "b"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Check_RandomSmallHistories_AgreesWithBruteForce(bool register)
    {
        IModel model = register ? CasRegisterModel.Instance : KeyValueModel.Instance;
        var random = SeededRandom.From(register ? 11UL : 7UL);
        var verdicts = new int[2];
        for (var round = 0; round < 3_000; round++)
        {
            (var history, random) = RandomHistory(random, register);

            var expected = BruteForce(history.Operations.Where(o => !(o.Command.Kind == OperationKind.Get && o.Result.Outcome == Outcome.Unknown)).ToList(), model);
            var actual = LinearizabilityChecker.Check(history, model, new CheckOptions { Explain = !expected }).IsLinearizable;

            Assert.True(expected == actual, $"round {round}: brute force says {expected}, checker says {actual}:\n{history}");
            verdicts[expected ? 1 : 0]++;
        }
        // Both verdicts must be well represented, or the experiment proves little.
        Assert.All(verdicts, count => Assert.True(count > 300, $"verdicts: {verdicts[0]} not linearizable, {verdicts[1]} linearizable"));
    }

    private static (History, SeededRandom) RandomHistory(SeededRandom random, bool register)
    {
        int Draw(int maxExclusive)
        {
            (var value, random) = random.Next(0, maxExclusive);
            return value;
        }

        string Value() => _values[2 + Draw(2)]!;
        var count = 2 + Draw(6);
        var operations = new List<Operation>();
        for (var id = 0; id < count; id++)
        {
            var invoke = (long)Draw(12);
            long? complete = Draw(8) == 0 ? null : invoke + 1 + Draw(6);
            var kinds = register ? 3 : 5;
            var command = (OperationKind)Draw(kinds) switch
            {
                OperationKind.Get => Command.Get("k"),
                OperationKind.Put => Command.Put("k", Value()),
                OperationKind.Cas => Command.Cas("k", _values[Draw(4)], Value()),
                OperationKind.Delete => Command.Delete("k"),
                _ => Command.Append("k", Value()),
            };
            if (register && command.Kind == OperationKind.Delete) command = Command.Cas("k", _values[Draw(4)], Value());
            var result = complete is null ? OperationResult.Unknown
                : command.Kind == OperationKind.Get ? OperationResult.Read(Draw(3) == 0 ? "ab" : _values[Draw(4)])
                : command.Kind == OperationKind.Cas && Draw(2) == 0 ? OperationResult.Failed
                : OperationResult.Ok;
            operations.Add(new Operation(id, new ClientId(id), command, invoke, complete, result));
        }
        return (new History(operations), random);
    }

    /// <summary>
    /// The definition: some sequence containing every operation that completed (and any subset
    /// of those with unknown outcomes), in which an operation that completed before another was
    /// invoked comes first, and in which every result is what the model says.
    /// </summary>
    private static bool BruteForce(List<Operation> operations, IModel model)
    {
        var placed = new bool[operations.Count];

        bool Extend(string? state)
        {
            if (operations.Select((o, i) => o.Complete is null || placed[i]).All(done => done)) return true;
            for (var i = 0; i < operations.Count; i++)
            {
                if (placed[i]) continue;
                var candidate = operations[i];
                var mustWait = operations.Where((o, j) => !placed[j] && j != i).Any(o => o.Complete < candidate.Invoke);
                if (mustWait || !model.TryStep(state, candidate, out var next)) continue;
                placed[i] = true;
                var found = Extend(next);
                placed[i] = false;
                if (found) return true;
            }
            return false;
        }

        return Extend(model.Initial);
    }
}
