namespace OrleansNodes.Client.Load;

/// <summary>
/// One load: <see cref="Clients"/> concurrent sessions, each issuing its next operation as soon
/// as the previous one is answered (a closed loop), on keys <c>k0</c>…<c>k{Keys-1}</c>, for
/// <see cref="Duration"/> or until <see cref="Ops"/> operations were issued. Every choice (kind,
/// key) comes from <see cref="Seed"/>; the timing of a real cluster does not.
/// </summary>
public sealed record LoadSpec(int Clients, int Keys, LoadMix Mix, ulong Seed, TimeSpan? Duration, long? Ops, bool FinalReads)
{
    /// <summary>The name of key <paramref name="index"/>.</summary>
    public static string Key(int index) => "k" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
