using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrleansNodes.Simulation.Counterexamples;
using OrleansNodes.Simulation.Engine;

namespace OrleansNodes.Simulation;

/// <summary>
/// The deterministic simulator of one protocol: seeded random runs with fault injection and
/// properties checked after every step, suites of runs, scripted scenarios
/// (<see cref="CreateWorld"/>), replay of saved schedules, and the determinism self-check.
/// </summary>
/// <example>
/// <code>
/// var sim = Simulator.Create(new Paxos(), PaxosSettings.Default);
/// var options = SimulationOptions.Default with { Nodes = 5, Steps = 2_000, Faults = FaultKinds.All };
/// sim.Run(seed: 42, options).ThrowIfFailed();
/// sim.RunSuite(seeds: 200, options).ThrowIfFailed();   // the message is the full report
/// </code>
/// </example>
/// <remarks>
/// Everything derives from the run's seed: node configurations via
/// <see cref="NodeConfig{TSettings}.Cluster"/>, the scheduler's choices, and the workload's seed.
/// Failures are reported with the seed, the step, the property, a shrunk schedule, its readable
/// trace (one line per delivery, tick, flush and fault, with what changed in the stepped
/// node's state) and a replay command. Tracing and structural diffs happen only in that
/// reporting replay; the normal run records compact decisions and nothing else.
/// </remarks>
public sealed partial class Simulator<TSettings, TState, TMessage, TRequest, TReply> : ISimulation
    where TState : class
{
    private const ulong SchedulerSalt = 0x5C4ED;
    private const ulong WorkloadSalt = 0x3012C;

    private readonly Protocol<TSettings, TState, TMessage, TRequest, TReply> _protocol;
    private readonly TSettings _settings;
    private readonly Func<WorkloadSetup, IWorkload<TRequest, TReply>>? _workload;
    private readonly WorkloadSpec? _workloadSpec;
    private readonly WorkloadFactory<TRequest, TReply>? _workloadFactory;

    internal Simulator(
        Protocol<TSettings, TState, TMessage, TRequest, TReply> protocol,
        TSettings settings,
        Func<WorkloadSetup, IWorkload<TRequest, TReply>>? workload,
        WorkloadFactory<TRequest, TReply>? workloadFactory = null)
    {
        _protocol = protocol;
        _settings = settings;
        _workload = workload;
        _workloadFactory = workloadFactory;
        _workloadSpec = workloadFactory?.Spec;
    }

    /// <inheritdoc/>
    public string Protocol => _protocol.Name;

    /// <inheritdoc/>
    public IReadOnlyList<string> Properties => [.. _protocol.Properties.Select(p => p.ToString())];

    /// <summary>A simulator whose runs also drive simulated clients, created per run by <paramref name="factory"/>.</summary>
    public Simulator<TSettings, TState, TMessage, TRequest, TReply> WithWorkload(Func<WorkloadSetup, IWorkload<TRequest, TReply>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Simulator<TSettings, TState, TMessage, TRequest, TReply>(_protocol, _settings, factory) { _explorationClients = _explorationClients };
    }

    /// <summary>
    /// A simulator whose runs also drive the simulated clients <paramref name="factory"/> makes;
    /// its <see cref="WorkloadFactory{TRequest, TReply}.Spec"/> is recorded in saved schedules, and
    /// <see cref="Replay"/> refuses a schedule recorded with other clients.
    /// </summary>
    public Simulator<TSettings, TState, TMessage, TRequest, TReply> WithWorkload(WorkloadFactory<TRequest, TReply> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Simulator<TSettings, TState, TMessage, TRequest, TReply>(_protocol, _settings, factory.Create, factory) { _explorationClients = _explorationClients };
    }

    /// <inheritdoc/>
    public RunReport Run(ulong seed, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var drawn = options.ForRun(seed);
        var engine = RunRandom(seed, drawn, recorder: null, inputs: null);
        var violation = engine.Violation is { } found ? Explain(seed, drawn, engine.Decisions, found, payloads: null, shrink: options.Shrink, existingPath: null) : null;
        return Report(seed, engine, WithConfiguration(violation, options, drawn)) with { Configuration = options.Swarm ? drawn.DescribeConfiguration() : null };
    }

    /// <inheritdoc/>
    public SuiteReport RunSuite(int seeds, SimulationOptions options, ulong firstSeed = 0, IProgress<SuiteProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(seeds);
        options.Validate();
        var report = new SuiteReport { Protocol = Protocol, Runs = 0, RunsRequested = seeds, FirstSeed = firstSeed };
        DeterminismReport? determinism = null;
        if (options.CheckDeterminism && seeds > 0)
        {
            determinism = CheckDeterminism(firstSeed, options);
            if (!determinism.IsDeterministic) return report with { Determinism = determinism, Failure = determinism.Message };
        }

        var properties = _protocol.Properties;
        var goals = new List<int>();
        for (var i = 0; i < properties.Count; i++)
            if (properties[i].Kind == PropertyKind.Sometimes) goals.Add(i);

        // Runs are independent, so they may run on several threads; the report is still the
        // sequential one: counts cover exactly the seeds up to the lowest failing one.
        var tallies = new RunTally[seeds];
        var failedRun = int.MaxValue;
        Engine<TSettings, TState, TMessage, TRequest, TReply>? failed = null;
        var completed = 0;
        var progressSteps = 0L;
        var gate = new object();
        var started = Stopwatch.GetTimestamp();
        void RunOne(int run)
        {
            if (run > Volatile.Read(ref failedRun)) return;
            var drawn = options.ForRun(firstSeed + (ulong)run);
            var engine = RunRandom(firstSeed + (ulong)run, drawn, recorder: null, inputs: null);
            var reached = new bool[goals.Count];
            for (var g = 0; g < goals.Count; g++) reached[g] = engine.Reached(goals[g]);
            tallies[run] = new RunTally(engine.Steps, engine.Deliveries, reached, engine.Unevaluated(), drawn);
            if (engine.Failed)
            {
                lock (gate)
                {
                    if (run < failedRun)
                    {
                        failedRun = run;
                        failed = engine;
                    }
                }
            }

            var done = Interlocked.Increment(ref completed);
            progress?.Report(new SuiteProgress(done, seeds, Interlocked.Add(ref progressSteps, engine.Steps), engine.Failed ? 1 : 0));
        }

        if (options.Parallelism == 1)
        {
            for (var run = 0; run < seeds && failed is null; run++) RunOne(run);
        }
        else
        {
            try
            {
                Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism }, RunOne);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // A workload or property bug throws the same exception as in a sequential suite.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var runs = failed is null ? seeds : failedRun + 1;
        long steps = 0, deliveries = 0;
        var reachedRuns = new int[goals.Count];
        var unevaluatedRuns = new Dictionary<string, int>();
        var configurations = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var run = 0; run < runs; run++)
        {
            steps += tallies[run].Steps;
            deliveries += tallies[run].Deliveries;
            for (var g = 0; g < goals.Count; g++)
                if (tallies[run].Reached[g]) reachedRuns[g]++;
            foreach (var name in tallies[run].Unevaluated) unevaluatedRuns[name] = unevaluatedRuns.GetValueOrDefault(name) + 1;
            if (options.Swarm) CountConfiguration(configurations, tallies[run].Options);
        }

        var warnings = new List<string>();
        foreach (var property in properties)
        {
            if (!unevaluatedRuns.TryGetValue(property.Name, out var count)) continue;
            warnings.Add(count == runs
                ? $"'{property.Name}' could not be evaluated in any of the {runs} runs: its precondition never held"
                : $"'{property.Name}' could not be evaluated in {count} of {runs} runs");
        }

        report = report with
        {
            Runs = runs,
            Steps = steps,
            Deliveries = deliveries,
            Elapsed = elapsed,
            Goals = [.. goals.Select((property, g) => new GoalReport(properties[property].Name, reachedRuns[g]))],
            Determinism = determinism,
            Warnings = warnings,
            Configurations = [.. configurations.Select(c => new ConfigurationCount(c.Key, c.Value))],
        };
        if (failed is { Violation: { } found })
        {
            var seed = firstSeed + (ulong)failedRun;
            var drawn = options.ForRun(seed);
            var violation = WithConfiguration(
                Explain(seed, drawn, failed.Decisions, found, payloads: null, shrink: options.Shrink, existingPath: null), options, drawn)!;
            return report with { Violation = violation, Failure = violation.ToString() };
        }

        for (var g = 0; g < goals.Count; g++)
        {
            if (reachedRuns[g] == 0)
            {
                var last = seeds == 0 ? firstSeed : firstSeed + (ulong)seeds - 1;
                return report with { Failure = $"Sometimes goal '{properties[goals[g]].Name}' was never reached in {seeds} runs (seeds {firstSeed}..{last})" };
            }
        }

        return report;
    }

    /// <inheritdoc/>
    public RunReport Replay(Schedule schedule)
    {
        EnsureFits(schedule);
        if (ForWorkloadOf(schedule) is { } other) return other.Replay(schedule);
        CheckWorkload(schedule);
        var engine = ReplayDecisions(schedule.Seed, schedule.Options, schedule.Decisions, payloads: null, trace: null, model: schedule.Model, reading: schedule.Reading);
        var violation = engine.Violation is { } found
            ? Explain(schedule.Seed, schedule.Options, engine.Decisions, found, payloads: null, shrink: false, existingPath: schedule.Source, model: schedule.Model, reading: schedule.Reading)
            : null;
        return Report(schedule.Seed, engine, violation);
    }

    /// <inheritdoc/>
    public string Trace(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (ForWorkloadOf(schedule) is { } other) return other.Trace(schedule);
        var lines = new List<string>();
        ReplayDecisions(schedule.Seed, schedule.Options, schedule.Decisions, payloads: null, trace: lines, model: schedule.Model, reading: schedule.Reading);
        return string.Join(Environment.NewLine, lines);
    }

    /// <inheritdoc/>
    public Counterexample Explain(Schedule schedule)
    {
        EnsureFits(schedule);
        if (ForWorkloadOf(schedule) is { } other) return other.Explain(schedule);
        CheckWorkload(schedule);
        var lines = new List<string>();
        // The page shows what the schedule does, decision by decision, whether or not a random run
        // could have drawn it (a hand-written schedule, say); Replay is where the model is enforced.
        var explored = schedule.Model == ScheduleModel.Explored;
        var engine = NewEngine(schedule.Seed, schedule.Options, random: null, preserveOrder: true, payloads: null, scripted: explored, enforceModel: false, reading: schedule.Reading);
        engine.TraceLines = lines;
        return new CounterexampleBuilder<TSettings, TState, TMessage, TRequest, TReply>(engine, lines)
            .Build(Protocol, schedule.Seed, schedule.Decisions, schedule.Options.LivenessRounds, schedule.Source, completeRounds: !explored);
    }

    /// <inheritdoc/>
    public DeterminismReport CheckDeterminism(ulong seed, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var first = new StepRecorder();
        RunRandom(seed, options, first, inputs: null);
        var second = new StepRecorder();
        RunRandom(seed, options, second, inputs: null);
        var count = Math.Min(first.Hashes.Count, second.Hashes.Count);
        for (var i = 0; i < count; i++)
        {
            if (first.Hashes[i] == second.Hashes[i]) continue;
            return Diverged(seed, i, DescribeDivergence(first, second, i));
        }

        if (first.Hashes.Count != second.Hashes.Count)
            return Diverged(seed, count, $"one run took {first.Hashes.Count} steps, the other {second.Hashes.Count}");
        return new DeterminismReport(seed, count, null, $"deterministic: run {seed} and its replay agree on all {count} steps");
    }

    /// <summary>A scripted cluster for scenario tests: "partition n2, tick 20 times, heal, expect one leader".</summary>
    /// <param name="nodes">Number of nodes.</param>
    /// <param name="seed">Seed of the nodes' configurations.</param>
    public World<TSettings, TState, TMessage, TRequest, TReply> CreateWorld(int nodes, ulong seed = 0)
    {
        var options = SimulationOptions.Default with { Nodes = nodes };
        options.Validate();
        return new World<TSettings, TState, TMessage, TRequest, TReply>(this, options, seed);
    }

    /// <summary>
    /// Runs <paramref name="seed"/> and records every (node, input) it stepped, to re-feed them to
    /// <c>Step</c> with no simulator around it: the "bare loop" baseline for benchmarks.
    /// </summary>
    public InputRecording<TSettings, TState, TMessage, TRequest, TReply> RecordInputs(ulong seed, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var inputs = new List<(NodeId Node, Input<TMessage, TRequest> Input)>();
        RunRandom(seed, options, recorder: null, inputs);
        return new InputRecording<TSettings, TState, TMessage, TRequest, TReply>(
            _protocol, NodeConfig<TSettings>.Cluster(options.ForRun(seed).Nodes, _settings, seed), [.. inputs]);
    }

    /// <summary>Refuses, with a one-line reason, a schedule of another protocol, of other settings or with options out of range.</summary>
    private void EnsureFits(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Protocol != Protocol)
            throw new ScheduleFormatException($"{schedule.Source ?? "schedule"}: the schedule is for protocol '{schedule.Protocol}', not '{Protocol}'");
        if (schedule.Settings is { } recorded && recorded != SettingsText)
            throw new ScheduleFormatException($"{schedule.Source ?? "schedule"}: recorded with settings {recorded}, but this simulator has {SettingsText}");
        schedule.Options.Validate();
    }

    private string SettingsText => StructuralDiff.Format(_settings, 2_000);

    /// <summary>The simulator for the schedule's smaller clients (a shrunk workload), when this one's factory can make them; else null.</summary>
    private Simulator<TSettings, TState, TMessage, TRequest, TReply>? ForWorkloadOf(Schedule schedule) =>
        schedule.Workload is { } scripted && !scripted.Equals(_workloadSpec) && _explorationClients?.WorkloadOf(scripted) is { } explored
            ? WithWorkload(explored)
        : schedule.Workload is { } recorded && _workloadSpec is { } mine && !mine.Equals(recorded)
        && _workloadFactory?.Variant?.Invoke(recorded) is { } variant && variant.Spec.Equals(recorded)
            ? WithWorkload(variant)
            : null;

    /// <summary>A schedule recorded with clients replays only with the same clients: without their requests it is another run.</summary>
    private void CheckWorkload(Schedule schedule)
    {
        var source = schedule.Source ?? "schedule";
        if (schedule.Workload is not { } recorded) return;
        if (_workload is null)
            throw new ScheduleFormatException($"{source}: recorded with clients {recorded}, but this simulator has none (replay with WithWorkload)");
        if (_workloadSpec is { } mine && !mine.Equals(recorded))
            throw new ScheduleFormatException($"{source}: recorded with clients {recorded}, but this simulator has {mine}");
    }

    // ----- internals shared with World -----

    internal Engine<TSettings, TState, TMessage, TRequest, TReply> NewEngine(
        ulong seed,
        SimulationOptions options,
        FastRandom? random,
        bool preserveOrder,
        IReadOnlyList<TRequest>? payloads,
        bool scripted,
        bool lenient = false,
        bool enforceModel = false,
        ScheduleReading? reading = null) =>
        new(
            _protocol,
            _settings,
            seed,
            options,
            random,
            preserveOrder,
            lossy: (options.Faults & (FaultKinds.Drop | FaultKinds.Duplicate)) != 0,
            _workload?.Invoke(new WorkloadSetup(SeededRandom.Mix(seed, WorkloadSalt), options.Nodes, options)),
            payloads)
        {
            Lenient = lenient,
            EnforceModel = enforceModel,
            Reading = reading ?? ScheduleReading.Current,
            FlushAtRoundEnd = !scripted,
        };

    internal Engine<TSettings, TState, TMessage, TRequest, TReply> ReplayDecisions(
        ulong seed,
        SimulationOptions options,
        IReadOnlyList<Decision> decisions,
        IReadOnlyList<TRequest>? payloads,
        List<string>? trace,
        bool lenient = false,
        ScheduleModel model = ScheduleModel.Random,
        ScheduleReading? reading = null)
    {
        // Scripted worlds replay with their commands, and explored schedules with their own
        // flushes; schedules of random runs must keep to the model the run was drawn from.
        var scripted = payloads is not null || model == ScheduleModel.Explored;
        var engine = NewEngine(seed, options, random: null, preserveOrder: true, payloads, scripted, lenient, enforceModel: !scripted, reading);
        engine.TraceLines = trace;
        engine.Start();
        for (var i = 0; i < decisions.Count; i++)
        {
            if (engine.Failed) break;
            if (!engine.Apply(decisions[i]) && engine.SkippedDecisions++ == 0) engine.FirstSkipped = $"decision {i} '{decisions[i]}'";
        }

        engine.Finish(options.LivenessRounds);
        return engine;
    }

    /// <summary>
    /// The first of the workload's smaller variants (fewer clients first, then fewer operations)
    /// with which <paramref name="schedule"/> still fails with <paramref name="signature"/> in no
    /// more decisions, with the decisions its replay applied; else this simulator and the schedule.
    /// These few replays are not counted against <see cref="SimulationOptions.MaxShrinkReplays"/>.
    /// </summary>
    private (Simulator<TSettings, TState, TMessage, TRequest, TReply> Simulator, List<Decision> Schedule) WithSmallerWorkload(
        ulong seed, SimulationOptions options, List<Decision> schedule, string signature, ScheduleReading reading)
    {
        foreach (var smaller in _workloadFactory?.Smaller ?? [])
        {
            if (_workloadFactory!.Variant?.Invoke(smaller) is not { } variant) continue;
            var candidate = WithWorkload(variant);
            var replay = candidate.ReplayDecisions(seed, options, schedule, payloads: null, trace: null, lenient: true, reading: reading);
            if (replay.Violation is not { } again || again.Signature != signature || replay.Decisions.Count > schedule.Count) continue;
            return (candidate, UpToViolation(replay.Decisions, again));
        }

        return (this, schedule);
    }

    /// <summary>
    /// Shrinks a random run's <paramref name="schedule"/> read as <paramref name="reading"/> says,
    /// with at most <paramref name="budget"/> replays: fewer clients and fewer operations, then the
    /// decisions, and again after each smaller workload found (a schedule shrunk with three clients
    /// may fail with one where the long original did not: its other clients' requests were part of
    /// its interleaving). A candidate counts only if its replay fails with the same
    /// <paramref name="signature"/> (the same property, and for a workload the same kind of
    /// failure) in an execution the run's options allow: the replay enforces the model. A
    /// liveness failure keeps its bound, since the replay judges it with the same options: the
    /// candidate must still heal, go live and then run LivenessRounds rounds without the property
    /// coming true.
    /// </summary>
    private (Simulator<TSettings, TState, TMessage, TRequest, TReply> Simulator, List<Decision> Schedule) Shrink(
        ulong seed, SimulationOptions options, List<Decision> schedule, string signature, ScheduleReading reading, int budget)
    {
        // The run's decisions as this reading records them (a rest after a tick says nothing when a
        // round owes one tick), so that even a schedule nothing could be deleted from replays clean.
        var own = ReplayDecisions(seed, options, schedule, payloads: null, trace: null, lenient: true, reading: reading);
        if (own.Violation is not { } first || first.Signature != signature) return (this, schedule);
        schedule = UpToViolation(own.Decisions, first);
        budget--;

        var simulator = this;
        for (var pass = 0; budget > 0; pass++)
        {
            var (smaller, reduced) = simulator.WithSmallerWorkload(seed, options, schedule, signature, reading);
            if (pass > 0 && ReferenceEquals(smaller, simulator)) break; // the decisions are shrunk for this workload already
            (simulator, schedule) = (smaller, reduced);
            var shrinking = simulator;
            schedule = Shrinker.Minimize(
                schedule,
                candidate =>
                {
                    var replay = shrinking.ReplayDecisions(seed, options, candidate, payloads: null, trace: null, lenient: true, reading: reading);
                    return replay.Violation is { } again && again.Signature == signature ? UpToViolation(replay.Decisions, again) : null;
                },
                ref budget);
        }

        return (simulator, schedule);
    }

    /// <summary>An invariant's schedule ends at its violation; a liveness or end-of-run failure needs all of it.</summary>
    private static List<Decision> UpToViolation(List<Decision> decisions, FoundViolation violation) =>
        violation.Kind == PropertyKind.Always
            ? decisions.GetRange(0, Math.Max(0, Math.Min(decisions.Count, violation.DecisionIndex + 1)))
            : decisions;

    /// <summary>Turns a found violation into a report: shrink, trace, save.</summary>
    internal Violation Explain(
        ulong seed,
        SimulationOptions options,
        List<Decision> decisions,
        FoundViolation found,
        IReadOnlyList<TRequest>? payloads,
        bool shrink,
        string? existingPath,
        ScheduleModel model = ScheduleModel.Random,
        ScheduleReading? reading = null)
    {
        var upTo = Math.Max(0, Math.Min(decisions.Count, found.DecisionIndex + 1));
        var schedule = found.Kind == PropertyKind.Always ? decisions.GetRange(0, upTo) : [.. decisions];

        var simulator = this;
        var shrunkReading = reading ?? ScheduleReading.Current;
        if (shrink && options.MaxShrinkReplays > 0 && payloads is null && model == ScheduleModel.Random)
        {
            // Under skew a shrunk schedule may run its clocks at the fastest rate the model allows
            // or at the nominal one (ScheduleReading.FastClocks). A run's decisions replay the same
            // in both, but greedy ddmin ends in different minima in each, so it shrinks in both,
            // each with half the replays, and keeps the shorter.
            ScheduleReading[] readings = options.Faults.HasFlag(FaultKinds.Skew) && shrunkReading.FastClocks
                ? [shrunkReading, shrunkReading with { FastClocks = false }]
                : [shrunkReading];
            var shortest = (Simulator: this, Schedule: schedule, Reading: shrunkReading);
            for (var i = 0; i < readings.Length; i++)
            {
                var (shrunk, decisionsLeft) = Shrink(seed, options, schedule, found.Signature, readings[i], options.MaxShrinkReplays / readings.Length);
                if (i == 0 || decisionsLeft.Count < shortest.Schedule.Count) shortest = (shrunk, decisionsLeft, readings[i]);
            }

            (simulator, schedule, shrunkReading) = shortest;
        }

        var lines = new List<string>();
        var traced = simulator.ReplayDecisions(seed, options, schedule, payloads, lines, model: model, reading: shrunkReading);
        var message = found.Message;
        if (traced.Violation is not { } replayed || replayed.Signature != found.Signature)
            message += $" (but the replay of its schedule {(traced.Violation is null ? "passed" : "violated " + traced.Violation.Signature)}: is the protocol deterministic?)";

        var saved = new Schedule
        {
            Protocol = Protocol,
            Seed = seed,
            Options = options,
            Property = found.Property,
            Settings = SettingsText,
            Workload = simulator._workloadSpec,
            Model = model,
            Reading = shrunkReading,
            Decisions = [.. schedule],
            Source = existingPath,
        };
        var path = existingPath;
        if (path is null && options.SaveSchedule && payloads is null)
        {
            var directory = options.ScheduleDirectory ?? Path.Combine(Path.GetTempPath(), "orleansnodes");
            path = Path.Combine(directory, $"{Protocol}-seed{seed}.schedule.json");
            saved.Save(path);
            saved = saved with { Source = path };
        }

        return new Violation
        {
            Seed = seed,
            Property = found.Property,
            Kind = found.Kind,
            Signature = found.Signature,
            Message = message,
            Step = found.Step,
            OriginalDecisions = upTo,
            Schedule = saved,
            Trace = Tail(lines, options.MaxTraceLines),
            SchedulePath = path,
            ReplayCommand = path is null ? null : ReplayHint.For(_protocol.GetType(), _workload is not null, path),
        };
    }

    private Engine<TSettings, TState, TMessage, TRequest, TReply> RunRandom(
        ulong seed, SimulationOptions options, StepRecorder? recorder, List<(NodeId Node, Input<TMessage, TRequest> Input)>? inputs)
    {
        options = options.ForRun(seed);
        var random = new FastRandom(SeededRandom.Mix(seed, SchedulerSalt));
        var engine = NewEngine(seed, options, random, preserveOrder: options.Order == DeliveryOrder.Fifo, payloads: null, scripted: false);
        engine.Recorder = recorder;
        engine.Inputs = inputs;
        new Scheduler<TSettings, TState, TMessage, TRequest, TReply>(engine, options, random).Run();
        return engine;
    }

    private RunReport Report(ulong seed, Engine<TSettings, TState, TMessage, TRequest, TReply> engine, Violation? violation)
    {
        var goals = new List<string>();
        for (var i = 0; i < engine.Properties.Count; i++)
            if (engine.Properties[i].Kind == PropertyKind.Sometimes && engine.Reached(i)) goals.Add(engine.Properties[i].Name);
        return new RunReport
        {
            Seed = seed,
            Violation = violation,
            Steps = engine.Steps,
            Deliveries = engine.Deliveries,
            Ticks = engine.Ticks,
            Requests = engine.RequestsStepped,
            Rounds = engine.Round,
            Decisions = engine.Decisions.Count,
            Flushes = engine.Flushes,
            DurableWrites = engine.DurableWrites,
            EntriesWritten = engine.EntriesWritten,
            SnapshotsWritten = engine.SnapshotsWritten,
            Drops = engine.Drops,
            Duplicates = engine.Duplicates,
            Lost = engine.Lost,
            Crashes = engine.Crashes,
            Restarts = engine.Restarts,
            Cuts = engine.CutsMade,
            LostSteps = engine.LostSteps,
            SkippedDecisions = engine.SkippedDecisions,
            FirstSkipped = engine.FirstSkipped,
            GoalsReached = goals,
            WorkloadResult = engine.WorkloadResult,
            Unevaluated = engine.Unevaluated(),
        };
    }

    /// <summary>A swarm run's violation names the configuration its seed drew (its schedule already records it).</summary>
    private static Violation? WithConfiguration(Violation? violation, SimulationOptions options, SimulationOptions drawn) =>
        violation is not null && options.Swarm ? violation with { Configuration = drawn.DescribeConfiguration() } : violation;

    /// <summary>A swarm suite's coverage: runs per cluster size, per fault kind, without faults, with biased crashes.</summary>
    private static void CountConfiguration(SortedDictionary<string, int> counts, SimulationOptions drawn)
    {
        void Add(string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
        Add($"{drawn.Nodes} nodes");
        if (drawn.Faults == FaultKinds.None) Add("no faults");
        foreach (var kind in (ReadOnlySpan<FaultKinds>)[FaultKinds.Drop, FaultKinds.Duplicate, FaultKinds.Reorder, FaultKinds.Partition, FaultKinds.Crash, FaultKinds.Skew, FaultKinds.IsolateLeader])
            if (drawn.Faults.HasFlag(kind)) Add(kind.ToString());
        if (drawn.Faults.HasFlag(FaultKinds.Crash) && drawn.BoundaryCrashPercent > 0) Add("boundary crashes");
        if (drawn.Faults.HasFlag(FaultKinds.Crash) && drawn.FlushCrashPercent > 0) Add("write-then-crash");
        if ((drawn.Faults & (FaultKinds.Drop | FaultKinds.Duplicate)) == 0) Add("lossless");
    }

    /// <summary>What a suite keeps of one run.</summary>
    private readonly record struct RunTally(long Steps, long Deliveries, bool[] Reached, List<string> Unevaluated, SimulationOptions Options);

    private static DeterminismReport Diverged(ulong seed, long step, string detail) =>
        new(seed, step, step + 1, $"nondeterministic: run {seed} and its replay diverged at step {step + 1} ({detail})");

    private static string DescribeDivergence(StepRecorder first, StepRecorder second, int i)
    {
        if (first.Nodes[i] != second.Nodes[i]) return $"n{first.Nodes[i]} stepped in one run, n{second.Nodes[i]} in the other";
        if (first.StateHashes[i] != second.StateHashes[i])
            return $"node n{first.Nodes[i]} state differs: {StructuralDiff.Describe(first.States[i], second.States[i])}";
        return $"node n{first.Nodes[i]} sent or replied differently";
    }

    private static string Tail(List<string> lines, int max)
    {
        if (lines.Count <= max) return string.Join(Environment.NewLine, lines);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"      … {lines.Count - max} earlier lines omitted").AppendLine();
        text.AppendJoin(Environment.NewLine, lines.Skip(lines.Count - max));
        return text.ToString();
    }
}
