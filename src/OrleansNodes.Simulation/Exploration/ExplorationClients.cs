using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Exploration;

/// <summary>
/// The clients of an exhaustive search: each runs a short, fixed script of requests, one at a
/// time, starting at node <c>client mod nodes</c>. A reply that is a redirect
/// (<see cref="IRedirect"/>) sends the same request, same sequence number, to the leader it
/// names or else to the next node, at most <see cref="ExplorationOptions.MaxRedirects"/> times.
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
    IModel? Model);
