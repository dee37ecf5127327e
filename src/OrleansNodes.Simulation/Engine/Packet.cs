namespace OrleansNodes.Simulation.Engine;

/// <summary>A message in flight, named by its link and its ordinal on that link (see <see cref="Decision"/>).</summary>
internal struct Packet<TMessage>
{
    public int From;
    public int To;
    public long Ordinal;

    /// <summary>The round in which a flush released it (delays count from there).</summary>
    public long SentRound;

    /// <summary>The first round in which the scheduler may deliver it.</summary>
    public long ReadyRound;

    /// <summary>The round by whose end the scheduler must have delivered it: delays are bounded.</summary>
    public long DueRound;

    public TMessage Message;
}
