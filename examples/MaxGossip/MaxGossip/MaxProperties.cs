using OrleansNodes.Core;

namespace Examples.MaxGossip;

/// <summary>Max gossip's properties.</summary>
public static class MaxProperties
{
    public static readonly IReadOnlyList<Property<MaxState>> All =
    [
        // Safety, checked after every step: a step never lowers a node's value.
        Property.Always<MaxState>("a node's value never decreases", o =>
            o.Before is null || o.After!.Value >= o.Before.Value),

        // A goal: some run must see a value travel, or the suite proves nothing.
        Property.Sometimes<MaxState>("a node learned a larger value", o =>
            o.Before is not null && o.After!.Value > o.Before.Value),

        // Liveness, judged after the network heals: every up node knows the largest value.
        Property.Eventually<MaxState>("every up node knows the largest value", o =>
        {
            var largest = 0;
            for (var i = 0; i < o.Count; i++) largest = Math.Max(largest, o.States[i].Value);
            for (var i = 0; i < o.Count; i++)
                if (o.Up[i] && o.States[i].Value != largest) return false;
            return true;
        }),
    ];
}
