using System.Diagnostics;

namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Decides whether the operations on one key are linearizable: the depth-first search of
/// Wing &amp; Gong (1993) as refined by Lowe ("Testing for linearizability", 2017, §3–4).
///
/// The history is a doubly linked list of call and return entries in real-time order, with
/// the return of an operation whose outcome is unknown at the very end. The search walks the
/// list from the front. At a call it tries to linearize that operation now: if the model
/// accepts it and the pair (set of linearized operations, model state) is new, it "lifts" the
/// call and its return out of the list, pushes them and restarts from the front. Reaching a
/// return entry means its operation completed before anything further could be linearized,
/// so the last choice was wrong: pop it, unlift it, and try the next call. The pairs already
/// explored form a cache (Lowe §4): two paths that linearized the same operations and reached
/// the same state have the same future, so the second is cut.
///
/// Operations with unknown outcomes may never take effect, so once only their returns are left
/// the search has succeeded. Lifting and unlifting are the "dancing links" of Knuth: a removed
/// entry keeps its own links, so undoing removals in reverse order restores the list exactly.
/// </summary>
internal sealed class LinearizationSearch
{
    private const int Head = 0;

    private readonly IReadOnlyList<Operation> _operations;
    private readonly IModel _model;
    private readonly long[] _position;   // by entry; entry 2i+1 is operation i's call, 2i+2 its return
    private readonly int[] _next;
    private readonly int[] _prev;
    private readonly ulong[] _zobrist;   // by operation: a random word; a set's hash is the XOR of its members'

    private LinearizationSearch(IReadOnlyList<Operation> operations, IModel model)
    {
        _operations = operations;
        _model = model;
        var count = operations.Count;
        _position = new long[2 * count + 1];
        _next = new int[2 * count + 1];
        _prev = new int[2 * count + 1];
        _zobrist = new ulong[count];
        var entries = new int[2 * count];
        for (var i = 0; i < count; i++)
        {
            _position[Call(i)] = operations[i].Invoke;
            _position[Call(i) + 1] = operations[i].Complete ?? long.MaxValue;
            entries[2 * i] = Call(i);
            entries[2 * i + 1] = Call(i) + 1;
            _zobrist[i] = SeededRandom.Mix(0x6C696E6561726973UL, (ulong)i);
        }

        // At equal positions calls come first: an operation invoked at the very position
        // another completed at overlaps it, which is the permissive reading.
        Array.Sort(entries, (a, b) =>
        {
            var byPosition = _position[a].CompareTo(_position[b]);
            if (byPosition != 0) return byPosition;
            var byKind = IsReturn(a).CompareTo(IsReturn(b));
            return byKind != 0 ? byKind : a.CompareTo(b);
        });
        var previous = Head;
        foreach (var entry in entries)
        {
            _next[previous] = entry;
            _prev[entry] = previous;
            previous = entry;
        }
        _next[previous] = Head;
        _prev[Head] = previous;
    }

    /// <summary>Searches for a linearization of <paramref name="operations"/> (all on one key).</summary>
    public static SearchOutcome Run(IReadOnlyList<Operation> operations, IModel model, long maxSteps, long deadlineTimestamp = 0) =>
        new LinearizationSearch(operations, model).Search(maxSteps, deadlineTimestamp);

    private static int Call(int operation) => 2 * operation + 1;

    private static int OperationOf(int entry) => (entry - 1) >> 1;

    private static bool IsReturn(int entry) => (entry & 1) == 0;

    private SearchOutcome Search(long maxSteps, long deadlineTimestamp)
    {
        var count = _operations.Count;
        var linearized = new ulong[(count + 63) >> 6];
        var linearizedHash = 0UL;
        var cache = new VisitedSet(linearized.Length);
        var stackEntry = new int[count];
        var stackState = new string?[count];
        var depth = 0;
        var state = _model.Initial;
        var steps = 0L;
        var latestBlocked = long.MinValue;
        var deepestBlocked = -1;
        var deepestBlockedDepth = -1;

        var entry = _next[Head];
        while (entry != Head)
        {
            if (++steps > maxSteps || (deadlineTimestamp != 0 && (steps & 0xFFF) == 0 && Stopwatch.GetTimestamp() > deadlineTimestamp))
                return new SearchOutcome(Verdict.Unknown, steps - 1, latestBlocked, deepestBlocked);

            if (!IsReturn(entry))
            {
                var operation = OperationOf(entry);
                if (_model.TryStep(state, _operations[operation], out var next))
                {
                    linearized[operation >> 6] ^= 1UL << operation;
                    linearizedHash ^= _zobrist[operation];
                    if (cache.Add(linearized, linearizedHash, next))
                    {
                        stackEntry[depth] = entry;
                        stackState[depth++] = state;
                        state = next;
                        Lift(entry);
                        entry = _next[Head];
                        continue;
                    }
                    linearized[operation >> 6] ^= 1UL << operation;
                    linearizedHash ^= _zobrist[operation];
                }
                entry = _next[entry];
                continue;
            }

            var blocked = OperationOf(entry);
            if (_operations[blocked].Complete is null)
                break; // only operations that may never take effect are left
            latestBlocked = Math.Max(latestBlocked, _position[entry]);
            if (depth > deepestBlockedDepth)
            {
                deepestBlockedDepth = depth;
                deepestBlocked = blocked;
            }
            if (depth == 0)
                return new SearchOutcome(Verdict.NotLinearizable, steps, latestBlocked, deepestBlocked);

            entry = stackEntry[--depth];
            state = stackState[depth];
            stackState[depth] = null;
            var undone = OperationOf(entry);
            linearized[undone >> 6] ^= 1UL << undone;
            linearizedHash ^= _zobrist[undone];
            Unlift(entry);
            entry = _next[entry];
        }
        return new SearchOutcome(Verdict.Linearizable, steps, latestBlocked, deepestBlocked);
    }

    private void Lift(int call)
    {
        Remove(call);
        Remove(call + 1);
    }

    private void Unlift(int call)
    {
        Restore(call + 1);
        Restore(call);
    }

    private void Remove(int entry)
    {
        _next[_prev[entry]] = _next[entry];
        _prev[_next[entry]] = _prev[entry];
    }

    private void Restore(int entry)
    {
        _next[_prev[entry]] = entry;
        _prev[_next[entry]] = entry;
    }
}
