namespace OrleansNodes.Simulation.Exploration;

/// <summary>
/// One action of an exhaustive search, the edge between two states: <see cref="DecisionKind.Deliver"/>,
/// <see cref="DecisionKind.Drop"/> or <see cref="DecisionKind.Duplicate"/> of the message at
/// <see cref="Index"/> in the network, <see cref="DecisionKind.Tick"/>, <see cref="DecisionKind.Crash"/>
/// or <see cref="DecisionKind.Restart"/> of <see cref="Node"/>, <see cref="DecisionKind.Cut"/>: cut
/// <see cref="Node"/> off from its peers, <see cref="DecisionKind.Heal"/>, or <see cref="DecisionKind.Request"/>:
/// client <see cref="Index"/>'s request arrives at its node.
/// </summary>
internal readonly record struct ExplorerAction(DecisionKind Kind, int Node, int Index);

/// <summary>A property a state broke, with the explorer's message.</summary>
internal sealed record Broken(string Property, PropertyKind Kind, string Message);
