namespace OrleansNodes.Simulation.Tests.Toys;

/// <summary>
/// One node, <see cref="FigureheadSettings.Leader"/>, says it leads and always will (or none
/// does); nobody sends anything, and requests are answered with the answering node's id. A probe
/// for <see cref="FaultKinds.IsolateLeader"/> ("every cut link touches the leader") and for
/// <see cref="SimulationOptions.ClientGateways"/> (requests are the only thing a run can lose).
/// </summary>
internal sealed class Figurehead : Protocol<FigureheadSettings, FigureheadState, Unit, string, int>
{
    public override string Name => "figurehead";

    public override IReadOnlyList<Property<FigureheadState>> Properties { get; } =
    [
        Property.Always<FigureheadState>("every cut link touches the leader", CutsTouchTheLeader),
    ];

    public override FigureheadState Init(NodeConfig<FigureheadSettings> config) => new(config.Self.Value == config.Settings.Leader);

    public override NodeView Inspect(FigureheadState state) => new(state.Leads ? "leader" : "follower", Leading: state.Leads);

    public override FigureheadState Step(StepContext<FigureheadSettings, Unit, int> context, FigureheadState state, Input<Unit, string> input)
    {
        if (input is Input<Unit, string>.Request request) context.Reply(request.Client, request.Sequence, context.Self.Value);
        return state;
    }

    private static bool CutsTouchTheLeader(Observation<FigureheadState> observation)
    {
        for (var a = 0; a < observation.Count; a++)
            for (var b = 0; b < observation.Count; b++)
                if (!observation.CanReach(new NodeId(a), new NodeId(b)) && !observation.States[a].Leads && !observation.States[b].Leads)
                    return false;
        return true;
    }
}

/// <param name="Leader">The node that says it leads, or null for none.</param>
internal sealed record FigureheadSettings(int? Leader);

internal sealed record FigureheadState(bool Leads);
