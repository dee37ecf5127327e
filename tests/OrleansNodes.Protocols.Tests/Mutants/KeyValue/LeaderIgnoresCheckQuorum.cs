using OrleansNodes.Protocols.KeyValue;
using KeyValueContext = OrleansNodes.Core.StepContext<OrleansNodes.Protocols.KeyValue.KeyValueSettings, OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueReply>;
using KeyValueInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.KeyValue.KeyValueMessage, OrleansNodes.Protocols.KeyValue.KeyValueCommand>;

namespace OrleansNodes.Protocols.Tests.Mutants.KeyValue;

/// <summary>
/// A leader that forgets how long its peers have been silent: check-quorum never fires, and a
/// leader cut off from its majority keeps leading, stranding the clients that reach it. Safety
/// holds (the majority elects another leader), so only the availability property names it.
/// </summary>
public sealed class LeaderIgnoresCheckQuorum : KeyValueMutant
{
    /// <inheritdoc/>
    public override string Bug => "a cut-off leader never steps down (check-quorum lost)";

    /// <inheritdoc/>
    /// <remarks>The availability property among those checked: its bound depends on the settings it was built for.</remarks>
    public override string ExpectedViolation => Properties.First(p => p.Name.StartsWith(KeyValueProperties.StepDownName, StringComparison.Ordinal)).Name;

    /// <inheritdoc/>
    protected override KeyValueState? Intercept(KeyValueContext context, KeyValueState state, KeyValueInput input) =>
        input is KeyValueInput.Tick && state.Leadership is { } leadership && !leadership.Contact.Equals(PeerTicks.Create(context.Members.Length))
            ? Step(context, state with { Leadership = leadership with { Contact = PeerTicks.Create(context.Members.Length) } }, input)
            : null;
}
