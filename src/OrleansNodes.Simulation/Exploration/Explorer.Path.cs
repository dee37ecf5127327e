namespace OrleansNodes.Simulation.Exploration;

/// <summary>Turning a path of actions into the simulator's decisions, so <c>sim --replay</c> replays it.</summary>
internal sealed partial class Explorer<TSettings, TState, TMessage, TRequest, TReply>
{
    /// <summary>
    /// The decisions the simulator's engine takes to walk <paramref name="actions"/>: a round to
    /// begin (the clients' first requests go out as a round starts), every step followed by its
    /// flush, another round each time every node has ticked once more (so the replay's time is the
    /// explorer's: one plus the fewest ticks any node took), and messages named by their link and
    /// the ordinal the engine gives them (the n-th message sent on that link).
    /// </summary>
    private ImmutableArray<Decision> Decisions(List<ExplorerAction> actions, int liveFrom = -1)
    {
        var decisions = ImmutableArray.CreateBuilder<Decision>();
        decisions.Add(Decision.Round);
        var ordinals = new Dictionary<Flight<TMessage>, long>(ReferenceEqualityComparer.Instance);
        var sent = new long[_options.Nodes * _options.Nodes];
        var worker = _workers[0];
        var world = Initial(worker, out _);
        for (var k = 0; k < actions.Count; k++)
        {
            var action = actions[k];

            // The liveness phase begins: the engine then judges Eventually properties, as here. It
            // goes live only on a healed network, so a heal that opens the phase comes first.
            if (k == liveFrom && action.Kind == DecisionKind.Heal) liveFrom++;
            else if (k == liveFrom) decisions.Add(new Decision(DecisionKind.Live));
            switch (action.Kind)
            {
                case DecisionKind.Deliver or DecisionKind.Drop or DecisionKind.Duplicate:
                    var flight = world.Network[action.Index];
                    decisions.Add(new Decision(action.Kind, flight.From, flight.To, ordinals[flight]));
                    if (action.Kind == DecisionKind.Deliver && world.Up[flight.To] && !world.IsCut(flight.From, flight.To)) decisions.Add(new Decision(DecisionKind.Flush, flight.To));
                    break;
                case DecisionKind.Cut:
                    // Cut off from every peer, both ways: the engine cuts one link at a time.
                    for (var peer = 0; peer < _options.Nodes; peer++)
                    {
                        if (peer == action.Node) continue;
                        decisions.Add(new Decision(DecisionKind.Cut, action.Node, peer));
                        decisions.Add(new Decision(DecisionKind.Cut, peer, action.Node));
                    }

                    break;
                case DecisionKind.Heal:
                    decisions.Add(new Decision(DecisionKind.Heal));
                    break;
                case DecisionKind.Tick:
                    decisions.Add(new Decision(DecisionKind.Tick, action.Node));
                    decisions.Add(new Decision(DecisionKind.Flush, action.Node));
                    if (world.Ticks[action.Node] == MinTicks(world.Ticks) && world.Ticks.Count(t => t == world.Ticks[action.Node]) == 1)
                        decisions.Add(Decision.Round);
                    break;
                case DecisionKind.Crash or DecisionKind.Restart:
                    decisions.Add(new Decision(action.Kind, action.Node));
                    break;
                case DecisionKind.Request:
                    // To the client's node, or (a retry) to another: the replay's clients offer the request to every node.
                    var client = world.Clients[action.Index];
                    decisions.Add(new Decision(DecisionKind.Request, action.Node, 0, client.Sequence, ClientIdOf(action.Index).Value));
                    if (world.Up[action.Node]) decisions.Add(new Decision(DecisionKind.Flush, action.Node));
                    break;
            }

            world = Apply(worker, world, action, out _, enforceBounds: false);

            // New messages are appended in send order, as the engine enqueues them at a flush.
            foreach (var added in world.Network)
                if (!ordinals.ContainsKey(added)) ordinals[added] = ++sent[added.From * _options.Nodes + added.To];
        }

        return decisions.ToImmutable();
    }

    private static int MinTicks(byte[] ticks)
    {
        var min = int.MaxValue;
        foreach (var tick in ticks) min = Math.Min(min, tick);
        return min;
    }
}
