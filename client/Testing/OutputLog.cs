namespace OrleansNodes.Client.Testing;

/// <summary>A file a child process's lines are appended to, from its two output streams at once.</summary>
internal sealed class OutputLog : IDisposable
{
    private readonly Lock _lock = new();
    private StreamWriter? _writer;
    private bool _closed;

    public OutputLog(string path) => Path = path;

    /// <summary>Where the lines go.</summary>
    public string Path { get; }

    /// <summary>Appends <paramref name="line"/>, creating the file (and its folder) on the first line; once closed, drops it (a killed process's last lines may still arrive).</summary>
    public void WriteLine(string line)
    {
        lock (_lock)
        {
            if (_closed) return;
            if (_writer is null)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                _writer = new StreamWriter(Path, append: true) { AutoFlush = true };
            }
            _writer.WriteLine(line);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            _closed = true;
            _writer?.Dispose();
        }
    }
}
