using System.Diagnostics;

namespace OrleansNodes.Simulation.Exploration;

/// <summary>The explorer's two search orders, on any number of threads, and the rebuilding of a counterexample's path.</summary>
internal sealed partial class Explorer<TSettings, TState, TMessage, TRequest, TReply>
{
    private readonly object _found = new();
    private long _queued;
    private int _level;
    private int _deepest;
    private volatile bool _stop;
    private bool _depthBounded;
    private string? _cutShort;
    private (ulong Fingerprint, Broken Broken)? _violation;
    private long _peakBytes;

    /// <summary>Runs the search to completion, a violation, the state bound, or cancellation.</summary>
    public ExplorationReport Run(IProgress<ExplorationProgress>? progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        using var ticker = progress is null ? null : new Timer(_ => Report(progress, clock.Elapsed), null, 1000, 1000);
        using var cancelled = cancellation.Register(() => _stop = true);
        var initial = Initial(_workers[0], out var broken);
        _visited.Add(initial.Fingerprint, initial.Fingerprint);
        if (broken is not null) _violation = (initial.Fingerprint, broken);
        else if (_options.Order == SearchOrder.BreadthFirst) BreadthFirst(initial);
        else DepthFirst(initial);
        clock.Stop();
        SamplePeak();
        progress?.Report(Progress(clock.Elapsed));
        return BuildReport(clock.Elapsed, cancellation.IsCancellationRequested);
    }

    private void BreadthFirst(ExplorerWorld<TState, TMessage> initial)
    {
        List<ExplorerWorld<TState, TMessage>> frontier = [initial];
        var nextByWorker = new List<ExplorerWorld<TState, TMessage>>[_workers.Length];
        for (var i = 0; i < nextByWorker.Length; i++) nextByWorker[i] = [];
        while (frontier.Count > 0 && !_stop)
        {
            if (_level >= _options.MaxDepth)
            {
                _depthBounded = true;
                if (_options.LivenessRounds > 0)
                    foreach (var world in frontier.TakeWhile(_ => !_stop)) CheckLiveness(_workers[0], world);
                break;
            }

            Volatile.Write(ref _queued, frontier.Count);
            var cursor = -1;
            var level = frontier;
            void Work(int w)
            {
                var worker = _workers[w];
                var next = nextByWorker[w];
                while (!_stop)
                {
                    var start = Interlocked.Add(ref cursor, 64) - 63;
                    if (start >= level.Count) return;
                    var end = Math.Min(start + 64, level.Count);
                    for (var i = start; i < end; i++) ExpandInto(worker, level[i], next);
                }
            }

            if (_workers.Length == 1) Work(0);
            else Parallel.For(0, _workers.Length, new ParallelOptions { MaxDegreeOfParallelism = _workers.Length }, Work);

            _level++;
            if (_violation is not null && _options.StopAtViolation) break;
            frontier = [];
            foreach (var next in nextByWorker)
            {
                frontier.AddRange(next);
                next.Clear();
            }

            SamplePeak();
        }
    }

    private void DepthFirst(ExplorerWorld<TState, TMessage> initial)
    {
        var pool = new Stack<ExplorerWorld<TState, TMessage>[]>();
        pool.Push([initial]);
        var idle = 0;
        void Work(int w)
        {
            var worker = _workers[w];
            var stack = new List<ExplorerWorld<TState, TMessage>>();
            var isIdle = false;
            while (!_stop)
            {
                if (stack.Count == 0)
                {
                    lock (pool)
                    {
                        while (pool.Count == 0 && !_stop)
                        {
                            if (!isIdle)
                            {
                                isIdle = true;
                                idle++;
                            }

                            if (idle == _workers.Length)
                            {
                                Monitor.PulseAll(pool);
                                return;
                            }

                            // A timeout, so that a thread waiting for work also sees the search stop
                            // (a violation, the bound, cancellation) when nobody pulses.
                            Monitor.Wait(pool, 50);
                        }

                        if (_stop) return;
                        if (isIdle)
                        {
                            isIdle = false;
                            idle--;
                        }

                        stack.AddRange(pool.Pop());
                    }
                }

                var world = stack[^1];
                stack.RemoveAt(stack.Count - 1);
                if (world.Depth >= _options.MaxDepth)
                {
                    _depthBounded = true;
                    if (_options.LivenessRounds > 0) CheckLiveness(worker, world);
                    continue;
                }

                InterlockedMax(ref _level, world.Depth + 1);
                ExpandInto(worker, world, stack);

                // Share the oldest (shallowest) half with threads that ran dry.
                if (_workers.Length > 1 && stack.Count >= 32 && Volatile.Read(ref idle) > 0)
                {
                    var half = stack.Count / 2;
                    var shared = stack.GetRange(0, half).ToArray();
                    stack.RemoveRange(0, half);
                    lock (pool)
                    {
                        pool.Push(shared);
                        Monitor.PulseAll(pool);
                    }
                }
            }
        }

        if (_workers.Length == 1) Work(0);
        else Parallel.For(0, _workers.Length, new ParallelOptions { MaxDegreeOfParallelism = _workers.Length }, Work);
        lock (pool) Monitor.PulseAll(pool);
    }

