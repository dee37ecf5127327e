using System.Runtime.InteropServices;

namespace OrleansNodes.Protocols.KeyValue;

/// <summary>
/// Hashes that do not change between processes (unlike <see cref="string.GetHashCode()"/>), so
/// the history digests of replicas in one run can be compared (<see cref="KeyValueProperties"/>).
/// Text is folded a 64-bit word (four characters) at a time in four independent FNV-style lanes,
/// which the processor runs side by side, and finished with SplitMix mixing: every replica hashes
/// every value it applies, and a character-at-a-time FNV-1a over a 10 KB value was 2.7 % of the
/// machine under 10 KB puts (docs/BENCHMARKS.md, "The history digest's hash").
/// </summary>
/// <remarks>
/// Nothing outside a simulation compares digests: a snapshot carries its store's digest, and a
/// replica of another version only chains its own hashes onto it. So the definition may change
/// between versions, as it has once (it was FNV-1a over each command's text).
/// </remarks>
internal static class StableHash
{
    public const ulong Seed = 0xCBF29CE484222325UL;
    private const ulong Prime = 0x100000001B3UL;

    public static ulong Of(string? text) => text is null ? 0x9E3779B97F4A7C15UL : Of(text.AsSpan());

    /// <summary>The parts hashed one by one and chained, so <c>("ab", "c")</c> and <c>("a", "bc")</c> differ.</summary>
    public static ulong OfParts(params ReadOnlySpan<string> parts)
    {
        var hash = Seed;
        foreach (var part in parts) hash = Add(hash, Of(part));
        return hash;
    }

    public static ulong Add(ulong hash, ulong value) => SeededRandom.Mix(hash, value);

    private static ulong Of(ReadOnlySpan<char> text)
    {
        var words = MemoryMarshal.Cast<char, ulong>(text);
        ulong a = Seed, b = Seed + 1, c = Seed + 2, d = Seed + 3;
        var i = 0;
        for (; i + 4 <= words.Length; i += 4)
        {
            a = (a ^ Word(words[i])) * Prime;
            b = (b ^ Word(words[i + 1])) * Prime;
            c = (c ^ Word(words[i + 2])) * Prime;
            d = (d ^ Word(words[i + 3])) * Prime;
        }
        for (; i < words.Length; i++) a = (a ^ Word(words[i])) * Prime;
        foreach (var ch in text[(words.Length * 4)..]) b = (b ^ ch) * Prime;
        return Add(Add(Add(Add((ulong)text.Length, a), b), c), d);
    }

    /// <summary>Four characters as a little-endian machine reads them, on any machine.</summary>
    private static ulong Word(ulong word) => BitConverter.IsLittleEndian
        ? word
        : (word >> 48) | ((word >> 16) & 0xFFFF0000UL) | ((word << 16) & 0xFFFF00000000UL) | (word << 48);
}
