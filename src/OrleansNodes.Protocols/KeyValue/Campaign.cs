namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// A candidate's phase 1 in progress: who promised, and for every reported slot the value a new
/// leader must propose there: a chosen value if anyone reported one, else the value accepted in
/// the newest ballot ("Paxos Made Simple" §2.2, P2c).
/// </summary>
/// <param name="Ballot">The ballot campaigned for.</param>
/// <param name="FromSlot">The first slot the prepare asked about.</param>
/// <param name="Votes">Bit i set: node i promised. Clusters have at most 64 members.</param>
/// <param name="Reports">The merged reports, by slot.</param>
[GenerateSerializer, Immutable, Alias("on.kv.Campaign")]
public sealed record Campaign(
    [property: Id(0)] Ballot Ballot,
    [property: Id(1)] long FromSlot,
    [property: Id(2)] ulong Votes,
    [property: Id(3)] ImmutableSortedDictionary<long, LogEntry> Reports)
{
    /// <summary>A campaign with no promises yet.</summary>
    public static Campaign Start(Ballot ballot, long fromSlot) =>
        new(ballot, fromSlot, 0, ImmutableSortedDictionary<long, LogEntry>.Empty);

    /// <summary>Number of promises received.</summary>
    public int PromiseCount => System.Numerics.BitOperations.PopCount(Votes);

    /// <summary>True when <paramref name="node"/> already promised.</summary>
    public bool HasPromiseFrom(NodeId node) => (Votes & (1UL << node.Value)) != 0;

    /// <summary>Adds <paramref name="node"/>'s promise, keeping slots after <paramref name="appliedIndex"/>.</summary>
    public Campaign Add(NodeId node, ImmutableArray<SlotEntry> entries, long appliedIndex)
    {
        var reports = Reports.ToBuilder();
        foreach (var (slot, entry) in entries)
        {
            if (slot <= appliedIndex) continue;
            if (!reports.TryGetValue(slot, out var known) || Supersedes(entry, known)) reports[slot] = entry;
        }
        return this with { Votes = Votes | (1UL << node.Value), Reports = reports.ToImmutable() };
    }

    private static bool Supersedes(LogEntry candidate, LogEntry known) =>
        !known.Chosen && (candidate.Chosen || candidate.Ballot > known.Ballot);
}
