namespace OrleansNodes.Core;

/// <summary>
/// Ghost state shared by several properties: a pure fold over every observation of a run,
/// computed once per observation however many properties judge it. Use it when facts that node
/// states forget (every vote ever cast, every value ever proposed) back more than one property.
/// </summary>
/// <remarks>
/// Within a run the simulator asks every unfinished property once per observation, in order.
/// The run's fold advances when a property asks about an observation after having already seen
/// the latest fold, that is, on the first question about each new observation; the others reuse
/// the result. Properties from one ghost must therefore be started from the same
/// <see cref="PropertyScope"/>, which the simulator does per run.
/// </remarks>
public sealed class Ghost<TState, TGhost>
    where TState : class
{
    private readonly TGhost _initial;
    private readonly Func<TGhost, Observation<TState>, TGhost> _observe;

    /// <summary>A ghost starting at <paramref name="initial"/> and folding each observation with <paramref name="observe"/>.</summary>
    public Ghost(TGhost initial, Func<TGhost, Observation<TState>, TGhost> observe)
    {
        ArgumentNullException.ThrowIfNull(observe);
        _initial = initial;
        _observe = observe;
    }

    /// <summary>An invariant over the ghost.</summary>
    /// <remarks><paramref name="explain"/> says what broke, from the ghost as folded up to the violating observation.</remarks>
    public Property<TState> Always(string name, Func<TGhost, Observation<TState>, bool> holds, Func<TGhost, Observation<TState>, string?>? explain = null) =>
        new Judged(this, name, PropertyKind.Always, holds, explain);

    /// <summary>A goal over the ghost.</summary>
    public Property<TState> Sometimes(string name, Func<TGhost, Observation<TState>, bool> holds) => new Judged(this, name, PropertyKind.Sometimes, holds, explain: null);

    /// <summary>A liveness goal over the ghost.</summary>
    public Property<TState> Eventually(string name, Func<TGhost, Observation<TState>, bool> holds, Func<TGhost, Observation<TState>, string?>? explain = null) =>
        new Judged(this, name, PropertyKind.Eventually, holds, explain);

    /// <summary>One run's fold, versioned so each observation is folded exactly once.</summary>
    private sealed class Fold(TGhost initial, Func<TGhost, Observation<TState>, TGhost> observe)
    {
        private TGhost _current = initial;

        public long Version { get; private set; }

        public TGhost Advance(Observation<TState> observation)
        {
            _current = observe(_current, observation);
            Version++;
            return _current;
        }

        public TGhost Current => _current;

        public void Restore(TGhost ghost) => _current = ghost;
    }

    private sealed class Judged(
        Ghost<TState, TGhost> ghost,
        string name,
        PropertyKind kind,
        Func<TGhost, Observation<TState>, bool> holds,
        Func<TGhost, Observation<TState>, string?>? explain)
        : Property<TState>(name, kind)
    {
        // Alone (no scope shared with its siblings), a property folds its own copy of the ghost.
        public override PropertyCheck<TState> Start() => new Check(new Fold(ghost._initial, ghost._observe), holds, explain);

        public override PropertyCheck<TState> Start(PropertyScope scope) =>
            new Check(scope.Shared(ghost, () => new Fold(ghost._initial, ghost._observe)), holds, explain);
    }

    private sealed class Check(Fold fold, Func<TGhost, Observation<TState>, bool> holds, Func<TGhost, Observation<TState>, string?>? explain) : PropertyCheck<TState>
    {
        private long _seen;

        public override bool CanRestore => true;

        public override object? SaveGhost() => fold.Current;

        // Every check of the fold restores the same value and marks the current version seen, so
        // the first check asked about the next observation folds it, exactly once, as in a run.
        public override void RestoreGhost(object? ghost)
        {
            fold.Restore((TGhost)ghost!);
            _seen = fold.Version;
        }

        public override bool Holds(Observation<TState> observation)
        {
            var current = _seen == fold.Version ? fold.Advance(observation) : fold.Current;
            _seen = fold.Version;
            return holds(current, observation);
        }

        public override string? Explain(Observation<TState> observation) => explain?.Invoke(fold.Current, observation);
    }
}
