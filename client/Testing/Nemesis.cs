using System.Diagnostics;

namespace OrleansNodes.Client.Testing;

/// <summary>A fault as it happened: from when it was injected to when what it broke was whole again.</summary>
/// <param name="Kind">What was done.</param>
/// <param name="Silo">The silo it hit; null for the storage server.</param>
/// <param name="StartMicros">When it was injected, on the load's clock.</param>
/// <param name="EndMicros">When the silo (or storage server) answered again, or was thawed; on the load's clock.</param>
public sealed record FaultWindow(FaultKind Kind, int? Silo, long StartMicros, long EndMicros)
{
    /// <summary>"kill silo 1", "storage-kill".</summary>
    public string Label => Silo is { } silo ? $"{Kind.Name()} silo {silo}" : Kind.Name();
}

/// <summary>
/// Carries out a <see cref="NemesisPlan"/> against a <see cref="LocalCluster"/> while the load
/// runs, and records each fault's window on the load's clock, for the report. A fault that
/// cannot be healed (a silo that does not come back) ends the run with an error rather than
/// going on against a cluster that is no longer the one planned.
/// </summary>
internal sealed class Nemesis(LocalCluster cluster, Func<long> nowMicros)
{
    private readonly List<FaultWindow> _windows = [];
    private readonly Lock _lock = new();

    /// <summary>The faults injected so far, each once healed (or cut short).</summary>
    public IReadOnlyList<FaultWindow> Windows
    {
        get
        {
            lock (_lock) return [.. _windows];
        }
    }

    /// <summary>Faults not injected because the ones before them healed too late.</summary>
    public int Skipped { get; private set; }

    /// <summary>
    /// Injects each planned fault at its time from now, or as soon as the one before it healed
    /// (a killed silo may take longer to start than its interval), but none after
    /// <paramref name="latestStart"/>: a fault must heal before the load ends and the final reads
    /// begin. Returns when the last is healed or <paramref name="cancellation"/> fires.
    /// </summary>
    public async Task RunAsync(IReadOnlyList<PlannedFault> plan, TimeSpan latestStart, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var fault in plan)
        {
            var wait = fault.At - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellation);
            // A fault on time fits (the plan saw to that); one delayed past the latest start does not.
            else if (Stopwatch.GetElapsedTime(started) > latestStart)
            {
                Skipped++;
                continue;
            }
            var start = nowMicros();
            try
            {
                await InjectAndHealAsync(fault, cancellation);
            }
            finally
            {
                // A fault cut short (the run was cancelled) is recorded too, up to now.
                lock (_lock) _windows.Add(new FaultWindow(fault.Kind, fault.Silo, start, nowMicros()));
            }
        }
    }

    private async Task InjectAndHealAsync(PlannedFault fault, CancellationToken cancellation)
    {
        switch (fault.Kind)
        {
            case FaultKind.Kill:
                await cluster.KillAsync(fault.Silo!.Value);
                await Task.Delay(fault.Length, cancellation);
                await cluster.StartAsync(fault.Silo.Value, cancellation);
                break;
            case FaultKind.Pause:
                cluster.Pause(fault.Silo!.Value);
                try
                {
                    await Task.Delay(fault.Length, cancellation);
                }
                finally
                {
                    // Never leave a silo frozen: a frozen process outlives a cancelled run.
                    cluster.Resume(fault.Silo.Value);
                }
                break;
            case FaultKind.Restart:
                await cluster.RestartAsync(fault.Silo!.Value, cancellation);
                break;
            case FaultKind.StorageKill:
                await cluster.KillStorageAsync();
                await Task.Delay(fault.Length, cancellation);
                await cluster.StartStorageAsync(cancellation);
                break;
        }
    }
}
