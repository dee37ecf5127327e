using System.Text;

namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Turns a shrunk counterexample into words: a headline, one sentence on why the operations
/// cannot be ordered, and the operations themselves. It recognises the classic shapes of a
/// violation (a value nobody wrote, a read from the future, a stale read, a value that came
/// back, a compare that failed against the only possible value, a read that misses a
/// completed append) and
/// otherwise names the operation the longest attempt at an order could not get past.
/// </summary>
internal static class ViolationExplainer
{
    public static string Explain(string key, ImmutableArray<Operation> counterexample, List<Operation> keyOperations, IModel model)
    {
        var text = new StringBuilder();
        text.Append("not linearizable: key ").Append(Command.Quote(key)).Append(" (").Append(model.Name).Append(" model): ");
        text.Append(Sentence(counterexample, keyOperations, model));
        text.Append(Environment.NewLine).Append("the ").Append(counterexample.Length)
            .Append(counterexample.Length == 1 ? " operation" : " operations").Append(" that cannot be ordered:");
        foreach (var operation in counterexample)
            text.Append(Environment.NewLine).Append("  #").Append(operation.Id).Append(' ').Append(operation);
        return text.ToString();
    }

    private static string Sentence(ImmutableArray<Operation> core, List<Operation> keyOperations, IModel model)
    {
        if (Provenance.IsTraceable(core))
        {
            foreach (var reader in core.Where(Provenance.IsRead))
            {
                var sentence = NeverWritten(reader, keyOperations, model)
                    ?? FromTheFuture(reader, core, model)
                    ?? Stale(reader, core, model)
                    ?? CameBack(reader, core, model);
                if (sentence is not null) return sentence;
            }
            foreach (var failed in core.Where(o => o.Result.Outcome == Outcome.Failed))
            {
                if (OnlyPossibleValue(failed, core, model) is { } sentence) return sentence;
            }
        }
        foreach (var get in core.Where(o => o.Command.Kind == OperationKind.Get && o.Result.Outcome == Outcome.Ok))
        {
            if (MissedAppend(get, core) is { } sentence) return sentence;
        }

        var stuck = LinearizationSearch.Run([.. core], model, 1_000_000).DeepestBlocked;
        var tail = stuck >= 0 ? $"; the longest attempt stops at {core[stuck]}" : "";
        return $"no order of these {core.Length} operations respects both real time and the {model.Name} model{tail}.";
    }

    private static string? NeverWritten(Operation reader, List<Operation> keyOperations, IModel model) =>
        Provenance.ObservesInitial(reader, model) || Provenance.Writers(reader, keyOperations, model).Any()
            ? null
            : $"{reader} observed {Command.Quote(Provenance.Observed(reader))}, a value no operation on the key wrote.";

    private static string? FromTheFuture(Operation reader, ImmutableArray<Operation> core, IModel model)
    {
        if (Provenance.ObservesInitial(reader, model)) return null;
        var writers = Provenance.Writers(reader, core, model).ToList();
        if (writers.Count == 0 || writers.Any(w => w.Invoke <= reader.Complete)) return null;
        var value = Command.Quote(Provenance.Observed(reader));
        return writers.Count == 1
            ? $"{reader} cannot be ordered: the only {writers[0].Command.Verb} of {value} ({writers[0]}) was invoked after it completed."
            : $"{reader} cannot be ordered: every write of {value} was invoked after it completed.";
    }

    /// <summary>
    /// A read of a value that a later mutation had already replaced: the mutation follows every
    /// write of the value (it was invoked after they completed, or it is a cas that consumed the
    /// only one) and completed before the read was invoked.
    /// </summary>
    private static string? Stale(Operation reader, ImmutableArray<Operation> core, IModel model)
    {
        var writers = Provenance.Writers(reader, core, model).ToList();
        var initially = Provenance.ObservesInitial(reader, model);
        if (writers.Count == 0 && !initially) return null;
        bool Follows(Operation later, Operation write) =>
            later.Invoke > write.Complete
            || (writers.Count == 1 && !initially && later.Command.Kind == OperationKind.Cas && model.TryStep(Provenance.After(write, model), later, out _));
        var overwriter = core.FirstOrDefault(o =>
            o != reader && !writers.Contains(o) && o.Command.IsMutation && o.Result.Outcome == Outcome.Ok
            && o.Complete < reader.Invoke && writers.All(w => Follows(o, w))
            && !model.TryStep(Provenance.After(o, model), reader, out _));
        if (overwriter is null) return null;
        var value = Command.Quote(Provenance.Observed(reader));
        var verb = reader.Command.Verb;
        return (writers.Count, initially) switch
        {
            (0, _) => $"{reader} is stale: it observed the initial value, but {overwriter} had replaced it before the {verb} was invoked.",
            (1, false) => $"{reader} is stale: {overwriter} replaced {value} after {writers[0]} wrote it, and before the {verb} was invoked.",
            _ => $"{reader} is stale: {overwriter} replaced {value} after every write of it, and before the {verb} was invoked.",
        };
    }

    /// <summary>
    /// A read of a value whose only write had completed before an earlier read already saw
    /// something else: once overwritten, the value cannot come back without another write.
    /// </summary>
    private static string? CameBack(Operation reader, ImmutableArray<Operation> core, IModel model)
    {
        if (Provenance.ObservesInitial(reader, model)) return null;
        var writers = Provenance.Writers(reader, core, model).ToList();
        if (writers.Count != 1) return null;
        var writer = writers[0];
        var earlier = core.FirstOrDefault(o =>
            o != reader && o != writer && Provenance.IsRead(o) && o.Complete < reader.Invoke && writer.Complete < o.Invoke
            && !model.TryStep(Provenance.After(writer, model), o, out _));
        if (earlier is null) return null;
        var value = Command.Quote(Provenance.Observed(reader));
        return $"{reader} cannot be ordered: {earlier} had already observed {Command.Quote(Provenance.Observed(earlier))}, " +
               $"after the only {writer.Command.Verb} of {value} ({writer}) completed, so {value} could not come back.";
    }

    /// <summary>A cas that failed although every other operation in the core leaves the key holding what it expected.</summary>
    private static string? OnlyPossibleValue(Operation failed, ImmutableArray<Operation> core, IModel model)
    {
        var others = core.Where(o => o != failed).ToList();
        var probe = failed with { Result = OperationResult.Ok };
        if (others.Count == 0 || !others.All(o => o.Command.IsMutation && model.TryStep(Provenance.After(o, model), probe, out _)))
            return null;
        var expected = Command.Quote(failed.Command.Expected);
        return others.Count == 1
            ? $"{failed} cannot be ordered: it found a value other than {expected}, but the only write before it, {others[0]}, wrote {expected}."
            : $"{failed} cannot be ordered: it found a value other than {expected}, but every write that could precede it wrote {expected}.";
    }

    /// <summary>A get whose value lacks an append that completed before the get was invoked.</summary>
    private static string? MissedAppend(Operation get, ImmutableArray<Operation> core)
    {
        var read = get.Result.ReadValue ?? "";
        var missed = core.FirstOrDefault(o =>
            o.Command.Kind == OperationKind.Append && o.Result.Outcome == Outcome.Ok && o.Complete < get.Invoke
            && !read.Contains(o.Command.Value!, StringComparison.Ordinal)
            && !core.Any(w => w.Command.Kind is OperationKind.Put or OperationKind.Delete && w.Invoke > o.Complete));
        return missed is null
            ? null
            : $"{get} misses {missed}, which completed before the get was invoked and was not overwritten.";
    }
}
