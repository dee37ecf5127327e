using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OrleansNodes.Client.Testing;

/// <summary>
/// A process <c>orleansnodes test</c> started and answers for: its lines go to a callback (a log
/// file), and it can be killed (SIGKILL), frozen (SIGSTOP), thawed (SIGCONT)
/// or asked to stop (SIGTERM). Disposing kills it with its children, so none outlives the test.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int SigStop = 19;
    private const int SigCont = 18;

    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    /// <summary>Whether it has ended (or was disposed: killed).</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/>; <paramref name="onLine"/> sees every line it writes, on either stream.</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => Keep(e.Data, onLine);
        process.ErrorDataReceived += (_, e) => Keep(e.Data, onLine);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGKILL, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (HasExited) return;
        Signal(SigKill);
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits until it has ended and every line it wrote has reached the callback.</summary>
    public Task WaitForExitAsync(CancellationToken cancellation) => _process.WaitForExitAsync(cancellation);

    /// <summary>SIGSTOP: it freezes with its sockets open.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>SIGCONT: a frozen process runs again.</summary>
    public void Resume() => Signal(SigCont);

    /// <summary>SIGTERM, then waits up to <paramref name="bound"/> for it to end; kills it if it does not.</summary>
    public async Task StopAsync(TimeSpan bound)
    {
        if (HasExited) return;
        Signal(SigTerm);
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            if (!HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    // A process already gone (or disposed by a kill of the whole cluster) takes no signal.
    private void Signal(int signal)
    {
        if (HasExited) return;
        if (SendSignal(_process.Id, signal) != 0 && !HasExited)
            throw new InvalidOperationException($"could not signal process {_process.Id} ({Marshal.GetLastPInvokeErrorMessage()})");
    }

    private static void Keep(string? line, Action<string>? onLine)
    {
        if (line is not null) onLine?.Invoke(line);
    }

    // DllImport rather than LibraryImport, whose generated marshalling needs unsafe code enabled
    // for the whole project; two ints need no marshalling.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
