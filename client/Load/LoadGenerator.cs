using System.Diagnostics;
using OrleansNodes.Hosting.Clients;
using OrleansNodes.Protocols.KeyValue;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Client.Load;

/// <summary>
/// Drives a key-value cluster with concurrent client sessions and records every operation.
/// Nothing stops it but its end: an operation without an answer (a timeout, a silo that died
/// mid-request, no gateway reachable) is recorded as an unknown outcome and the session goes on,
/// because that is what the history must show and what a client in production does. The Orleans
/// client meanwhile reconnects to whichever of its gateways still answer.
/// </summary>
public sealed class LoadGenerator(NodesClient nodes, string cluster, TimeSpan requestTimeout)
{
    // After an unknown outcome a session pauses briefly: with every gateway down, calls fail at
    // once, and a session spinning on them would fill the history with unknown operations, each
    // of which the checker must try at every later point.
    private static readonly TimeSpan PauseAfterUnknown = TimeSpan.FromMilliseconds(100);

    // A final read that gets no answer is tried again a few times: only an answered read can
    // show that an acknowledged write was lost.
    private const int FinalReadAttempts = 5;

    private long _remaining;
    private long _issued;
    private long _startedTimestamp;

    /// <summary>
    /// Runs <paramref name="spec"/>, recording into <paramref name="recorder"/>; cancelling ends
    /// the load early (final reads still run). With a <paramref name="historyPath"/> (named in the
    /// summary) or <paramref name="checkable"/>, the keys' values before the load are read first,
    /// so that the recorded history can be checked.
    /// </summary>
    public async Task<LoadSummary> RunAsync(LoadSpec spec, LoadRecorder recorder, string? historyPath, CancellationToken cancellation, bool checkable = false)
    {
        if (spec.Warmup is not null && (historyPath is not null || checkable || spec.FinalReads))
            throw new ArgumentException("a warm-up cannot precede a recorded history: an unanswered warm-up operation could still land inside it", nameof(spec));
        var (preloaded, preloadSeconds) = spec.Preload > 0 ? await PreloadAsync(spec, cancellation) : (0, 0);
        var warmup = spec.Warmup is { } warmupTime ? await WarmUpAsync(spec, warmupTime, recorder, cancellation) : default;
        // A history must be checkable on its own: earlier loads may have left values in these keys.
        if (historyPath is not null || checkable) recorder.Initial = await ReadInitialValuesAsync(spec, cancellation);
        var (startMicros, seconds) = await RunSessionsAsync(spec, spec.Ops, spec.Duration, recorder, cancellation);

        if (spec.FinalReads) await FinalReadsAsync(spec, recorder);
        return LoadSummary.Of(recorder.Samples(), spec, seconds, startMicros, historyPath, preloaded, preloadSeconds) with
        {
            WarmupSeconds = Math.Round(warmup.Seconds, 3),
            WarmupOps = warmup.Ops,
        };
    }

    /// <summary>
    /// Runs the load's sessions for <paramref name="warmup"/> with a recorder of their own, which
    /// is dropped: the measured phase then starts with a compiled client and a cluster that has
    /// served this load. The first acknowledgement is still announced, once, through <paramref name="recorder"/>'s callback.
    /// </summary>
    private async Task<(long Ops, double Seconds)> WarmUpAsync(LoadSpec spec, TimeSpan warmup, LoadRecorder recorder, CancellationToken cancellation)
    {
        var scratch = new LoadRecorder { FirstAcknowledged = recorder.FirstAcknowledged, KeepsHistory = false };
        var (_, seconds) = await RunSessionsAsync(spec, ops: null, warmup, scratch, cancellation);
        var samples = scratch.Samples();
        if (samples.Any(s => !s.Rejected && s.Outcome != Outcome.Unknown)) recorder.AcknowledgedEarlier();
        return (samples.Count, seconds);
    }

