namespace OrleansNodes.Core;

/// <summary>
/// A named predicate over a cluster. Protocols ship their properties next to them; the
/// simulator checks them. A property may carry ghost state (see
/// <see cref="Property.Monitor{TState, TGhost}"/>), so each run starts a fresh
/// <see cref="PropertyCheck{TState}"/>.
/// </summary>
public abstract class Property<TState>
    where TState : class
{
    /// <summary>Creates a property.</summary>
    protected Property(string name, PropertyKind kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
    }

    /// <summary>The name printed when the property is violated or a goal is reached.</summary>
    public string Name { get; }

    /// <summary>How the property is judged.</summary>
    public PropertyKind Kind { get; }

    /// <summary>A checker for one run, starting from no history.</summary>
    public abstract PropertyCheck<TState> Start();

    /// <summary>
    /// A checker for one run whose ghost state may be shared, through <paramref name="scope"/>,
    /// with the run's other properties (see <see cref="Ghost{TState, TGhost}"/>). Hosts that check
    /// many properties create one scope per run and start every property from it.
    /// </summary>
    public virtual PropertyCheck<TState> Start(PropertyScope scope) => Start();

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} {Name}";
}

/// <summary>One run's evaluation of a <see cref="Property{TState}"/>.</summary>
public abstract class PropertyCheck<TState>
    where TState : class
{
    /// <summary>Observes the cluster after a step and says whether the property holds now.</summary>
    public abstract bool Holds(Observation<TState> observation);

    /// <summary>
    /// True when everything the check remembers between observations is the immutable value
    /// <see cref="SaveGhost"/> returns. An exhaustive search forks a run at every state, so it
    /// saves each state's ghost and restores it before judging a successor; it refuses checks
    /// that cannot be restored. The factories of <see cref="Property"/> and
    /// <see cref="Ghost{TState, TGhost}"/> all can.
    /// </summary>
    public virtual bool CanRestore => false;

    /// <summary>The check's memory of the run so far, as an immutable value (null when it keeps none).</summary>
    public virtual object? SaveGhost() => null;

    /// <summary>Resets the check's memory to a value <see cref="SaveGhost"/> returned, possibly in another branch of the same search.</summary>
    public virtual void RestoreGhost(object? ghost)
    {
    }

    // Explanations and coverage: what a violation names, and whether the property was judged at all.

    /// <summary>
    /// Says what broke, in the protocol's own words ("slot 17 has v1 at n0 and v2 at n2"), or null
    /// when the property has nothing to add to its name. Hosts call it only right after
    /// <see cref="Holds"/> returned false, with the same observation, so it may reuse what
    /// <see cref="Holds"/> folded; for a liveness property, with the run's last observation.
    /// </summary>
    public virtual string? Explain(Observation<TState> observation) => null;

    /// <summary>
    /// False while the property's precondition has never held in this run, so every
    /// <see cref="Holds"/> so far was vacuous (an accuracy property on a network that never became
    /// reliable). Hosts warn about properties a run or suite could not evaluate.
    /// </summary>
    public virtual bool Evaluated => true;
}

/// <summary>Factories for properties.</summary>
public static class Property
{
    /// <summary>An invariant that must hold after every step.</summary>
    /// <param name="name">The name printed when the property is violated.</param>
    /// <param name="holds">The invariant.</param>
    /// <param name="explain">What broke, for the violation message (see <see cref="PropertyCheck{TState}.Explain"/>); null to print only the name.</param>
    public static Property<TState> Always<TState>(string name, Func<Observation<TState>, bool> holds, Func<Observation<TState>, string?>? explain = null) where TState : class =>
        new Stateless<TState>(name, PropertyKind.Always, holds, explain, applies: null);

    /// <summary>
    /// An invariant judged only in observations where <paramref name="applies"/> holds (elsewhere it
    /// holds vacuously). A run in which it never applied reports the property as not evaluated
    /// (<see cref="PropertyCheck{TState}.Evaluated"/>), so a suite cannot pass it by never testing it.
    /// </summary>
    public static Property<TState> AlwaysWhen<TState>(
        string name,
        Func<Observation<TState>, bool> applies,
        Func<Observation<TState>, bool> holds,
        Func<Observation<TState>, string?>? explain = null) where TState : class
    {
        ArgumentNullException.ThrowIfNull(applies);
        return new Stateless<TState>(name, PropertyKind.Always, holds, explain, applies);
    }

