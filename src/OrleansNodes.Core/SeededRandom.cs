namespace OrleansNodes.Core;

/// <summary>
/// A pure, splittable pseudo-random sequence (SplitMix64). It is a value: drawing returns the
/// number and the next generator, so a protocol keeps its generator in its state record and
/// every run from the same seed draws the same numbers. This is the only randomness protocol
/// code may use.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.SeededRandom")]
public readonly record struct SeededRandom([property: Id(0)] ulong State)
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>A generator for <paramref name="seed"/>.</summary>
    public static SeededRandom From(ulong seed) => new(seed);

    /// <summary>Draws 64 random bits.</summary>
    public (ulong Value, SeededRandom Next) NextUInt64()
    {
        var state = State + Gamma;
        return (Finalize(state), new SeededRandom(state));
    }

    /// <summary>Draws a number in <c>[minInclusive, maxExclusive)</c> without modulo bias worth caring about (64-bit multiply-shift).</summary>
    public (int Value, SeededRandom Next) Next(int minInclusive, int maxExclusive)
    {
        if (maxExclusive <= minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), $"empty range [{minInclusive}, {maxExclusive})");
        var (bits, next) = NextUInt64();
        var range = (ulong)(maxExclusive - minInclusive);
        var offset = (ulong)(((UInt128)bits * range) >> 64);
        return (minInclusive + (int)offset, next);
    }

    /// <summary>Mixes two numbers into a well-spread seed, e.g. a cluster seed and a node index.</summary>
    public static ulong Mix(ulong seed, ulong salt) => Finalize(seed + Gamma * (salt + 1));

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
