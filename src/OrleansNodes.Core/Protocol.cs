namespace OrleansNodes.Core;

/// <summary>
/// A distributed protocol written once as a pure step function,
/// <c>Step(config, state, input) -> (state', outbox)</c>, and run unchanged by the simulator
/// and by the Orleans host.
/// </summary>
/// <remarks>
/// <para>The rules (DESIGN.md): a step never blocks, never reads a clock or an unseeded random
/// source, never performs I/O; time arrives as <see cref="Input{TMessage, TRequest}.Tick"/>;
/// randomness derives from <see cref="NodeConfig{TSettings}.Seed"/> via <see cref="SeededRandom"/>.</para>
/// <para>A step that changes nothing returns the same state instance. What is durable is the
/// hard state (<see cref="HardState"/>), written when it changed, and the log and snapshot a step
/// writes through <see cref="StepContext{TSettings, TMessage, TReply}.Durable"/>; everything else is
/// volatile and rebuilt by <see cref="Recover"/> (docs/design-decisions.md §9).</para>
/// </remarks>
/// <typeparam name="TSettings">Immutable protocol settings.</typeparam>
/// <typeparam name="TState">An immutable record: everything one node knows, durable and volatile.</typeparam>
/// <typeparam name="TMessage">The closed family of peer messages.</typeparam>
/// <typeparam name="TRequest">Client commands.</typeparam>
/// <typeparam name="TReply">Client replies.</typeparam>
public abstract class Protocol<TSettings, TState, TMessage, TRequest, TReply>
    where TState : class
{
    /// <summary>The protocol's name on the command line and in cluster definitions, e.g. <c>paxos</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The state of a node that has never run.</summary>
    public abstract TState Init(NodeConfig<TSettings> config);

    /// <summary>
    /// Handles one input: returns the next state and writes sends and replies into
    /// <paramref name="context"/>. Must be deterministic in its arguments.
    /// </summary>
    public abstract TState Step(StepContext<TSettings, TMessage, TReply> context, TState state, Input<TMessage, TRequest> input);

    /// <summary>
    /// The hard state: the small durable part of <paramref name="state"/> (a promise, a vote, a
    /// commit point), as a value with value equality. After each batch the host compares it with
    /// the last one written and writes it only when it differs, so a batch that changed only
    /// volatile fields (timers, leadership progress, waiting clients) writes nothing. Return null
    /// when nothing is durable. The default declares the whole state durable, which suits small
    /// states; larger ones keep their bulk in the log and snapshot instead.
    /// </summary>
    public virtual object? HardState(TState state) => state;

    /// <summary>
    /// The state a node restarts with (after a crash, or when the host re-activates it), rebuilt
    /// from what it made durable: <paramref name="image"/> holds the last hard state written, the
    /// last snapshot and the log. It must give the state the node had at its last flush, minus
    /// what is volatile. The default, for protocols whose hard state is the whole state, returns
    /// that state as it was written.
    /// </summary>
    public virtual TState Recover(NodeConfig<TSettings> config, DurableImage image) =>
        image.Hard as TState ?? Init(config);

    /// <summary>
    /// The protocol's named properties: <c>Always</c> invariants checked after every step,
    /// <c>Sometimes</c> goals a suite must reach, and <c>Eventually</c> liveness goals.
    /// </summary>
    public virtual IReadOnlyList<Property<TState>> Properties => [];

    /// <summary>
    /// True when the protocol treats its nodes alike: renaming the nodes (a permutation of ids)
    /// maps every run to another run. An exhaustive search then explores states only up to such a
    /// renaming, which can divide the states it visits by up to n!. Only declare it when node ids
    /// appear in states and messages as <see cref="NodeId"/> values and never as positions (an
    /// array indexed by node number), never break ties by id (a ballot <c>(round, node)</c> does),
    /// and when <see cref="NodeConfig{TSettings}.Seed"/> does not change behaviour.
    /// </summary>
    public virtual bool NodesAreInterchangeable => false;

    /// <summary>A one-line description of a node's state for status views, e.g. role and ballot.</summary>
    public virtual string Describe(TState state) => state.ToString() ?? string.Empty;

    /// <summary>
    /// The node at a glance: role, leader, ballot, commit and applied index, for status pages.
    /// The host also counts a leader change each time <see cref="NodeView.Leading"/> turns true,
    /// so while metrics are exported it is read after every batch and must be cheap. The default shows nothing.
    /// </summary>
    public virtual NodeView Inspect(TState state) => NodeView.None;

    /// <summary>
    /// The seed's pure form: runs one step on a fresh context and returns <c>(state', outbox)</c>
    /// with the step's log and snapshot writes. Hosts that step many inputs reuse one
    /// <see cref="StepContext{TSettings, TMessage, TReply}"/> instead.
    /// </summary>
    public StepResult<TState, TMessage, TReply> Run(NodeConfig<TSettings> config, TState state, Input<TMessage, TRequest> input)
    {
        var context = new StepContext<TSettings, TMessage, TReply>(config);
        var next = Step(context, state, input);
        return new StepResult<TState, TMessage, TReply>(next, context.Drain(), context.Durable.Drain());
    }
}