    /// <summary>A goal that some step of some run must reach.</summary>
    public static Property<TState> Sometimes<TState>(string name, Func<Observation<TState>, bool> holds) where TState : class =>
        new Stateless<TState>(name, PropertyKind.Sometimes, holds, explain: null, applies: null);

    /// <summary>A liveness goal: once faults heal, it must come to hold within the liveness bound.</summary>
    /// <param name="name">The name printed when the goal is not reached in time.</param>
    /// <param name="holds">The goal.</param>
    /// <param name="explain">Why it does not hold yet, asked of the run's last observation when the liveness bound runs out.</param>
    public static Property<TState> Eventually<TState>(string name, Func<Observation<TState>, bool> holds, Func<Observation<TState>, string?>? explain = null) where TState : class =>
        new Stateless<TState>(name, PropertyKind.Eventually, holds, explain, applies: null);

    /// <summary>Ghost state shared by several properties, folded once per observation (see <see cref="Ghost{TState, TGhost}"/>).</summary>
    public static Ghost<TState, TGhost> Ghost<TState, TGhost>(TGhost initial, Func<TGhost, Observation<TState>, TGhost> observe) where TState : class =>
        new(initial, observe);

    /// <summary>
    /// A property with ghost state: a pure fold over every observation of a run. Use it for
    /// facts that states forget, e.g. "a value was chosen in ballot 3" after the acceptors have
    /// moved on to ballot 5.
    /// </summary>
    public static Property<TState> Monitor<TState, TGhost>(
        string name,
        PropertyKind kind,
        TGhost initial,
        Func<TGhost, Observation<TState>, TGhost> observe,
        Func<TGhost, Observation<TState>, bool> holds,
        Func<TGhost, Observation<TState>, string?>? explain = null) where TState : class =>
        new Ghosted<TState, TGhost>(name, kind, initial, observe, holds, explain);

    private sealed class Stateless<TState>(
        string name,
        PropertyKind kind,
        Func<Observation<TState>, bool> holds,
        Func<Observation<TState>, string?>? explain,
        Func<Observation<TState>, bool>? applies)
        : Property<TState>(name, kind) where TState : class
    {
        public override PropertyCheck<TState> Start() => new Check(holds, explain, applies);

        private sealed class Check(
            Func<Observation<TState>, bool> holds,
            Func<Observation<TState>, string?>? explain,
            Func<Observation<TState>, bool>? applies) : PropertyCheck<TState>
        {
            public override bool CanRestore => true;

            private bool _evaluated = applies is null;

            public override bool Holds(Observation<TState> observation)
            {
                if (applies is not null)
                {
                    if (!applies(observation)) return true;
                    _evaluated = true;
                }

                return holds(observation);
            }

            public override string? Explain(Observation<TState> observation) => explain?.Invoke(observation);

            public override bool Evaluated => _evaluated;
        }
    }

    private sealed class Ghosted<TState, TGhost>(
        string name,
        PropertyKind kind,
        TGhost initial,
        Func<TGhost, Observation<TState>, TGhost> observe,
        Func<TGhost, Observation<TState>, bool> holds,
        Func<TGhost, Observation<TState>, string?>? explain) : Property<TState>(name, kind) where TState : class
    {
        public override PropertyCheck<TState> Start() => new Check(initial, observe, holds, explain);

        private sealed class Check(
            TGhost ghost,
            Func<TGhost, Observation<TState>, TGhost> observe,
            Func<TGhost, Observation<TState>, bool> holds,
            Func<TGhost, Observation<TState>, string?>? explain) : PropertyCheck<TState>
        {
            private TGhost _ghost = ghost;

            public override bool CanRestore => true;

            public override bool Holds(Observation<TState> observation)
            {
                _ghost = observe(_ghost, observation);
                return holds(_ghost, observation);
            }

            public override object? SaveGhost() => _ghost;

            public override void RestoreGhost(object? ghost) => _ghost = (TGhost)ghost!;

            public override string? Explain(Observation<TState> observation) => explain?.Invoke(_ghost, observation);
        }
    }
}
