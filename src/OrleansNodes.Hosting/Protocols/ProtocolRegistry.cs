using System.Collections.Frozen;

namespace OrleansNodes.Hosting.Protocols;

/// <summary>
/// The protocols a silo can host, by name. Built from every <see cref="HostedProtocol"/>
/// registered with <c>AddProtocol</c>; a cluster names its protocol, and a node grain looks it
/// up here when it activates.
/// </summary>
public sealed class ProtocolRegistry
{
    private readonly FrozenDictionary<string, HostedProtocol> _byName;

    /// <summary>Creates a registry; names must be unique (case-insensitive).</summary>
    public ProtocolRegistry(IEnumerable<HostedProtocol> protocols)
    {
        var byName = new Dictionary<string, HostedProtocol>(StringComparer.OrdinalIgnoreCase);
        foreach (var protocol in protocols)
        {
            if (!byName.TryAdd(protocol.Name, protocol))
                throw new ArgumentException($"protocol '{protocol.Name}' is registered twice", nameof(protocols));
        }
        _byName = byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The registered protocol names, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _byName.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Finds a protocol by name.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HostedProtocol? protocol) =>
        _byName.TryGetValue(name, out protocol);

    /// <summary>Finds a protocol by name, or throws with the list of known names.</summary>
    public HostedProtocol Get(string name) =>
        TryGet(name, out var protocol)
            ? protocol
            : throw new ArgumentException($"unknown protocol '{name}' (registered: {string.Join(", ", Names)})", nameof(name));
}
