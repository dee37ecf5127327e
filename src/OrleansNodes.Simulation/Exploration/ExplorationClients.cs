using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Exploration;

/// <summary>
/// The clients of an exhaustive search: each runs a short, fixed script of requests, one at a
/// time, starting at node <c>client mod nodes</c>. A reply that is a redirect
/// (<see cref="IRedirect"/>) sends the same request, same sequence number, to the leader it
/// names or else to the node after the one that redirected it, at most <see cref="ExplorationOptions.MaxRedirects"/> times.
/// Within <see cref="ExplorationOptions.MaxRetries"/>, a client may also send a request to any
/// other node, first or after waiting.
/// Every operation goes into a history that must stay linearizable against <see cref="Model"/>.
/// </summary>
/// <param name="Script">The request client <c>c</c> sends as its operation <c>k</c>.</param>
/// <param name="Describe">The operation a request performs, for the history (null: not recorded).</param>
/// <param name="Interpret">The result a reply gives the operation; null when the reply is a redirect or says nothing.</param>
/// <param name="Model">The sequential model the history must be linearizable against, or null to keep no history.</param>
public sealed record ExplorationClients<TRequest, TReply>(
    Func<int, int, TRequest> Script,
    Func<TRequest, Command?> Describe,
    Func<TRequest, TReply, OperationResult?> Interpret,
    IModel? Model)
{
    /// <summary>
    /// Whether a node in this view takes a client's request rather than bouncing it, for a
    /// delay-bounded search's default schedule (<see cref="ExplorationOptions.MaxDelays"/>): a
    /// request to a node that does not waits while time passes, as a client backs off while no
    /// leader is known, instead of spending its redirects before the first election. Null: every
    /// node takes requests (a protocol without leaders). Only the default schedule reads it; a
    /// search still tries every request where the bounds allow.
    /// </summary>
    public Func<NodeView, bool>? TakesRequests { get; init; }

    /// <summary>
    /// The same clients as a simulator workload (<c>explorer-clients</c> in schedules), so a
    /// counterexample the explorer found replays through the simulator with the same requests.
    /// </summary>
    /// <remarks>With retries, each request is offered to every node, so the schedule's decisions can deliver it wherever the explorer retried it.</remarks>
    public WorkloadFactory<TRequest, TReply> Workload(int clients, int operationsPerClient, int maxRedirects, int maxRetries = 0) =>
        new(
            WorkloadSpec.Of(ScriptedClients<TRequest, TReply>.Kind, ("clients", clients), ("operationsPerClient", operationsPerClient), ("maxRedirects", maxRedirects), ("maxRetries", maxRetries > 0 ? maxRetries : null)),
            _ => new ScriptedClients<TRequest, TReply>(this, clients, operationsPerClient, maxRedirects, retries: maxRetries > 0));

    /// <summary>
    /// Where a redirected request goes next: the leader the redirect names, else the node after
    /// <paramref name="from"/>, the one that redirected it. The explorer and its replay workload
    /// both follow this one rule, from what each sees (the replying node, not the node a retry
    /// last chose, which a replay cannot know), so a replay sends each request where the explorer did.
    /// </summary>
    internal static int Redirected(IRedirect redirect, int from, int nodes) =>
        redirect.Leader is { } leader && (uint)leader.Value < (uint)nodes ? leader.Value : (from + 1) % nodes;

    /// <summary>The workload a schedule recorded, when it is this kind's; else null.</summary>
    public WorkloadFactory<TRequest, TReply>? WorkloadOf(WorkloadSpec spec) =>
        spec.Kind == ScriptedClients<TRequest, TReply>.Kind
            ? Workload(spec.Int("clients", 0), spec.Int("operationsPerClient", 1), spec.Int("maxRedirects", 0), spec.Int("maxRetries", 0))
            : null;
}
