namespace OrleansNodes.Hosting.Storage;

/// <summary>
/// Where nodes keep what they made durable: per node key, a version, the cluster definition, the
/// hard state, the snapshot (in chunks) and the log (one entry per index), all as bytes the host
/// serialized. This is the project's own storage interface (docs/design-decisions.md §9):
/// Orleans' <c>IGrainStorage</c> holds one record per grain, which made every write cost the whole
/// state; here a flush writes what its batch changed.
/// </summary>
/// <remarks>
/// <para>Every backend gives the same guarantees, checked by one conformance suite against real
/// servers: a write is atomic (all of it or none of it is ever read back), it applies only when
/// the node's stored version is the one the writer expects (otherwise <see cref="StaleWriteException"/>
/// and nothing changes), and its semantics are <c>DurableImage.Apply</c>'s: a snapshot replaces
/// the log, otherwise the truncated suffix and the compacted prefix are deleted, then the puts are
/// written.</para>
/// <para>The counters count what reached storage, for operators and for tests that check an
/// idle cluster writes nothing.</para>
/// </remarks>
public abstract class NodeStore
{
    private long _reads;
    private long _writes;
    private long _bytesWritten;
    private Exception? _writePointFailure;

    /// <summary>A short name for messages, e.g. <c>sqlite /data/orleansnodes.db</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Nodes read so far.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Writes that reached storage and succeeded.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Payload bytes of those writes (definition, hard state, entries and snapshot chunks).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>
    /// The points inside a write where a backend makes more than one request (staging a large
    /// snapshot, say), in order. A crash at any of them must leave the node as it was before the
    /// write or as it is after it, never in between; the conformance tests crash at each.
    /// </summary>
    public virtual IReadOnlyList<string> WritePoints => [];

    /// <summary>
    /// For tests: called with each of <see cref="WritePoints"/> as a write reaches it. A test that
    /// throws from it stops the write there, as a crash of the process would.
    /// </summary>
    public Action<string>? OnWritePoint { get; set; }

    /// <summary>What node <paramref name="key"/> has written, or null when it has written nothing.</summary>
    /// <exception cref="InvalidDataException">What is stored is damaged or not in this version's format.</exception>
    /// <exception cref="NodeStoreException">The backend failed (its server is down, say).</exception>
    public async Task<StoredNode?> ReadAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        StoredNode? node;
        try
        {
            node = await ReadCoreAsync(key, cancellationToken);
        }
        catch (Exception exception) when (IsBackendFailure(exception))
        {
            throw new NodeStoreException($"{Description}: reading node {key} failed: {OneLine(exception.Message)}");
        }
        Interlocked.Increment(ref _reads);
        return node;
    }

    /// <summary>
    /// Writes one flush of node <paramref name="key"/>, atomically, if its stored version is
    /// <see cref="NodeWrite.ExpectedVersion"/> (0: the node has never been written, and
    /// <see cref="NodeWrite.Definition"/> is set). The node's version is then one more.
    /// </summary>
    /// <returns>The payload bytes written.</returns>
    /// <exception cref="StaleWriteException">The stored version is another: someone else wrote first.</exception>
    /// <exception cref="NodeStoreException">The backend failed; the write may or may not have happened.</exception>
    public async Task<long> WriteAsync(string key, NodeWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(write);
        if (write.ExpectedVersion == 0 && write.Definition is null)
            throw new ArgumentException("the first write of a node carries its definition", nameof(write));
        long bytes;
        try
        {
            bytes = await WriteCoreAsync(key, write, cancellationToken);
        }
        catch (Exception exception) when (IsBackendFailure(exception))
        {
            throw new NodeStoreException($"{Description}: writing node {key} failed: {OneLine(exception.Message)}");
        }
        Interlocked.Increment(ref _writes);
        Interlocked.Add(ref _bytesWritten, bytes);
        return bytes;
    }

    // Our own exceptions pass as they are; so do cancellation and what a test's write point threw.
    private bool IsBackendFailure(Exception exception) =>
        exception is not (StaleWriteException or InvalidDataException or NodeStoreException or OperationCanceledException or ArgumentException) &&
        !ReferenceEquals(exception, _writePointFailure);

    private static string OneLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>Backends call this at each of their <see cref="WritePoints"/>.</summary>
    protected void Reached(string point)
    {
        try
        {
            OnWritePoint?.Invoke(point);
        }
        catch (Exception exception)
        {
            _writePointFailure = exception;
            throw;
        }
    }

    /// <summary>The backend's read. Returns null for a node never written.</summary>
    protected abstract Task<StoredNode?> ReadCoreAsync(string key, CancellationToken cancellationToken);

    /// <summary>The backend's atomic, conditional write. Returns the payload bytes written (snapshot chunks included).</summary>
    protected abstract Task<long> WriteCoreAsync(string key, NodeWrite write, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public override string ToString() => Description;
}
