using System.Diagnostics;
using OrleansNodes.Core;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Client.Load;

/// <summary>
/// Records every operation of a load as it happens, for the history the linearizability checker
/// reads and for the summary's counts and latencies. Thread-safe: every session records here.
/// </summary>
/// <remarks>
/// Positions (<c>invoke</c>, <c>complete</c>) are microseconds since the Unix epoch, read from a
/// monotonic clock anchored once at the wall clock. Monotonic, so that "A completed before B was
/// invoked" in the history means it in real time (a wall clock stepped by NTP could invert two
/// operations and fake a violation); anchored at the epoch, so that another process on the same
/// machine (a test that kills a silo) can place its own events among the operations.
/// </remarks>
public sealed class LoadRecorder
{
    private readonly Lock _gate = new();
    private readonly List<Operation> _operations = [];
    private readonly List<Sample> _samples = [];
    private readonly long _anchorMicros = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
    private readonly long _anchorTimestamp = Stopwatch.GetTimestamp();
    private int _nextId;
    private int _acknowledged;

    /// <summary>
    /// Whether every operation is kept, with its values, for <see cref="History"/>. A load that only
    /// reports figures keeps its samples alone: 10 KB values at thousands of operations a second
    /// are gigabytes, and keeping them made the load client's collector fault in fresh memory
    /// for every reply, on the cores the store is measured on (docs/BENCHMARKS.md, stop 30).
    /// </summary>
    public bool KeepsHistory { get; init; } = true;

    /// <summary>Microseconds since the Unix epoch, never going backwards.</summary>
    public long NowMicros() => _anchorMicros + (long)Stopwatch.GetElapsedTime(_anchorTimestamp).TotalMicroseconds;

    /// <summary>Notes that <paramref name="client"/> is about to send <paramref name="command"/>.</summary>
    public Pending Invoke(int client, Command command, bool finalRead = false) =>
        new(Interlocked.Increment(ref _nextId) - 1, client, command, NowMicros(), finalRead);

    /// <summary>Records the answer to <paramref name="pending"/>: ok, failed (a cas that did not apply) or unknown.</summary>
    public void Complete(Pending pending, OperationResult result)
    {
        var now = NowMicros();
        // An operation takes time; a completion in the same microsecond as its invocation would be malformed.
        long? complete = result.Outcome == Outcome.Unknown ? null : Math.Max(now, pending.InvokeMicros + 1);
        var operation = KeepsHistory ? new Operation(pending.Id, new ClientId(pending.Client), pending.Command, pending.InvokeMicros, complete, result) : null;
        lock (_gate)
        {
            if (operation is not null) _operations.Add(operation);
            _samples.Add(new Sample(pending.Command.Kind, result.Outcome, pending.InvokeMicros, now - pending.InvokeMicros, pending.FinalRead, Rejected: false));
        }
        if (result.Outcome != Outcome.Unknown && Interlocked.Exchange(ref _acknowledged, 1) == 0) FirstAcknowledged?.Invoke();
    }

    /// <summary>What the load's keys held before its first operation (<see cref="History.Initial"/>), once read.</summary>
    public IReadOnlyDictionary<string, string?>? Initial { get; set; }

    /// <summary>
    /// Called once, when the first operation gets a definite answer: the moment a load is known to
    /// reach the cluster (a test that breaks the cluster under load waits for it, not for a time).
    /// </summary>
    public Action? FirstAcknowledged { get; init; }

    /// <summary>Notes that an operation was acknowledged before this recorder began (in a warm-up), so <see cref="FirstAcknowledged"/> is not called again.</summary>
    public void AcknowledgedEarlier() => Interlocked.Exchange(ref _acknowledged, 1);

    /// <summary>
    /// Records that <paramref name="pending"/> was refused before reaching the protocol: it
    /// certainly did not take effect, so the history leaves it out (docs/history-format.md).
    /// </summary>
    public void Reject(Pending pending)
    {
        lock (_gate) _samples.Add(new Sample(pending.Command.Kind, Outcome.Unknown, pending.InvokeMicros, NowMicros() - pending.InvokeMicros, pending.FinalRead, Rejected: true));
    }

    /// <summary>The history so far, in invocation order.</summary>
    public History History()
    {
        if (!KeepsHistory) throw new InvalidOperationException("this recorder keeps no history");
        lock (_gate) return new History(_operations.OrderBy(o => o.Id), Initial);
    }

    /// <summary>Every recorded answer so far.</summary>
    public IReadOnlyList<Sample> Samples()
    {
        lock (_gate) return [.. _samples];
    }

    /// <summary>An operation sent and not yet answered.</summary>
    public sealed record Pending(int Id, int Client, Command Command, long InvokeMicros, bool FinalRead);

    /// <summary>One answered operation, for the summary and the report: when it was sent (on <see cref="NowMicros"/>'s clock) and how long it took.</summary>
    public readonly record struct Sample(OperationKind Kind, Outcome Outcome, long InvokeMicros, long LatencyMicros, bool FinalRead, bool Rejected);
}
