namespace OrleansNodes.Hosting.Tests.Support;

/// <summary>What the test world saw a node do, in the order it happened.</summary>
public enum HostEventKind
{
    WriteSucceeded,
    WriteFailed,
    Sent,
}

/// <summary>One observed event of node <paramref name="Node"/> (its grain key).</summary>
public readonly record struct HostEvent(HostEventKind Kind, string Node);

/// <summary>A shared, ordered log of storage writes and network sends, for persist-before-send checks.</summary>
public sealed class HostEvents
{
    private readonly List<HostEvent> _events = [];
    private readonly Lock _lock = new();

    public void Add(HostEventKind kind, string node)
    {
        lock (_lock) _events.Add(new HostEvent(kind, node));
    }

    public IReadOnlyList<HostEvent> Of(string node)
    {
        lock (_lock) return [.. _events.Where(e => e.Node == node)];
    }
}
