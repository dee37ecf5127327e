using System.Runtime.InteropServices;

namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// The search's cache of explored (linearized set, model state) pairs. Sets are bitsets of
/// <c>words</c> 64-bit words stored back to back in one growing array, chained by hash; the
/// caller maintains the set's hash incrementally (Zobrist), so adding costs one state hash and,
/// only when hashes collide, a comparison.
/// </summary>
internal sealed class VisitedSet(int words)
{
    private readonly Dictionary<ulong, int> _chainHeads = [];
    private ulong[] _bits = new ulong[Math.Max(1, words) * 64];
    private string?[] _states = new string?[64];
    private int[] _chainNext = new int[64];
    private int _count;

    /// <summary>Adds the pair; returns <c>false</c> if it was already present.</summary>
    public bool Add(ReadOnlySpan<ulong> linearized, ulong linearizedHash, string? state)
    {
        var stateHash = state is null ? 0x5BD1E995UL : (ulong)(uint)string.GetHashCode(state, StringComparison.Ordinal);
        var hash = linearizedHash ^ (stateHash * 0x9E3779B97F4A7C15UL);
        ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(_chainHeads, hash, out var exists);
        if (exists)
        {
            for (var entry = head; entry >= 0; entry = _chainNext[entry])
            {
                if (string.Equals(_states[entry], state, StringComparison.Ordinal)
                    && linearized.SequenceEqual(_bits.AsSpan(entry * words, words)))
                    return false;
            }
        }

        if (_count == _states.Length)
        {
            Array.Resize(ref _states, _count * 2);
            Array.Resize(ref _chainNext, _count * 2);
            Array.Resize(ref _bits, _count * 2 * words);
        }
        linearized.CopyTo(_bits.AsSpan(_count * words, words));
        _states[_count] = state;
        _chainNext[_count] = exists ? head : -1;
        head = _count++;
        return true;
    }
}
