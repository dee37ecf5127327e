using System.Diagnostics;
using System.Text;

namespace OrleansNodes.TestServers;

/// <summary>
/// A child process whose output is kept (the last lines go into failure messages) and which is
/// stopped gracefully (SIGTERM), killed outright (SIGKILL), or killed with its tree on dispose.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly StringBuilder _log = new();
    private readonly StringBuilder _errors = new();
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, once ended.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> and extra environment variables.</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data, error: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Starts a built .NET assembly with the same <c>dotnet</c> host that runs the tests.</summary>
    public static ChildProcess StartDotnet(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [dll, .. arguments], environment);

    /// <summary>SIGKILL: no shutdown code runs, as when a machine dies.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>SIGTERM, then waits up to <paramref name="bound"/> for a clean exit; kills it if it does not come.</summary>
    public async Task<int?> StopAsync(TimeSpan bound)
    {
        if (_process.HasExited) return _process.ExitCode;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return null;
        }
    }

    /// <summary>SIGSTOP: the process freezes, its sockets open, as in a long GC pause or a stalled VM.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT: a paused process runs again.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    /// <summary>SIGINT: what Ctrl+C sends.</summary>
    public Task InterruptAsync() => SignalAsync("INT");

    /// <summary>Waits until the process has written <paramref name="text"/> (on either stream); fails if it ends first or the bound passes.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!Output().Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                _process.WaitForExit();
                if (Output().Contains(text, StringComparison.Ordinal)) return;
                throw new InvalidOperationException($"process {_process.Id} exited with {_process.ExitCode} before writing '{text}':\n{Tail()}");
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"process {_process.Id} did not write '{text}' within {bound.TotalSeconds:0} s:\n{Tail()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the process to end by itself.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"process {_process.Id} did not exit within {bound.TotalSeconds:0} s:\n{Tail()}");
        }
        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    /// <summary>Everything the process wrote so far.</summary>
    public string Output()
    {
        lock (_log) return _log.ToString();
    }

    /// <summary>What the process wrote to standard error so far (also part of <see cref="Output"/>).</summary>
    public string Errors()
    {
        lock (_log) return _errors.ToString();
    }

    /// <summary>The last <paramref name="characters"/> of its output, for failure messages.</summary>
    public string Tail(int characters = 4000)
    {
        lock (_log) return _log.Length > characters ? _log.ToString(_log.Length - characters, characters) : _log.ToString();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString()]);
        await kill.WaitForExitAsync();
    }

    private void Append(string? line, bool error = false)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.AppendLine(line);
            if (error) _errors.AppendLine(line);
        }
    }
}
