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
}

/// <summary>Factories for properties.</summary>
public static class Property
{
    /// <summary>An invariant that must hold after every step.</summary>
    public static Property<TState> Always<TState>(string name, Func<Observation<TState>, bool> holds) where TState : class =>
        new Stateless<TState>(name, PropertyKind.Always, holds);

    /// <summary>A goal that some step of some run must reach.</summary>
    public static Property<TState> Sometimes<TState>(string name, Func<Observation<TState>, bool> holds) where TState : class =>
        new Stateless<TState>(name, PropertyKind.Sometimes, holds);

    /// <summary>A liveness goal: once faults heal, it must come to hold within the liveness bound.</summary>
    public static Property<TState> Eventually<TState>(string name, Func<Observation<TState>, bool> holds) where TState : class =>
        new Stateless<TState>(name, PropertyKind.Eventually, holds);

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
        Func<TGhost, Observation<TState>, bool> holds) where TState : class =>
        new Ghosted<TState, TGhost>(name, kind, initial, observe, holds);

    private sealed class Stateless<TState>(string name, PropertyKind kind, Func<Observation<TState>, bool> holds)
        : Property<TState>(name, kind) where TState : class
    {
        public override PropertyCheck<TState> Start() => new Check(holds);

        private sealed class Check(Func<Observation<TState>, bool> holds) : PropertyCheck<TState>
        {
            public override bool CanRestore => true;

            public override bool Holds(Observation<TState> observation) => holds(observation);
        }
    }

    private sealed class Ghosted<TState, TGhost>(
        string name,
        PropertyKind kind,
        TGhost initial,
        Func<TGhost, Observation<TState>, TGhost> observe,
        Func<TGhost, Observation<TState>, bool> holds) : Property<TState>(name, kind) where TState : class
    {
        public override PropertyCheck<TState> Start() => new Check(initial, observe, holds);

        private sealed class Check(
            TGhost ghost,
            Func<TGhost, Observation<TState>, TGhost> observe,
            Func<TGhost, Observation<TState>, bool> holds) : PropertyCheck<TState>
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
        }
    }
}
