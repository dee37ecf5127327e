namespace OrleansNodes.Core;

/// <summary>
/// A timeout counted in ticks (seed rule 2): advance it on every <c>Tick</c>, test
/// <see cref="IsExpired"/>, restart it when the awaited thing happens. No clocks, no interrupts.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.TickTimer")]
public readonly record struct TickTimer([property: Id(0)] int ElapsedTicks, [property: Id(1)] int TimeoutTicks)
{
    /// <summary>A timer that expires after <paramref name="timeoutTicks"/> ticks.</summary>
    public static TickTimer Start(int timeoutTicks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timeoutTicks);
        return new TickTimer(0, timeoutTicks);
    }

    /// <summary>
    /// A timer with a timeout drawn from <c>[minTicks, maxTicks]</c>, as Raft and Paxos use to
    /// keep competing nodes from retrying in lockstep. Returns the generator to keep.
    /// </summary>
    public static (TickTimer Timer, SeededRandom Random) StartRandomized(SeededRandom random, int minTicks, int maxTicks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minTicks);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTicks, minTicks);
        var (timeout, next) = random.Next(minTicks, maxTicks + 1);
        return (new TickTimer(0, timeout), next);
    }

    /// <summary>True once at least <see cref="TimeoutTicks"/> ticks have passed.</summary>
    public bool IsExpired => ElapsedTicks >= TimeoutTicks;

    /// <summary>Ticks left before expiry (never negative).</summary>
    public int RemainingTicks => Math.Max(0, TimeoutTicks - ElapsedTicks);

    /// <summary>One tick later.</summary>
    public TickTimer Advance() => this with { ElapsedTicks = ElapsedTicks + 1 };

    /// <summary>Starts counting again from zero with the same timeout.</summary>
    public TickTimer Restart() => this with { ElapsedTicks = 0 };

    /// <inheritdoc/>
    public override string ToString() => $"{ElapsedTicks}/{TimeoutTicks}";
}
