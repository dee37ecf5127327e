namespace OrleansNodes.Simulation.Exploration;

/// <summary>The bounded liveness phase: a healed, fair continuation of the states where the search stops.</summary>
internal sealed partial class Explorer<TSettings, TState, TMessage, TRequest, TReply>
{
    private List<ExplorerAction>? _livenessTail;
    private long _livenessChecks;

    /// <summary>
    /// Runs the liveness phase from <paramref name="world"/> (see
    /// <see cref="ExplorationOptions.LivenessRounds"/>): heal a cut, restart every crashed node, then rounds in
    /// which every node ticks once and everything then in flight is delivered. Returns the actions
    /// and the property that never held, or null when every <c>Eventually</c> property held.
    /// </summary>
    private (List<ExplorerAction> Actions, Broken Broken)? Liveness(Worker worker, ExplorerWorld<TState, TMessage> world)
    {
        var held = new bool[_properties.Length];
        var actions = new List<ExplorerAction>();
        worker.LivenessHeld = held;
        try
        {
            if (world.Isolated >= 0) world = Take(worker, world, new ExplorerAction(DecisionKind.Heal, world.Isolated, 0), actions);
            for (var node = 0; node < _options.Nodes; node++)
                if (!world.Up[node]) world = Take(worker, world, new ExplorerAction(DecisionKind.Restart, node, 0), actions);

            for (var round = 0; round < _options.LivenessRounds && !AllHeld(held); round++)
            {
                for (var node = 0; node < _options.Nodes && !AllHeld(held); node++)
                    world = Take(worker, world, new ExplorerAction(DecisionKind.Tick, node, 0), actions);

                for (var c = 0; c < world.Clients.Length; c++)
                    if (world.Clients[c].Phase == ClientPhase.InFlight) world = Take(worker, world, new ExplorerAction(DecisionKind.Request, world.Clients[c].Target, c), actions);

                // What is in flight as the round's deliveries begin goes now, oldest first; what
                // they send waits for the next round.
                for (var k = world.Network.Length; k > 0 && !AllHeld(held); k--)
                    world = Take(worker, world, new ExplorerAction(DecisionKind.Deliver, world.Network[0].To, 0), actions);
            }
        }
        catch (LivenessBroken broken)
        {
            return (actions, broken.Broken);
        }
        finally
        {
            worker.LivenessHeld = null;
        }

        for (var i = 0; i < held.Length; i++)
        {
            if (_properties[i].Kind == PropertyKind.Eventually && !held[i])
                return (actions, new Broken(_properties[i].Name, PropertyKind.Eventually, $"did not hold within {_options.LivenessRounds} rounds of a healed, fair network after the search's faults"));
        }

        return null;
    }

    private bool AllHeld(bool[] held)
    {
        for (var i = 0; i < held.Length; i++)
            if (_properties[i].Kind == PropertyKind.Eventually && !held[i]) return false;
        return true;
    }

    private ExplorerWorld<TState, TMessage> Take(Worker worker, ExplorerWorld<TState, TMessage> world, ExplorerAction action, List<ExplorerAction> actions)
    {
        actions.Add(action);

        // A liveness phase is not bounded by the search's in-flight limit: every message it sends is
        // delivered within the round after.
        TryApply(worker, world, action, out var broken, enforceBounds: false);
        if (broken is not null) throw new LivenessBroken(broken);
        return Materialize(worker.Scratch);
    }

    /// <summary>A safety property broken during the liveness phase: it ends the phase with that violation.</summary>
    private sealed class LivenessBroken(Broken broken) : Exception(broken.Message)
    {
        public Broken Broken { get; } = broken;
    }
}
