using OrleansNodes.Protocols.Paxos;
using PaxosInput = OrleansNodes.Core.Input<OrleansNodes.Protocols.Paxos.PaxosMessage, OrleansNodes.Protocols.Paxos.PaxosCommand>;

namespace OrleansNodes.Protocols.Tests.Mutants;

/// <summary>
/// A proposer that ignores the votes reported in promises and always proposes its own value,
/// breaking P2c: it may overwrite a value that is already chosen.
/// </summary>
public sealed class ProposerIgnoresPromisedVotes : PaxosMutant
{
    /// <inheritdoc/>
    public override string Bug => "a proposer ignores the highest accepted value reported in promises";

    /// <inheritdoc/>
    public override string ExpectedViolation => PaxosProperties.AtMostOneValueChosen;

    /// <inheritdoc/>
    protected override PaxosInput Rewrite(PaxosInput input) =>
        input is PaxosInput.Receive { Message: PaxosMessage.Promise promise } receive
            ? receive with { Message = promise with { LastVote = null } }
            : input;
}
