namespace OrleansNodes.Simulation;

/// <summary>
/// Simulated clients. A fresh workload is created for every run (from the run's seed, see
/// <see cref="WorkloadSetup"/>), called at the start of every round to issue requests, told about
/// every reply, and asked at the end whether the run passed; e.g. the key-value store's clients
/// issue operations with timeouts and retries, record a history, and fail the run when the
/// history is not linearizable.
/// </summary>
/// <remarks>
/// Requests travel to their node like messages (they are lost if the node is down when they
/// arrive). Replies reach the client when the node persists the batch that produced them, so a
/// client only ever hears of persisted work. A workload must be deterministic in the calls it
/// receives: replay and shrinking re-create it from the same seed and call it again.
/// </remarks>
public interface IWorkload<TRequest, TReply>
{
    /// <summary>A round begins: issue requests with <see cref="WorkloadContext{TRequest}.Send"/>, time out and retry.</summary>
    void OnRound(WorkloadContext<TRequest> context);

    /// <summary><paramref name="node"/> answered a request (it has just persisted the step that produced the answer).</summary>
    void OnReply(WorkloadContext<TRequest> context, NodeId node, ClientReply<TReply> reply);

    /// <summary>
    /// True when the clients are content, e.g. every operation they issued has completed. The
    /// liveness phase lasts until this holds (and every <c>Eventually</c> property has held), or
    /// fails the run when its bound runs out.
    /// </summary>
    bool IsSettled { get; }

    /// <summary>The run is over: judge it (e.g. check the history) and return what tests may want to inspect.</summary>
    WorkloadOutcome Complete(WorkloadContext<TRequest> context);
}
