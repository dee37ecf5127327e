namespace OrleansNodes.Simulation.Exploration;

/// <summary>
/// The visited set of an exhaustive search: every state's 64-bit fingerprint, mapped to the
/// fingerprint of the state it was first reached from (so a counterexample path can be rebuilt
/// without keeping states). Open addressing in lock-striped segments: 16 bytes a state plus the
/// tables' slack, and two threads rarely meet on one lock.
/// </summary>
internal sealed class FingerprintSet
{
    private const int SegmentBits = 12;
    private readonly Segment[] _segments = new Segment[1 << SegmentBits];

    public FingerprintSet()
    {
        for (var i = 0; i < _segments.Length; i++) _segments[i] = new Segment();
    }

    /// <summary>Unique fingerprints stored (a sum over the segments, not a shared counter two threads would fight over).</summary>
    public long Count
    {
        get
        {
            var count = 0L;
            foreach (var segment in _segments) count += Volatile.Read(ref segment.Used);
            return count;
        }
    }

    /// <summary>Bytes the tables occupy.</summary>
    public long Bytes
    {
        get
        {
            var bytes = 0L;
            foreach (var segment in _segments) bytes += segment.Capacity * 16L;
            return bytes;
        }
    }

    /// <summary>Adds <paramref name="fingerprint"/>, first reached from <paramref name="parent"/>; false when it was there already.</summary>
    public bool Add(ulong fingerprint, ulong parent)
    {
        fingerprint = fingerprint == 0 ? 1 : fingerprint;
        var segment = _segments[(int)(fingerprint >> (64 - SegmentBits))];
        lock (segment.Gate) return segment.Add(fingerprint, parent);
    }

    /// <summary>The fingerprint <paramref name="fingerprint"/> was first reached from (itself for the initial state).</summary>
    public bool TryGetParent(ulong fingerprint, out ulong parent)
    {
        fingerprint = fingerprint == 0 ? 1 : fingerprint;
        var segment = _segments[(int)(fingerprint >> (64 - SegmentBits))];
        lock (segment.Gate) return segment.TryGet(fingerprint, out parent);
    }

    private sealed class Segment
    {
        public int Used;

        /// <summary>A dedicated lock, cheaper to take than a monitor on the segment object.</summary>
        public readonly Lock Gate = new();
        private ulong[] _keys = new ulong[16];
        private ulong[] _parents = new ulong[16];

        public int Capacity => _keys.Length;

        public bool Add(ulong key, ulong parent)
        {
            if (Used * 4 >= _keys.Length * 3) Grow();
            if (!Insert(_keys, _parents, key, parent)) return false;
            Volatile.Write(ref Used, Used + 1);
            return true;
        }

        public bool TryGet(ulong key, out ulong parent)
        {
            var mask = _keys.Length - 1;
            for (var i = (int)key & mask; ; i = (i + 1) & mask)
            {
                if (_keys[i] == key)
                {
                    parent = _parents[i];
                    return true;
                }

                if (_keys[i] == 0)
                {
                    parent = 0;
                    return false;
                }
            }
        }

        private static bool Insert(ulong[] keys, ulong[] parents, ulong key, ulong parent)
        {
            var mask = keys.Length - 1;
            for (var i = (int)key & mask; ; i = (i + 1) & mask)
            {
                if (keys[i] == key) return false;
                if (keys[i] != 0) continue;
                keys[i] = key;
                parents[i] = parent;
                return true;
            }
        }

        private void Grow()
        {
            var keys = new ulong[_keys.Length * 2];
            var parents = new ulong[keys.Length];
            for (var i = 0; i < _keys.Length; i++)
                if (_keys[i] != 0) Insert(keys, parents, _keys[i], _parents[i]);
            _keys = keys;
            _parents = parents;
        }
    }
}
