namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// FNV-1a and SplitMix-style mixing: hashes that do not change between processes, so digests
/// computed on different replicas (or machines) can be compared.
/// </summary>
internal static class StableHash
{
    public const ulong Seed = 0xCBF29CE484222325UL;

    public static ulong Of(string? text) => text is null ? 0x9E3779B97F4A7C15UL : Continue(Seed, text);

    /// <summary>
    /// <see cref="Of"/> of the concatenated <paramref name="parts"/>, without concatenating them:
    /// FNV-1a is a fold over characters, so it carries on from one part into the next.
    /// </summary>
    public static ulong OfParts(params ReadOnlySpan<string> parts)
    {
        var hash = Seed;
        foreach (var part in parts) hash = Continue(hash, part);
        return hash;
    }

    private static ulong Continue(ulong hash, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 0x100000001B3UL;
        }
        return hash;
    }

    public static ulong Add(ulong hash, ulong value) => SeededRandom.Mix(hash, value);
}
