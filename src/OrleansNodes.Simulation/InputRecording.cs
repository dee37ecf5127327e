namespace OrleansNodes.Simulation;

/// <summary>
/// Every (node, input) a run stepped, in order, for the benchmark's baseline: re-feeding them
/// to <c>Step</c> with no network, persistence or property checks measures what the protocol
/// itself costs, so the simulator's overhead is the difference.
/// </summary>
/// <remarks>
/// The bare loop ignores crashes (it never rolls a node back), so after a crash its states drift
/// from the run's; the work per step stays comparable, which is all a baseline needs.
/// </remarks>
public sealed class InputRecording<TSettings, TState, TMessage, TRequest, TReply>
    where TState : class
{
    private readonly Protocol<TSettings, TState, TMessage, TRequest, TReply> _protocol;

    internal InputRecording(
        Protocol<TSettings, TState, TMessage, TRequest, TReply> protocol,
        ImmutableArray<NodeConfig<TSettings>> configs,
        ImmutableArray<(NodeId Node, Input<TMessage, TRequest> Input)> inputs)
    {
        _protocol = protocol;
        Configs = configs;
        Inputs = inputs;
    }

    /// <summary>The nodes' configurations.</summary>
    public ImmutableArray<NodeConfig<TSettings>> Configs { get; }

    /// <summary>The inputs, in the order the run stepped them.</summary>
    public ImmutableArray<(NodeId Node, Input<TMessage, TRequest> Input)> Inputs { get; }

    /// <summary>Steps every input from the initial states on reused contexts; returns the number of steps.</summary>
    public long RunBareLoop()
    {
        var states = new TState[Configs.Length];
        var contexts = new StepContext<TSettings, TMessage, TReply>[Configs.Length];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = _protocol.Init(Configs[i]);
            contexts[i] = new StepContext<TSettings, TMessage, TReply>(Configs[i]);
        }

        foreach (var (node, input) in Inputs)
        {
            var context = contexts[node.Value];
            states[node.Value] = _protocol.Step(context, states[node.Value], input);
            context.Clear();
        }

        return Inputs.Length;
    }
}
