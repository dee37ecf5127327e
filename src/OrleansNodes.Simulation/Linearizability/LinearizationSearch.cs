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
/// the search has succeeded. Reads are never backtracked over (see <see cref="NeverChangesState"/>).
/// Lifting and unlifting are the "dancing links" of Knuth: a removed entry keeps its own links,
/// so undoing removals in reverse order restores the list exactly.
///
/// The search runs in slices (<see cref="Advance"/>), so a checker can take turns between keys
/// and stop them all when one fails. Steps are counted, not timed, so budgets are deterministic.
/// </summary>
internal sealed class LinearizationSearch
{
    private const int Head = 0;

    private readonly Operation[] _operations;
    private readonly IModel _model;
    private readonly long[] _position;   // by entry; entry 2i+1 is operation i's call, 2i+2 its return
    private readonly int[] _next;
    private readonly int[] _prev;
    private readonly ulong[] _zobrist;   // by operation: a random word; a set's hash is the XOR of its members'
    private readonly ulong[] _linearized;
    private readonly VisitedSet _cache;
    private readonly int[] _stackEntry;
    private readonly string?[] _stackState;
    private ulong _linearizedHash;
    private int _depth;
    private string? _state;
    private int _entry;
    private long _steps;
    private Verdict _verdict = Verdict.Unknown;
    private long _latestBlocked = long.MinValue;
    private int _deepestBlocked = -1;
    private int _deepestBlockedDepth = -1;

    private LinearizationSearch(IReadOnlyList<Operation> operations, IModel model)
    {
        _operations = [.. operations];
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

        _linearized = new ulong[(count + 63) >> 6];
        _cache = new VisitedSet(_linearized.Length);
        _stackEntry = new int[count];
        _stackState = new string?[count];
        _state = model.Initial;
        _entry = _next[Head];
    }

    /// <summary>Searches for a linearization of <paramref name="operations"/> (all on one key) to the end or the budget.</summary>
    public static SearchOutcome Run(IReadOnlyList<Operation> operations, IModel model, long maxSteps, long deadlineTimestamp = 0)
    {
        var search = new LinearizationSearch(operations, model);
        search.Advance(maxSteps, deadlineTimestamp);
        return search.Outcome;
    }

    /// <summary>Prepares a search to be run in slices with <see cref="Advance"/>.</summary>
    public static LinearizationSearch Start(IReadOnlyList<Operation> operations, IModel model) => new(operations, model);

    /// <summary>The verdict so far (<see cref="Verdict.Unknown"/> until decided) and the effort spent.</summary>
    public SearchOutcome Outcome => new(_verdict, _steps, _latestBlocked, _deepestBlocked);

    /// <summary>Whether the search has reached a verdict.</summary>
    public bool IsDecided => _verdict != Verdict.Unknown;

    private static int Call(int operation) => 2 * operation + 1;

    private static int OperationOf(int entry) => (entry - 1) >> 1;

    private static bool IsReturn(int entry) => (entry & 1) == 0;

    /// <summary>
    /// An operation that never changes the state: a get, or a cas whose comparison failed. When
    /// one can be linearized it may as well be linearized at once (it commutes with everything
    /// after it), so if that leads nowhere no other choice at the same point can either, and the
    /// search backtracks past it instead of trying alternatives. Read-heavy histories, which are
    /// most histories, shrink from exponential to near-linear search this way.
    /// </summary>
    private static bool NeverChangesState(Operation operation) =>
        operation.Command.Kind == OperationKind.Get
        || (operation.Command.Kind == OperationKind.Cas && operation.Result.Outcome == Linearizability.Outcome.Failed);

    /// <summary>Runs until decided or until <paramref name="steps"/> more steps are spent (or the deadline passes).</summary>
    public void Advance(long steps, long deadlineTimestamp = 0)
    {
        if (IsDecided) return;
        var limit = _steps + steps;
        var entry = _entry;
        while (true)
        {
            if (entry == Head || (IsReturn(entry) && _operations[OperationOf(entry)].Complete is null))
            {
                // Everything left may never take effect.
                _verdict = Verdict.Linearizable;
                break;
            }
            if (_steps >= limit || (deadlineTimestamp != 0 && (_steps & 0xFFF) == 0 && Stopwatch.GetTimestamp() > deadlineTimestamp))
                break;
            _steps++;

            if (!IsReturn(entry))
            {
                var operation = OperationOf(entry);
                if (_model.TryStep(_state, _operations[operation], out var next))
                {
                    Flip(operation);
                    if (_cache.Add(_linearized, _linearizedHash, next))
                    {
                        _stackEntry[_depth] = entry;
                        _stackState[_depth++] = _state;
                        _state = next;
                        Lift(entry);
                        entry = _next[Head];
                        continue;
                    }
                    Flip(operation);
                }
                entry = _next[entry];
                continue;
            }

            Blocked(entry);
            entry = Backtrack();
            if (entry == Head)
            {
                _verdict = Verdict.NotLinearizable;
                break;
            }
        }
        _entry = entry;
    }

    private void Blocked(int returnEntry)
    {
        _latestBlocked = Math.Max(_latestBlocked, _position[returnEntry]);
        if (_depth > _deepestBlockedDepth)
        {
            _deepestBlockedDepth = _depth;
            _deepestBlocked = OperationOf(returnEntry);
        }
    }

    /// <summary>Undoes the latest choice that has an alternative; returns the entry to try next, or the head if none is left.</summary>
    private int Backtrack()
    {
        while (_depth > 0)
        {
            var entry = _stackEntry[--_depth];
            _state = _stackState[_depth];
            _stackState[_depth] = null;
            var undone = OperationOf(entry);
            Flip(undone);
            Unlift(entry);
            if (!NeverChangesState(_operations[undone]))
                return _next[entry];
        }
        return Head;
    }

    private void Flip(int operation)
    {
        _linearized[operation >> 6] ^= 1UL << operation;
        _linearizedHash ^= _zobrist[operation];
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
