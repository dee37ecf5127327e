using Orleans;

namespace Examples.MaxGossip;

/// <summary>Peer messages: a node tells the others the largest value it knows.</summary>
[GenerateSerializer, Immutable, Alias("max-gossip.Message")]
public abstract record MaxMessage
{
    private MaxMessage() { }

    /// <summary>"The largest value I know is <paramref name="Value"/>."</summary>
    [GenerateSerializer, Immutable, Alias("max-gossip.Gossip")]
    public sealed record Gossip([property: Id(0)] int Value) : MaxMessage;
}

/// <summary>Client commands.</summary>
[GenerateSerializer, Immutable, Alias("max-gossip.Command")]
public abstract record MaxCommand
{
    private MaxCommand() { }

    /// <summary>Offer a value; the cluster keeps the largest.</summary>
    [GenerateSerializer, Immutable, Alias("max-gossip.Offer")]
    public sealed record Offer([property: Id(0)] int Value) : MaxCommand;

    /// <summary>Ask for the largest value this node knows.</summary>
    [GenerateSerializer, Immutable, Alias("max-gossip.Read")]
    public sealed record Read : MaxCommand;
}

/// <summary>Client replies.</summary>
[GenerateSerializer, Immutable, Alias("max-gossip.Reply")]
public sealed record MaxReply([property: Id(0)] int Value);
