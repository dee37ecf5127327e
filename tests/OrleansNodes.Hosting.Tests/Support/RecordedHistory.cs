using OrleansNodes.Hosting.Clients;
using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Hosting.Tests.Support;

/// <summary>
/// Submits key-value commands through a <see cref="ClusterSession"/> and records each one's
/// invocation and completion, in the order this process saw them, for the linearizability
/// checker. Sessions run concurrently, so recording is serialized by a lock; the lock is taken
/// before a request leaves and after its answer arrives, so the recorded order is consistent with
/// real time.
/// </summary>
public sealed class RecordedHistory
{
    private readonly HistoryBuilder _history = new();
    private readonly Lock _lock = new();
    private int _replied;
    private int _unknown;

    /// <summary>Requests answered by the store.</summary>
    public int Replied => Volatile.Read(ref _replied);

    /// <summary>Requests whose outcome the client never learned.</summary>
    public int Unknown => Volatile.Read(ref _unknown);

    public History Build()
    {
        lock (_lock) return _history.Build();
    }

    /// <summary>Submits <paramref name="command"/> as the session's next request; returns the reply, or null for an unknown outcome.</summary>
    public async Task<KeyValueReply?> SubmitAsync(ClusterSession session, KeyValueCommand command)
    {
        int id;
        lock (_lock) id = _history.Invoke(session.Client, ToChecker(command));
        var outcome = await session.SubmitAsync(command);
        lock (_lock)
        {
            switch (outcome)
            {
                case RequestOutcome.Replied { Reply: KeyValueReply reply }:
                    _history.Complete(id, ToResult(reply));
                    _replied++;
                    return reply;
                case RequestOutcome.Unknown:
                    // The client gives up on this id and moves on: the request may still take
                    // effect at any later time, which is what an unknown outcome means to the checker.
                    _history.Timeout(id);
                    _unknown++;
                    return null;
                default:
                    throw new Xunit.Sdk.XunitException($"{command}: {outcome}");
            }
        }
    }

    private static Command ToChecker(KeyValueCommand command) => command switch
    {
        KeyValueCommand.Get get => Command.Get(get.Key),
        KeyValueCommand.Put put => Command.Put(put.Key, put.Value),
        KeyValueCommand.Append append => Command.Append(append.Key, append.Suffix),
        KeyValueCommand.Cas cas => Command.Cas(cas.Key, cas.Expected, cas.New),
        KeyValueCommand.Delete delete => Command.Delete(delete.Key),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "not a key-value command"),
    };

    private static OperationResult ToResult(KeyValueReply reply) => reply switch
    {
        KeyValueReply.Ok => OperationResult.Ok,
        KeyValueReply.Value value => OperationResult.Read(value.Current),
        KeyValueReply.CasResult cas => cas.Succeeded ? OperationResult.Ok : OperationResult.Failed,
        _ => throw new Xunit.Sdk.XunitException($"the gateway passed a {reply} through to the client"),
    };
}
