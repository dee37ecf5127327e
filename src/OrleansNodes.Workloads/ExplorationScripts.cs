using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Protocols.Paxos;
using OrleansNodes.Simulation.Exploration;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Workloads;

/// <summary>
/// The clients an exhaustive search drives for the shipped protocols: short fixed scripts, so the
/// search stays finite, whose histories are checked for linearizability along every path.
/// </summary>
public static class ExplorationScripts
{
    /// <summary>The key every Paxos client's proposal writes: single decree has one.</summary>
    public const string DecreeKey = "decree";

    /// <summary>
    /// Single-decree Paxos: client <c>c</c> proposes <c>p{c}</c> (again for each later operation).
    /// A proposal behaves as a compare-and-set of the empty decree: the client whose value is
    /// chosen succeeded, every other one failed, so two clients both told "yours was chosen", or a
    /// client told of a value nobody proposed, make the history non-linearizable.
    /// </summary>
    public static ExplorationClients<PaxosCommand, PaxosReply> Paxos { get; } = new(
        Script: (client, _) => new PaxosCommand.Propose(ProposalOf(client)),
        Describe: command => command is PaxosCommand.Propose propose ? Command.Cas(DecreeKey, null, propose.Value) : null,
        Interpret: (command, reply) => command is PaxosCommand.Propose propose && reply is PaxosReply.Chosen chosen
            ? chosen.Value == propose.Value ? OperationResult.Ok : OperationResult.Failed
            : null,
        Model: CasRegisterModel.Instance);

    /// <summary>
    /// The key-value store: on one key, client <c>c</c>'s operations cycle through put of
    /// <c>c{c}.{k}</c>, get, compare-and-set from its own last value, and append; all on key
    /// <c>k</c>, so every pair of operations can conflict. A delay-bounded search sends a request
    /// on its default schedule once its node leads or knows who does.
    /// </summary>
    public static ExplorationClients<KeyValueCommand, KeyValueReply> KeyValue { get; } = new(
        Script: KeyValueOperation,
        Describe: command => command switch
        {
            KeyValueCommand.Get get => Command.Get(get.Key),
            KeyValueCommand.Put put => Command.Put(put.Key, put.Value),
            KeyValueCommand.Cas cas => Command.Cas(cas.Key, cas.Expected, cas.New),
            KeyValueCommand.Append append => Command.Append(append.Key, append.Suffix),
            KeyValueCommand.Delete delete => Command.Delete(delete.Key),
            _ => null,
        },
        Interpret: (_, reply) => reply switch
        {
            KeyValueReply.Ok => OperationResult.Ok,
            KeyValueReply.Value value => OperationResult.Read(value.Current),
            KeyValueReply.CasResult { Succeeded: true } => OperationResult.Ok,
            KeyValueReply.CasResult => OperationResult.Failed,
            _ => null,
        },
        Model: KeyValueModel.Instance)
    {
        // A replica that neither leads nor knows a leader only bounces a request.
        TakesRequests = view => view.Leading || view.Leader is not null,
    };

    /// <summary>The value client <paramref name="client"/> proposes.</summary>
    public static string ProposalOf(int client) => "p" + client;

    private static KeyValueCommand KeyValueOperation(int client, int operation)
    {
        const string key = "k";
        var value = $"c{client}.{operation}";
        return (operation % 4) switch
        {
            0 => new KeyValueCommand.Put(key, value),
            1 => new KeyValueCommand.Get(key),
            2 => new KeyValueCommand.Cas(key, $"c{client}.{operation - 2}", value),
            _ => new KeyValueCommand.Append(key, ";" + value),
        };
    }
}
