namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// What one search of one key found. When it failed, <see cref="LatestBlockedPosition"/> is the
/// latest return position it ever got stuck at (nothing invoked after it took part in the
/// search) and <see cref="DeepestBlocked"/> the operation (an index into the searched list)
/// that stopped the longest attempt, or -1.
/// </summary>
internal readonly record struct SearchOutcome(Verdict Verdict, long Steps, long LatestBlockedPosition, int DeepestBlocked);