    private void ExpandInto(Worker worker, ExplorerWorld<TState, TMessage> world, List<ExplorerWorld<TState, TMessage>> next)
    {
        var actions = worker.Actions;
        Actions(world, actions);
        if (_options.LivenessRounds > 0 && actions.Count == 0) CheckLiveness(worker, world);
        var generated = 0;
        var onSchedule = DefaultAction(world, actions);
        for (var a = 0; a < actions.Count; a++)
        {
            var delay = IsDelay(world, onSchedule, actions, a);
            if ((delay && world.Delays >= _options.MaxDelays) || !TryApply(worker, world, actions[a], out var broken, delay: delay))
            {
                worker.Pruned++;
                continue;
            }

            generated++;
            var scratch = worker.Scratch;
            if (worker.Recent.Contains(scratch.Fingerprint)) continue;
            var added = _visited.Add(scratch.Fingerprint, world.Fingerprint);
            worker.Recent.Add(scratch.Fingerprint);
            if (!added) continue;
            Volatile.Write(ref worker.Stored, worker.Stored + 1);
            InterlockedMax(ref _deepest, scratch.Depth);
            if (broken is not null)
            {
                lock (_found)
                {
                    // The least fingerprint among a level's violations: the same counterexample
                    // whichever thread got there first.
                    if (_violation is null || (_options.Order == SearchOrder.BreadthFirst && scratch.Fingerprint < _violation.Value.Fingerprint))
                    {
                        _violation = (scratch.Fingerprint, broken);
                        _livenessTail = null;
                    }
                }

                if (_options.StopAtViolation && _options.Order == SearchOrder.DepthFirst) _stop = true;
                continue;
            }

            if ((++worker.Added & 1023) == 0) CheckBounds();
            next.Add(Materialize(scratch));
        }

        Volatile.Write(ref worker.Generated, worker.Generated + generated);
    }

    private void CheckLiveness(Worker worker, ExplorerWorld<TState, TMessage> world)
    {
        Interlocked.Increment(ref _livenessChecks);
        if (Liveness(worker, world) is not { } failed) return;
        lock (_found)
        {
            if (_violation is null)
            {
                _violation = (world.Fingerprint, failed.Broken);
                _livenessTail = failed.Actions;
            }
        }

        if (_options.StopAtViolation) _stop = true;
    }

    /// <summary>Stops the search at the state or memory bound, saying which.</summary>
    private void CheckBounds()
    {
        if (StoredCount >= _options.MaxStates) _cutShort ??= $"the state bound ({_options.MaxStates:N0} unique states)";
        else if (GC.GetTotalMemory(forceFullCollection: false) > _options.MaxMemoryBytes) _cutShort ??= $"the memory bound ({_options.MaxMemoryBytes / (1 << 20):N0} MiB)";
        else return;
        _stop = true;
    }

