namespace OrleansNodes.Simulation;

/// <summary>Which deliverable message the simulator delivers next.</summary>
public enum DeliveryOrder
{
    /// <summary>Any deliverable message, picked uniformly: the seed's "mix up your queue".</summary>
    Random,

    /// <summary>The oldest deliverable message first: the seed's plain queue. Ticks still interleave with deliveries; <see cref="FaultKinds.Reorder"/> delays still reorder.</summary>
    Fifo,
}
