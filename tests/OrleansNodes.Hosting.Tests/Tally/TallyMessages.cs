namespace OrleansNodes.Hosting.Tests.Tally;

// The tally protocol's closed families: peer messages, client commands, client replies.

/// <summary>A message between tally nodes.</summary>
[GenerateSerializer, Immutable, Alias("on.tally.TallyMessage")]
public abstract record TallyMessage;

/// <summary>The leader's total, gossiped to followers (anti-entropy: a lost or stale copy is repaired by the next).</summary>
[GenerateSerializer, Immutable, Alias("on.tally.Replicate")]
public sealed record Replicate([property: Id(0)] long Total) : TallyMessage;

/// <summary>A ping on behalf of client request <c>(Client, Sequence)</c>; answered by <see cref="Pong"/>.</summary>
[GenerateSerializer, Immutable, Alias("on.tally.Ping")]
public sealed record Ping([property: Id(0)] ClientId Client, [property: Id(1)] long Sequence) : TallyMessage;

/// <summary>The answer to <see cref="Ping"/>; the pinging node then replies to the client.</summary>
[GenerateSerializer, Immutable, Alias("on.tally.Pong")]
public sealed record Pong([property: Id(0)] ClientId Client, [property: Id(1)] long Sequence) : TallyMessage;

/// <summary>A client command.</summary>
[GenerateSerializer, Immutable, Alias("on.tally.TallyCommand")]
public abstract record TallyCommand;

/// <summary>Adds to the total, at most once per request id. Only the leader accepts it.</summary>
[GenerateSerializer, Immutable, Alias("on.tally.Add")]
public sealed record Add([property: Id(0)] long Amount) : TallyCommand;

/// <summary>Reads this node's copy of the total.</summary>
[GenerateSerializer, Immutable, Alias("on.tally.Read")]
public sealed record Read : TallyCommand;

/// <summary>Asks the node to ping <paramref name="Peer"/> and reply once the pong is back.</summary>
[GenerateSerializer, Immutable, Alias("on.tally.PingPeer")]
public sealed record PingPeer([property: Id(0)] NodeId Peer) : TallyCommand;

/// <summary>A reply to a client.</summary>
[GenerateSerializer, Immutable, Alias("on.tally.TallyReply")]
public abstract record TallyReply;

/// <summary>The total after an <see cref="Add"/>.</summary>
[GenerateSerializer, Immutable, Alias("on.tally.Added")]
public sealed record Added([property: Id(0)] long Total) : TallyReply;

/// <summary>The total a node holds.</summary>
[GenerateSerializer, Immutable, Alias("on.tally.Value")]
public sealed record Value([property: Id(0)] long Total, [property: Id(1)] long Ticks) : TallyReply;

/// <summary>The pinged peer answered.</summary>
[GenerateSerializer, Immutable, Alias("on.tally.Ponged")]
public sealed record Ponged([property: Id(0)] NodeId Peer) : TallyReply;

/// <summary>"Not the leader: ask <paramref name="Leader"/>."</summary>
[GenerateSerializer, Immutable, Alias("on.tally.Redirect")]
public sealed record Redirect([property: Id(0)] NodeId Leader) : TallyReply;
