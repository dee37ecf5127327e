namespace OrleansNodes.Cluster.Benchmarks;

/// <summary>What a failover run does to one silo of the three, 8 s into the load.</summary>
public enum Fault
{
    /// <summary>SIGKILL of the silo hosting the leader; it stays down.</summary>
    KillLeaderSilo,

    /// <summary>SIGKILL of a silo hosting followers only; it stays down.</summary>
    KillFollowerSilo,

    /// <summary>SIGSTOP of the silo hosting the leader, SIGCONT 15 s later (a long GC pause, a stalled VM).</summary>
    PauseLeaderSilo,
}
