namespace OrleansNodes.Simulation;

/// <summary>
/// Entry point: <c>Simulator.Create(new Paxos(), PaxosSettings.Default)</c> gives a
/// <see cref="Simulator{TSettings, TState, TMessage, TRequest, TReply}"/> for protocol authors'
/// tests, which is also the <see cref="ISimulation"/> the console drives.
/// </summary>
public static class Simulator
{
    /// <summary>A simulator of <paramref name="protocol"/> with <paramref name="settings"/>.</summary>
    public static Simulator<TSettings, TState, TMessage, TRequest, TReply> Create<TSettings, TState, TMessage, TRequest, TReply>(
        Protocol<TSettings, TState, TMessage, TRequest, TReply> protocol,
        TSettings settings)
        where TState : class
    {
        ArgumentNullException.ThrowIfNull(protocol);
        return new Simulator<TSettings, TState, TMessage, TRequest, TReply>(protocol, settings, null);
    }
}
