using OrleansNodes.Protocols.Paxos;
using PaxosContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.Paxos.PaxosSettings, OrleansNodes.Protocols.Paxos.PaxosMessage, OrleansNodes.Protocols.Paxos.PaxosReply>;
using PaxosInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.Paxos.PaxosMessage, OrleansNodes.Protocols.Paxos.PaxosCommand>;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>
/// A deliberately broken Paxos: the real <see cref="SingleDecreePaxos"/> behind a wrapper that
/// distorts what it sees (an input rewritten on the way in) or what it keeps (a restart). The
/// bugs live here, in the test project, so production code carries no bug switches; the
/// properties are the real ones, so a mutant that survives is a hole in them.
/// </summary>
public abstract class PaxosMutant : Protocol<PaxosSettings, PaxosState, PaxosMessage, PaxosCommand, PaxosReply>
{
    private readonly SingleDecreePaxos _paxos = new();

    /// <summary>What is broken, for reports.</summary>
    public abstract string Bug { get; }

    /// <summary>The property a correct checker must report for this bug.</summary>
    public abstract string ExpectedViolation { get; }

    /// <inheritdoc/>
    public override string Name => "paxos-mutant-" + GetType().Name;

    /// <inheritdoc/>
    public override IReadOnlyList<Property<PaxosState>> Properties => _paxos.Properties;

    /// <inheritdoc/>
    public override PaxosState Init(NodeConfig<PaxosSettings> config) => _paxos.Init(config);

    /// <inheritdoc/>
    public override object? HardState(PaxosState state) => _paxos.HardState(state);

    /// <inheritdoc/>
    public override PaxosState Recover(NodeConfig<PaxosSettings> config, DurableImage image) => _paxos.Recover(config, image);

    /// <inheritdoc/>
    public override PaxosState Step(PaxosContext context, PaxosState state, PaxosInput input) => _paxos.Step(context, state, Rewrite(input));

    /// <inheritdoc/>
    public override string Describe(PaxosState state) => _paxos.Describe(state);

    /// <summary>The distortion applied to every input before the real protocol steps it. The default passes it through.</summary>
    protected virtual PaxosInput Rewrite(PaxosInput input) => input;
}
