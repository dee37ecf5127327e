namespace OrleansNodes.Hosting.Clients;

/// <summary>
/// Which silo each lane of a cluster's front door (<see cref="IClusterGatewayGrain.Key"/>)
/// reaches from this client, as replies report it (<see cref="RequestOutcome.Replied.GatewaySilo"/>),
/// so that a session can move to a lane whose gateway is the silo of the node that answers it,
/// usually the leader. A request then goes from the client to that silo and back; through any
/// other gateway it crosses between silos twice more with its value (10 KB gets: 25–46 % more per
/// second through the leader's silo, docs/BENCHMARKS.md "Each target alone, and sessions at the
/// leader's gateway").
/// </summary>
/// <remarks>
/// An Orleans client sends every call to one grain through one gateway connection while that
/// connection lives, and picks the gateway when it first calls the grain: a lane's gateway is
/// learned, not computed. When no lane is known to reach the node's silo, the next request takes
/// a lane not known yet, so a session finds one within as many requests as there are lanes. A
/// mapping gone stale (its gateway died, and the client moved the lane to another) is corrected
/// by the next reply through that lane. One instance serves every session of a client on one
/// cluster; it is thread-safe.
/// </remarks>
public sealed class GatewayLanes
{
    private readonly SiloAddress?[] _gateways;
    private readonly Lock _lock = new();

    /// <summary>Lanes numbered 0 to <paramref name="lanes"/> − 1, none of them known yet.</summary>
    public GatewayLanes(int lanes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        _gateways = new SiloAddress?[lanes];
    }

    /// <summary>How many lanes.</summary>
    public int Count => _gateways.Length;

    /// <summary>The silo <paramref name="lane"/> was last seen to reach, or null.</summary>
    public SiloAddress? GatewayOf(int lane)
    {
        lock (_lock) return _gateways[lane];
    }

    /// <summary>
    /// Records that <paramref name="lane"/> reached <paramref name="gateway"/>, and returns the
    /// lane a session's next request should take to reach <paramref name="node"/>'s silo: this
    /// one when its gateway is that silo; else the first after it known to be; else the first
    /// after it not known yet; else (every lane known, none reaching that silo) this one.
    /// </summary>
    public int Next(int lane, SiloAddress gateway, SiloAddress node)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(node);
        lock (_lock)
        {
            _gateways[lane] = gateway;
            if (gateway.Equals(node)) return lane;
            var unknown = -1;
            for (var step = 1; step < _gateways.Length; step++)
            {
                var candidate = (lane + step) % _gateways.Length;
                if (node.Equals(_gateways[candidate])) return candidate;
                if (unknown < 0 && _gateways[candidate] is null) unknown = candidate;
            }
            return unknown >= 0 ? unknown : lane;
        }
    }
}
