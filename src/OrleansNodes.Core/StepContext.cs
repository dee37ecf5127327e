using System.Collections.Immutable;

namespace OrleansNodes.Core;

/// <summary>
/// The writer a step talks through: read the node's configuration, append sends and replies,
/// and say how the durable log and snapshot change (<see cref="Durable"/>). Handlers cannot
/// perform what they wrote; the host that owns the context collects the effects after the
/// batch, writes what is durable, and only then lets the sends and replies leave. This is the seed's "monad": it keeps handlers short without letting mutable
/// state escape into protocol state.
/// </summary>
public sealed class StepContext<TSettings, TMessage, TReply>
{
    private readonly List<Envelope<TMessage>> _sends = [];
    private readonly List<ClientReply<TReply>> _replies = [];

    /// <summary>Creates a context for the node described by <paramref name="config"/>.</summary>
    public StepContext(NodeConfig<TSettings> config) => Config = config;

    /// <summary>The log and snapshot writes of the steps since the last drain (DESIGN.md, durable state).</summary>
    public DurableWriter Durable { get; } = new();

    /// <summary>The node's immutable configuration.</summary>
    public NodeConfig<TSettings> Config { get; }

    /// <summary>This node.</summary>
    public NodeId Self => Config.Self;

    /// <summary>The protocol settings.</summary>
    public TSettings Settings => Config.Settings;

    /// <summary>All members of the cluster, this node included.</summary>
    public ImmutableArray<NodeId> Members => Config.Members;

    /// <summary>The number of nodes that make a majority.</summary>
    public int Majority => Config.Majority;

    /// <summary>Asks the host to send <paramref name="message"/> to <paramref name="to"/>.</summary>
    public void Send(NodeId to, TMessage message) => _sends.Add(new Envelope<TMessage>(Config.Self, to, message));

    /// <summary>Sends <paramref name="message"/> to every member except this node.</summary>
    public void Broadcast(TMessage message)
    {
        foreach (var member in Config.Members)
            if (member != Config.Self) Send(member, message);
    }

    /// <summary>
    /// Sends <paramref name="message"/> to every member, this node included. Sending to oneself
    /// through the network keeps roles uniform (a proposer's own acceptor is just another
    /// acceptor), and the message can be lost or reordered like any other.
    /// </summary>
    public void SendToAll(TMessage message)
    {
        foreach (var member in Config.Members) Send(member, message);
    }

    /// <summary>Asks the host to answer request <paramref name="sequence"/> of <paramref name="client"/>.</summary>
    public void Reply(ClientId client, long sequence, TReply reply) => _replies.Add(new ClientReply<TReply>(client, sequence, reply));

    /// <summary>Number of sends written since the last drain.</summary>
    public int SendCount => _sends.Count;

    /// <summary>Number of replies written since the last drain.</summary>
    public int ReplyCount => _replies.Count;

    /// <summary>The sends written since the last drain, for hosts that copy them without allocating.</summary>
    public ReadOnlySpan<Envelope<TMessage>> PendingSends => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_sends);

    /// <summary>The replies written since the last drain.</summary>
    public ReadOnlySpan<ClientReply<TReply>> PendingReplies => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_replies);

    /// <summary>Forgets the sends and replies written, keeping durable writes. Hosts call this after copying them out.</summary>
    public void ClearOutbox()
    {
        _sends.Clear();
        _replies.Clear();
    }

    /// <summary>Forgets everything written, durable writes included (a batch that will never be flushed).</summary>
    public void Clear()
    {
        ClearOutbox();
        Durable.Clear();
    }

    /// <summary>Returns the sends and replies written since the last drain as an immutable outbox, and clears them.</summary>
    public Outbox<TMessage, TReply> Drain()
    {
        if (_sends.Count == 0 && _replies.Count == 0) return Outbox<TMessage, TReply>.Empty;
        var outbox = new Outbox<TMessage, TReply>([.. _sends], [.. _replies]);
        ClearOutbox();
        return outbox;
    }
}