    /// <summary>The path to <paramref name="target"/>: parent fingerprints back to the start, then the actions that lead through them again.</summary>
    private List<ExplorerAction> PathTo(ulong target)
    {
        var chain = new List<ulong> { target };
        for (var fingerprint = target; ;)
        {
            if (!_visited.TryGetParent(fingerprint, out var parent) || Normalize(parent) == Normalize(fingerprint)) break;
            chain.Add(parent);
            fingerprint = parent;
        }

        chain.Reverse();
        var worker = _workers[0];
        var world = Initial(worker, out _);
        var path = new List<ExplorerAction>();
        for (var k = 1; k < chain.Count; k++)
        {
            Actions(world, worker.Actions);
            var onSchedule = DefaultAction(world, worker.Actions);
            ExplorerWorld<TState, TMessage>? next = null;
            for (var a = 0; a < worker.Actions.Count; a++)
            {
                if (!TryApply(worker, world, worker.Actions[a], out _, delay: IsDelay(world, onSchedule, worker.Actions, a)) || Normalize(worker.Scratch.Fingerprint) != Normalize(chain[k])) continue;
                next = Materialize(worker.Scratch);
                path.Add(worker.Actions[a]);
                break;
            }

            world = next ?? throw new InvalidOperationException($"the explorer could not follow its own path at step {k} of {chain.Count - 1}: the protocol is not deterministic");
        }

        return path;
    }

    private static ulong Normalize(ulong fingerprint) => fingerprint == 0 ? 1 : fingerprint;

    private ExplorationReport BuildReport(TimeSpan elapsed, bool cancelled)
    {
        ExplorationViolation? violation = null;
        if (_violation is { } found)
        {
            var actions = PathTo(found.Fingerprint);
            var liveFrom = _livenessTail is null ? -1 : actions.Count;
            if (_livenessTail is not null) actions.AddRange(_livenessTail);
            violation = new ExplorationViolation
            {
                Property = found.Broken.Property,
                Kind = found.Broken.Kind,
                Message = found.Broken.Message,
                Decisions = Decisions(actions, liveFrom),
                Actions = actions.Count,
            };
        }

        var goals = _properties.Select((p, i) => new PropertyResult(p.Name, p.Kind, p.Kind switch
        {
            PropertyKind.Always => violation is null || violation.Property != p.Name,
            PropertyKind.Sometimes => Volatile.Read(ref _reached[i]) != 0,
            _ => _options.LivenessRounds > 0 && (violation is null || violation.Property != p.Name) && Interlocked.Read(ref _livenessChecks) > 0,
        })).ToList();
        if (_clients?.Model is not null)
            goals.Add(new PropertyResult(LinearizableProperty, PropertyKind.Always, violation is null || violation.Property != LinearizableProperty));
        return new ExplorationReport
        {
            Protocol = _protocol.Name,
            Options = _options,
            UniqueStates = _visited.Count,
            GeneratedStates = GeneratedCount,
            Pruned = _workers.Sum(w => w.Pruned),
            Depth = _deepest,
            DepthBounded = _depthBounded,
            CutShort = cancelled || _cutShort is not null,
            CutShortBy = cancelled ? "cancellation" : _cutShort,
            Elapsed = elapsed,
            VisitedBytes = _visited.Bytes,
            PeakBytes = Interlocked.Read(ref _peakBytes),
            Violation = violation,
            Goals = [.. goals],
        };
    }

    private void Report(IProgress<ExplorationProgress> progress, TimeSpan elapsed)
    {
        SamplePeak();
        progress.Report(Progress(elapsed));
    }

    private ExplorationProgress Progress(TimeSpan elapsed)
    {
        var unique = _visited.Count;
        return new ExplorationProgress(
            GeneratedCount, unique, elapsed.TotalSeconds > 0 ? unique / elapsed.TotalSeconds : 0,
            Volatile.Read(ref _level), Volatile.Read(ref _queued), Environment.WorkingSet, elapsed);
    }

    // Counters kept per worker and summed when read: one shared counter would bounce a cache line
    // between the threads on every expansion. Summing the visited set's segments costs thousands
    // of reads; the workers' counts give the same number (the set holds the initial state and
    // what the workers stored).
    private long GeneratedCount => _workers.Sum(w => Volatile.Read(ref w.Generated));

    private long StoredCount => 1 + _workers.Sum(w => Volatile.Read(ref w.Stored));

    private void SamplePeak()
    {
        var now = Environment.WorkingSet;
        for (var peak = Interlocked.Read(ref _peakBytes); now > peak; peak = Interlocked.Read(ref _peakBytes))
            if (Interlocked.CompareExchange(ref _peakBytes, now, peak) == peak) break;
    }

    private static void InterlockedMax(ref int location, int value)
    {
        for (var current = Volatile.Read(ref location); value > current; current = Volatile.Read(ref location))
            if (Interlocked.CompareExchange(ref location, value, current) == current) break;
    }
}
