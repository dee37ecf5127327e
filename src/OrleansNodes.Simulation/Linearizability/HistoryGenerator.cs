using System.Globalization;

namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Generates linearizable histories, seeded, for benchmarks and tests. Clients run against an
/// atomic in-memory key-value store: a client invokes a command, the command takes effect at
/// some later event (its linearization point, where its result is computed), and the reply
/// arrives later still, while other clients do the same, so operations overlap the way they do
/// against a real replicated store. Since every result comes from the store at a single
/// point inside the operation's interval, the history is linearizable by construction.
/// </summary>
public static class HistoryGenerator
{
    /// <summary>
    /// A linearizable history of <paramref name="operations"/> get, put, delete, cas and append
    /// operations (about 40/25/10/15/10 percent) on <paramref name="keys"/> keys (<c>k0</c>, <c>k1</c>...)
    /// by <paramref name="clients"/> concurrent clients. With <paramref name="timeoutsPerThousand"/>
    /// above zero, that many operations in a thousand time out: their outcome is unknown, and
    /// half of them took effect.
    /// </summary>
    public static History Linearizable(ulong seed, int operations, int keys, int clients, int timeoutsPerThousand = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(operations);
        ArgumentOutOfRangeException.ThrowIfLessThan(keys, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutsPerThousand);
        var random = SeededRandom.From(seed);
        var store = new string[keys];
        Array.Fill(store, "");
        var slots = new ClientSlot[clients];
        var builder = new HistoryBuilder();
        var busy = 0;

        int Draw(int maxExclusive)
        {
            (var value, random) = random.Next(0, maxExclusive);
            return value;
        }

        while (builder.Count < operations || busy > 0)
        {
            var client = Draw(clients);
            ref var slot = ref slots[client];
            switch (slot.Phase)
            {
                case Phase.Idle when builder.Count < operations:
                    slot.Key = Draw(keys);
                    slot.Command = NextCommand(builder.Count, "k" + slot.Key.ToString(CultureInfo.InvariantCulture), store[slot.Key], Draw);
                    slot.Id = builder.Invoke(new ClientId(client), slot.Command);
                    slot.Phase = Phase.Invoked;
                    busy++;
                    break;
                case Phase.Invoked when Draw(1000) < timeoutsPerThousand:
                    if (Draw(2) == 0) Apply(store, slot.Key, slot.Command!);
                    builder.Timeout(slot.Id);
                    slot.Phase = Phase.Idle;
                    busy--;
                    break;
                case Phase.Invoked:
                    slot.Result = Apply(store, slot.Key, slot.Command!);
                    slot.Phase = Phase.Applied;
                    break;
                case Phase.Applied:
                    builder.Complete(slot.Id, slot.Result!);
                    slot.Phase = Phase.Idle;
                    busy--;
                    break;
            }
        }
        return builder.Build();
    }

    private static Command NextCommand(int id, string key, string current, Func<int, int> draw)
    {
        var value = "v" + id.ToString(CultureInfo.InvariantCulture);
        return draw(100) switch
        {
            < 40 => Command.Get(key),
            < 65 => Command.Put(key, value),
            < 75 => Command.Delete(key),
            // Half the cases expect the value the key holds right now, so some succeed even under contention.
            < 90 => Command.Cas(key, draw(2) == 0 ? current : "v" + draw(id + 1).ToString(CultureInfo.InvariantCulture), value),
            _ => Command.Append(key, "+" + id.ToString(CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>Applies a command to the atomic store (the same semantics as <see cref="KeyValueModel"/>).</summary>
    private static OperationResult Apply(string[] store, int key, Command command)
    {
        var current = store[key];
        switch (command.Kind)
        {
            case OperationKind.Get:
                return OperationResult.Read(current);
            case OperationKind.Cas when command.Expected != current:
                return OperationResult.Failed;
            case OperationKind.Delete:
                store[key] = "";
                return OperationResult.Ok;
            case OperationKind.Append:
                store[key] = current + command.Value;
                return OperationResult.Ok;
            default:
                store[key] = command.Value!;
                return OperationResult.Ok;
        }
    }

    private enum Phase
    {
        Idle,
        Invoked,
        Applied,
    }

    private struct ClientSlot
    {
        public Phase Phase;
        public int Key;
        public int Id;
        public Command? Command;
        public OperationResult? Result;
    }
}
