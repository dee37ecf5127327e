namespace OrleansNodes.Simulation.Exploration;

/// <summary>
/// One worker's small cache of fingerprints it knows are in the visited set. Actions that commute
/// reach one state by several orders a few steps apart, so most repeats a worker generates are
/// states it met moments before; answering those from a table that fits in the processor's cache
/// spares a probe of the large shared set (a cache miss and a lock). Direct-mapped: a newer
/// fingerprint overwrites the one in its slot, so the cache only ever answers "seen", never "new".
/// </summary>
internal sealed class RecentFingerprints
{
    // 16,384 slots, 128 KiB: about a core's second-level cache.
    private const int SlotBits = 14;
    private readonly ulong[] _slots = new ulong[1 << SlotBits];

    /// <summary>True when <paramref name="fingerprint"/> is known to be in the visited set.</summary>
    public bool Contains(ulong fingerprint) => _slots[Slot(fingerprint)] == Normalize(fingerprint);

    /// <summary>Notes that <paramref name="fingerprint"/> is in the visited set.</summary>
    public void Add(ulong fingerprint) => _slots[Slot(fingerprint)] = Normalize(fingerprint);

    // The visited set picks its segment by the top bits and its slot by the low ones; the middle
    // bits are spread as well and independent of both.
    private static int Slot(ulong fingerprint) => (int)(fingerprint >> 24) & ((1 << SlotBits) - 1);

    // An empty slot holds 0, so 0 is stored as 1, as the visited set stores it.
    private static ulong Normalize(ulong fingerprint) => fingerprint == 0 ? 1 : fingerprint;
}
