using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Client.Testing;

/// <summary>
/// Acknowledged writes that the final reads prove lost. A final read of a key shows a base value
/// (written by a put or cas, or the key's initial value, or nothing) followed by the suffixes of
/// appends; an acknowledged write is lost when it is not in what was read although whatever
/// produced the read value finished before the write began, so nothing could have legitimately
/// come after it and replaced it. That needs every write to be told apart by its value, which
/// <c>kv load</c> guarantees (values and append suffixes carry the client and its operation
/// number). The linearizability checker judges the whole history; this count says how much of
/// what clients were told is gone.
/// </summary>
public static class LostWrites
{
    /// <summary>
    /// The acknowledged writes of <paramref name="history"/> lost according to its final reads:
    /// the answered gets of clients numbered <paramref name="loadClients"/> and above (how
    /// <c>kv load --final-reads</c> numbers them). Keys without an answered final read count nothing.
    /// </summary>
    public static IReadOnlyList<Operation> Find(History history, int loadClients)
    {
        var lost = new List<Operation>();
        foreach (var key in history.Operations.GroupBy(o => o.Key, StringComparer.Ordinal))
        {
            var finalRead = key.LastOrDefault(o => o.Client.Value >= loadClients && o.Command.Kind == OperationKind.Get && o.Result.Outcome == Outcome.Ok);
            if (finalRead is null) continue;
            var writes = key.Where(o => o.Client.Value < loadClients && IsWrite(o)).ToList();
            lost.AddRange(LostIn(writes, history.Initial.GetValueOrDefault(key.Key), finalRead.Result.ReadValue));
        }
        return lost;
    }

    private static IEnumerable<Operation> LostIn(List<Operation> writes, string? initial, string? read)
    {
        // The writes that may have produced the base of what was read (a put, an applied or
        // unknown cas, or a delete when the key was absent), and when the last of them may have
        // taken effect: a write that began after that could not have been replaced by them.
        var producers = writes.Where(w => Produces(w, read)).ToList();
        if (producers.Count == 0 && !HasBase(read, initial)) yield break; // read something unexplained: the checker's business
        var baseFinished = producers.Count == 0 ? long.MinValue : producers.Max(w => w.Complete ?? long.MaxValue);
        foreach (var write in writes.Where(w => w.Result.Outcome == Outcome.Ok && w.Command.Kind != OperationKind.Delete))
        {
            if (write.Invoke <= baseFinished) continue; // the base may have come after it
            var present = write.Command.Kind == OperationKind.Append
                ? read is not null && read.Contains(write.Command.Value!, StringComparison.Ordinal)
                : producers.Contains(write);
            if (!present) yield return write;
        }
    }

    private static bool IsWrite(Operation operation) =>
        operation.Command.Kind is OperationKind.Put or OperationKind.Append or OperationKind.Delete
        || (operation.Command.Kind == OperationKind.Cas && operation.Result.Outcome != Outcome.Failed);

    // A put or cas whose value is the read's base (appends follow it), or a delete when the read
    // has no base (absent, or only appended suffixes).
    private static bool Produces(Operation write, string? read) => write.Command.Kind switch
    {
        OperationKind.Put or OperationKind.Cas => HasBase(read, write.Command.Value),
        OperationKind.Delete => HasBase(read, null),
        _ => false,
    };

    // Whether <read> is <base> followed by append suffixes only; a null base: no base at all.
    private static bool HasBase(string? read, string? @base) =>
        @base is null
            ? read is null || IsAppendSuffix(read)
            : read is not null && read.StartsWith(@base, StringComparison.Ordinal) && IsAppendSuffix(read[@base.Length..]);

    // kv load's append suffixes are "+c<client>.<n>"; anything else after a base is not theirs.
    private static bool IsAppendSuffix(string rest) => rest.Length == 0 || rest[0] == '+';
}
