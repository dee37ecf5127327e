namespace OrleansNodes.Client.Load;

/// <summary>
/// One load: <see cref="Clients"/> concurrent sessions, each issuing its next operation as soon
/// as the previous one is answered (a closed loop), on keys <c>k0</c>…<c>k{Keys-1}</c>, for
/// <see cref="Duration"/> or until <see cref="Ops"/> operations were issued. Every choice (kind,
/// key) comes from <see cref="Seed"/>; the timing of a real cluster does not. Values written are
/// <see cref="ValueBytes"/> long (at least the few characters that make each unique). Before the
/// measured load, <see cref="Preload"/> distinct keys (<c>p0</c>…, never touched by the load) are
/// written once, so the load runs against a store that already holds data. With a
/// <see cref="Rate"/>, operations start no faster than that many per second in all: the n-th at
/// n / rate seconds at the earliest (a session whose operation is due later waits). With a
/// <see cref="Warmup"/>, the same load runs that long first and is not measured: a fresh client
/// process spends its first seconds compiling its own code, which a figure should not count.
/// </summary>
public sealed record LoadSpec(int Clients, int Keys, LoadMix Mix, ulong Seed, TimeSpan? Duration, long? Ops, bool FinalReads, int ValueBytes = 0, long Preload = 0, double? Rate = null, TimeSpan? Warmup = null)
{
    /// <summary>The name of key <paramref name="index"/>.</summary>
    public static string Key(int index) => "k" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The name of preloaded key <paramref name="index"/>.</summary>
    public static string PreloadKey(long index) => "p" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><paramref name="unique"/>, padded to <see cref="ValueBytes"/> characters.</summary>
    public string Value(string unique) => unique.Length >= ValueBytes ? unique : unique + new string('.', ValueBytes - unique.Length);
}
