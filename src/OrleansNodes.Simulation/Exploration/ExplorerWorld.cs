using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Exploration;

/// <summary>
/// One state of an exhaustive search: every node's state and durable image, which nodes are up,
/// the resources each path spends (ticks, crashes, drops, duplicates), the messages in flight,
/// the clients and their history, and the properties' ghosts. Immutable once built; a successor
/// shares every array its action left unchanged (<see cref="CopyOnWriteArray{T}"/>). Hashes are
/// kept per component (and per node permutation under symmetry) so a successor rehashes only
/// what its action changed.
/// </summary>
internal sealed class ExplorerWorld<TState, TMessage>
    where TState : class
{
    public required TState[] States { get; init; }

    /// <summary>State hashes, <c>[node * permutations + p]</c>.</summary>
    public required ulong[] StateHashes { get; init; }

    /// <summary>Durable images, or null when the search has no crashes (then they never matter).</summary>
    public required DurableImage[]? Durable { get; init; }

    public required ulong[]? DurableHashes { get; init; }

    public required byte[] Ticks { get; init; }

    public required bool[] Up { get; init; }

    public required int Crashes { get; init; }

    public required int Drops { get; init; }

    public required int Duplicates { get; init; }

    /// <summary>The node cut off from its peers, or -1.</summary>
    public required int Isolated { get; init; }

    /// <summary>Times this path cut a node off.</summary>
    public required int Partitions { get; init; }

    /// <summary>Requests this path sent again to another node.</summary>
    public required int Retries { get; init; }

    /// <summary>True when the link from <paramref name="from"/> to <paramref name="to"/> is cut.</summary>
    public bool IsCut(int from, int to) => from != to && Isolated >= 0 && (from == Isolated || to == Isolated);

    /// <summary>Actions this path took off the default schedule (counted only under <see cref="ExplorationOptions.MaxDelays"/>).</summary>
    public required int Delays { get; init; }

    public required Flight<TMessage>[] Network { get; init; }

    /// <summary>Sums of the flights' hashes, one per permutation: a multiset's hash.</summary>
    public required ulong[] NetworkSums { get; init; }

    public required ClientState[] Clients { get; init; }

    public required ImmutableArray<HistoryEntry> History { get; init; }

    public required int Events { get; init; }

    public required ulong HistoryHash { get; init; }

    public required object?[] Ghosts { get; init; }

    public required ulong[] GhostHashes { get; init; }

    public required int Depth { get; init; }

    /// <summary>The canonical fingerprint (the least over node permutations under symmetry).</summary>
    public ulong Fingerprint { get; set; }

    public int DownCount
    {
        get
        {
            var down = 0;
            foreach (var up in Up)
                if (!up) down++;
            return down;
        }
    }
}

/// <summary>A message in flight, with its hash (and, under symmetry, its hash under each node permutation).</summary>
internal sealed class Flight<TMessage>(int from, int to, TMessage message, ulong hash, ulong[]? permuted)
{
    public int From { get; } = from;

    public int To { get; } = to;

    public TMessage Message { get; } = message;

    /// <summary>The hash with node ids as they are.</summary>
    public ulong Hash { get; } = hash;

    public ulong HashAt(int permutation) => permutation == 0 ? Hash : permuted![permutation];
}

/// <summary>Where a client's current operation is.</summary>
internal enum ClientPhase : byte
{
    /// <summary>The request travels to <see cref="ClientState.Target"/>.</summary>
    InFlight,

    /// <summary>The node has the request; the client waits for the reply.</summary>
    Waiting,

    /// <summary>The request or the node that held it was lost; the operation's outcome stays unknown.</summary>
    Stuck,

    /// <summary>The script is finished.</summary>
    Done,
}

/// <summary>One client: its place in the script and where its current request is.</summary>
internal readonly record struct ClientState(int Operation, int Target, ClientPhase Phase, int Redirects, int Entry)
{
    public long Sequence => Operation + 1;
}

/// <summary>An operation in the clients' history: invoked at one event, completed at a later one (or never).</summary>
internal sealed record HistoryEntry(int Client, Command Command, int Invoke, int Complete, OperationResult? Result);
