using System.Collections.Immutable;

namespace OrleansNodes.Core;

/// <summary>
/// The seed's failure-detector bookkeeping: for every member, the number of ticks since this
/// node last heard from it. It covers both silence from everyone and silence from one peer
/// while others keep talking, with no timers at all.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.PeerTicks")]
public sealed record PeerTicks([property: Id(0)] ImmutableArray<int> SinceHeard)
{
    /// <summary>Every member heard just now.</summary>
    public static PeerTicks Create(int memberCount) => new(ImmutableArray.Create(new int[memberCount]));

    /// <summary>Ticks since <paramref name="peer"/> was last heard.</summary>
    public int TicksSinceHeard(NodeId peer) => SinceHeard[peer.Value];

    /// <summary>True when <paramref name="peer"/> has been silent for at least <paramref name="timeoutTicks"/> ticks.</summary>
    public bool IsSilent(NodeId peer, int timeoutTicks) => SinceHeard[peer.Value] >= timeoutTicks;

    /// <summary>One tick later: every counter grows by one (saturating, so a long-dead peer cannot overflow).</summary>
    public PeerTicks Tick()
    {
        var next = new int[SinceHeard.Length];
        for (var i = 0; i < next.Length; i++)
            next[i] = SinceHeard[i] == int.MaxValue ? int.MaxValue : SinceHeard[i] + 1;
        return new PeerTicks(ImmutableArray.Create(next));
    }

    /// <summary>Records that <paramref name="peer"/> was heard from. Returns this instance when nothing changes.</summary>
    public PeerTicks Heard(NodeId peer) =>
        SinceHeard[peer.Value] == 0 ? this : new PeerTicks(SinceHeard.SetItem(peer.Value, 0));

    /// <inheritdoc/>
    public bool Equals(PeerTicks? other) => other is not null && SinceHeard.SequenceEqual(other.SinceHeard);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in SinceHeard) hash.Add(value);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(",", SinceHeard) + "]";
}
