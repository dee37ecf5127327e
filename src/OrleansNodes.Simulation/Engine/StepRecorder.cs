namespace OrleansNodes.Simulation.Engine;

/// <summary>
/// For the determinism self-check: a structural hash of every step (the stepped node, its new
/// state and everything it sent and replied), plus the states themselves so a divergence can
/// be shown as a diff.
/// </summary>
internal sealed class StepRecorder
{
    public List<ulong> Hashes { get; } = [];

    public List<int> Nodes { get; } = [];

    public List<object> States { get; } = [];

    public List<ulong> StateHashes { get; } = [];

    public void Add<TMessage, TReply>(int node, object state, ReadOnlySpan<Envelope<TMessage>> sends, ReadOnlySpan<ClientReply<TReply>> replies)
    {
        var stateHash = StructuralHash.Of(state);
        var hash = stateHash ^ ((ulong)node * 0x9E3779B97F4A7C15UL);
        foreach (var send in sends) hash = hash * 31 + StructuralHash.Of(send);
        foreach (var reply in replies) hash = hash * 31 + StructuralHash.Of(reply);
        Hashes.Add(hash);
        Nodes.Add(node);
        States.Add(state);
        StateHashes.Add(stateHash);
    }
}
