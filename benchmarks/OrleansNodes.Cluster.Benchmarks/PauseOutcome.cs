namespace OrleansNodes.Cluster.Benchmarks;

/// <summary>
/// How a SIGSTOPped silo's group came back after SIGCONT: whether the silo runs again or exited
/// (Orleans ends a silo that finds itself declared dead), and the time from SIGCONT until every
/// node answered status again (null, with <paramref name="Problem"/>, when that did not happen).
/// </summary>
public sealed record PauseOutcome(string Silo, double? AllAnsweringSeconds, string? Problem);