    /// <summary>Runs every session until <paramref name="ops"/> operations were issued or <paramref name="duration"/> passed; the phase's start (µs since the epoch) and length.</summary>
    private async Task<(long StartMicros, double Seconds)> RunSessionsAsync(LoadSpec spec, long? ops, TimeSpan? duration, LoadRecorder recorder, CancellationToken cancellation)
    {
        _remaining = ops ?? long.MaxValue;
        _issued = 0;
        var startMicros = recorder.NowMicros();
        var started = _startedTimestamp = Stopwatch.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (duration is { } bound) stop.CancelAfter(bound);
        await Task.WhenAll(Enumerable.Range(0, spec.Clients).Select(client => Task.Run(() => SessionAsync(spec, client, recorder, stop.Token), CancellationToken.None)));
        return (startMicros, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// Writes keys <c>p0</c>… once each, <see cref="LoadSpec.Clients"/> at a time, before the
    /// measured load: they are not recorded (the load never touches them), and a put without an
    /// answer is tried again so that the store really holds them all. Progress goes to
    /// <see cref="PreloadProgress"/>.
    /// </summary>
    private async Task<(long Keys, double Seconds)> PreloadAsync(LoadSpec spec, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        long next = -1, done = 0;
        await Task.WhenAll(Enumerable.Range(0, spec.Clients).Select(client => Task.Run(async () =>
        {
            var session = nodes.OpenSession(cluster, requestTimeout);
            for (var index = Interlocked.Increment(ref next); index < spec.Preload && !cancellation.IsCancellationRequested; index = Interlocked.Increment(ref next))
            {
                var put = new KeyValueCommand.Put(LoadSpec.PreloadKey(index), spec.Value($"p{index}."));
                for (var attempt = 0; ; attempt++)
                {
                    RequestOutcome outcome;
                    try
                    {
                        outcome = await session.SubmitAsync(put);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        outcome = new RequestOutcome.Unknown(exception.Message);
                    }
                    if (outcome is RequestOutcome.Replied { Reply: KeyValueReply.Ok }) break;
                    if (attempt >= FinalReadAttempts) throw CliException.Unavailable($"preloading {put.Key} got no answer {FinalReadAttempts + 1} times ({outcome})");
                    await Task.Delay(PauseAfterUnknown, cancellation);
                }
                var count = Interlocked.Increment(ref done);
                if (count % 10_000 == 0) PreloadProgress?.Invoke(count, spec.Preload);
            }
        }, CancellationToken.None)));
        return (Interlocked.Read(ref done), Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// Reads every key of the load once before it starts (not recorded as operations), so that the
    /// history says what each key held (<c>initial</c> in docs/history-format.md) and checks on its
    /// own even when earlier loads wrote the same keys. A key whose read gets no answer after a few
    /// attempts stops the load: without its value the history could not be checked.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string?>> ReadInitialValuesAsync(LoadSpec spec, CancellationToken cancellation)
    {
        var initial = new System.Collections.Concurrent.ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(Enumerable.Range(0, spec.Keys), new ParallelOptions { MaxDegreeOfParallelism = spec.Clients, CancellationToken = cancellation }, async (index, token) =>
        {
            var session = nodes.OpenSession(cluster, requestTimeout);
            var key = LoadSpec.Key(index);
            for (var attempt = 0; ; attempt++)
            {
                RequestOutcome outcome;
                try
                {
                    outcome = await session.SubmitAsync(new KeyValueCommand.Get(key));
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    outcome = new RequestOutcome.Unknown(exception.Message);
                }
                if (outcome is RequestOutcome.Replied { Reply: KeyValueReply.Value read })
                {
                    if (read.Current is not null) initial[key] = read.Current;
                    return;
                }
                if (attempt >= FinalReadAttempts) throw CliException.Unavailable($"could not read key {key} before the load, so its history could not be checked ({outcome})");
                await Task.Delay(PauseAfterUnknown, token);
            }
        });
        return initial;
    }

    /// <summary>Called every 10,000 preloaded keys with (written, of).</summary>
    public Action<long, long>? PreloadProgress { get; init; }

    private async Task SessionAsync(LoadSpec spec, int client, LoadRecorder recorder, CancellationToken stop)
    {
        var random = new Random(unchecked((int)(spec.Seed * 0x9E3779B97F4A7C15UL >> 32) ^ client * 7919));
        var session = nodes.OpenSession(cluster, requestTimeout);
        // What this client last saw in each key: a cas expects it, so that some cas operations apply.
        // Kept only when the mix has cas: 128 sessions over 1,000 keys of 10 KB would hold 2.5 GB.
        Dictionary<string, string?>? seen = spec.Mix.Cas > 0 ? new() : null;
        for (var n = 0; !stop.IsCancellationRequested && Interlocked.Decrement(ref _remaining) >= 0; n++)
        {
            if (spec.Rate is { } rate && !await PaceAsync(rate, stop)) break;
            var key = LoadSpec.Key(random.Next(spec.Keys));
            // Appends stay short: padded suffixes would grow a key by the value size every time.
            var unique = $"c{client}.{n}";
            var value = spec.Value(unique);
            var command = spec.Mix.Pick(random.Next(spec.Mix.Total)) switch
            {
                OperationKind.Put => Command.Put(key, value),
                OperationKind.Get => Command.Get(key),
                OperationKind.Cas => Command.Cas(key, seen!.GetValueOrDefault(key), value),
                OperationKind.Append => Command.Append(key, "+" + unique),
                _ => Command.Delete(key),
            };
            var (outcome, current) = await ExecuteAsync(session, client, command, recorder, finalRead: false);
            if (outcome == Outcome.Unknown)
            {
                seen?.Remove(key);
                try
                {
                    await Task.Delay(PauseAfterUnknown, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            else if (seen is not null)
            {
                seen[key] = current;
            }
        }
    }

    /// <summary>Waits until the next operation is due at <paramref name="rate"/> per second; false when the load ended meanwhile.</summary>
    private async Task<bool> PaceAsync(double rate, CancellationToken stop)
    {
        var slot = Interlocked.Increment(ref _issued) - 1;
        var wait = TimeSpan.FromSeconds(slot / rate) - Stopwatch.GetElapsedTime(_startedTimestamp);
        if (wait <= TimeSpan.Zero) return true;
        try
        {
            await Task.Delay(wait, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads every key once, concurrently (each read as a client of its own, numbered after the
    /// load's sessions), trying an unanswered read again while the phase lasts: at most twice the
    /// request timeout, so that a load against a cluster that stopped answering still ends soon
    /// after its duration.
    /// </summary>
    private async Task FinalReadsAsync(LoadSpec spec, LoadRecorder recorder)
    {
        var phase = Stopwatch.StartNew();
        var budget = requestTimeout * 2;
        await Parallel.ForEachAsync(Enumerable.Range(0, spec.Keys), new ParallelOptions { MaxDegreeOfParallelism = spec.Clients }, async (key, _) =>
        {
            var session = nodes.OpenSession(cluster, requestTimeout);
            for (var attempt = 0; attempt < FinalReadAttempts && phase.Elapsed < budget; attempt++)
            {
                var (outcome, _) = await ExecuteAsync(session, spec.Clients + key, Command.Get(LoadSpec.Key(key)), recorder, finalRead: true);
                if (outcome != Outcome.Unknown) break;
                await Task.Delay(PauseAfterUnknown);
            }
        });
    }

    /// <summary>Sends one operation and records it; returns its outcome and the key's value it revealed (null when it revealed none).</summary>
    private static async Task<(Outcome Outcome, string? Current)> ExecuteAsync(ClusterSession session, int client, Command command, LoadRecorder recorder, bool finalRead)
    {
        var pending = recorder.Invoke(client, command, finalRead);
        RequestOutcome outcome;
        try
        {
            outcome = await session.SubmitAsync(ToRequest(command));
        }
        catch (Exception exception)
        {
            // Whatever went wrong on the way (a gateway that vanished, no gateway at all), the
            // request may have reached a node: its outcome is unknown, never "failed".
            outcome = new RequestOutcome.Unknown(exception.Message);
        }

        var (result, current) = Interpret(command, outcome);
        if (result is null)
        {
            recorder.Reject(pending);
            return (Outcome.Unknown, null);
        }
        recorder.Complete(pending, result);
        return (result.Outcome, current);
    }

    /// <summary>The history's result for <paramref name="outcome"/>, or null when the request was refused before it reached the protocol.</summary>
    private static (OperationResult? Result, string? Current) Interpret(Command command, RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.Rejected => (null, null),
        RequestOutcome.Replied { Reply: KeyValueReply reply } => (command.Kind, reply) switch
        {
            (OperationKind.Get, KeyValueReply.Value read) => (OperationResult.Read(read.Current), read.Current),
            (OperationKind.Put, KeyValueReply.Ok) => (OperationResult.Ok, command.Value),
            (OperationKind.Delete, KeyValueReply.Ok) => (OperationResult.Ok, null),
            (OperationKind.Cas, KeyValueReply.CasResult { Succeeded: true }) => (OperationResult.Ok, command.Value),
            (OperationKind.Cas, KeyValueReply.CasResult failed) => (OperationResult.Failed, failed.Current),
            // An append's reply does not say what the value became.
            (OperationKind.Append, KeyValueReply.Ok) => (OperationResult.Ok, null),
            // A redirect that reaches the client means no leader answered before the deadline; an
            // earlier attempt of the same request may still have been applied (KvOutcome).
            _ => (OperationResult.Unknown, null),
        },
        _ => (OperationResult.Unknown, null),
    };

    private static KeyValueCommand ToRequest(Command command) => command.Kind switch
    {
        OperationKind.Get => new KeyValueCommand.Get(command.Key),
        OperationKind.Put => new KeyValueCommand.Put(command.Key, command.Value!),
        OperationKind.Cas => new KeyValueCommand.Cas(command.Key, command.Expected, command.Value!),
        OperationKind.Append => new KeyValueCommand.Append(command.Key, command.Value!),
        _ => new KeyValueCommand.Delete(command.Key),
    };
}
