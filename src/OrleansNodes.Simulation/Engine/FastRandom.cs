namespace OrleansNodes.Simulation.Engine;

/// <summary>
/// The scheduler's random source: SplitMix64, the same generator as <see cref="SeededRandom"/>,
/// but mutable, so the hot loop draws without copying tuples. Seeded per run; never shared.
/// </summary>
internal sealed class FastRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in <c>[0, count)</c> by multiply-shift (Lemire), no division.</summary>
    public int Next(int count) => (int)(((UInt128)NextUInt64() * (ulong)count) >> 64);

    /// <summary>True with probability <paramref name="percent"/>/100.</summary>
    public bool Chance(double percent) => percent > 0 && (NextUInt64() >> 11) * (1.0 / (1UL << 53)) * 100.0 < percent;
}
