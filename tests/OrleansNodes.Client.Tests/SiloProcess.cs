using System.Net.Http.Headers;
using Silo = OrleansNodes.TestServers.SiloProcess;

namespace OrleansNodes.Client.Tests;

/// <summary>
/// A real silo (the built <c>orleansnodes-silo.dll</c>, run by the shared
/// <see cref="OrleansNodes.TestServers.SiloProcess"/>) on free ports with a fresh data folder,
/// shared by every end-to-end test of a class: started once, killed on dispose. Subclasses add
/// switches (<see cref="Arguments"/>), environment and credentials, e.g. TLS or a dashboard password.
/// </summary>
public class SiloProcess : IAsyncLifetime
{
    private Silo? _silo;

    /// <summary>The silo's client gateway, as <c>--gateway</c> takes it.</summary>
    public string Gateway => Started.Gateway;

    /// <summary>The silo's HTTP root (dashboard and status), on loopback.</summary>
    public Uri Url => Started.Url;

    private Silo Started => _silo ?? throw new InvalidOperationException("the silo was not started");

    /// <summary>Runs the console against this silo.</summary>
    public ConsoleRun Run(params string[] args) => ConsoleRun.Of([.. args, "--gateway", Gateway]);

    /// <summary>Runs the console against this silo with <paramref name="input"/> as its standard input.</summary>
    public ConsoleRun RunWithInput(string input, params string[] args) => ConsoleRun.WithInput(input, [.. args, "--gateway", Gateway]);

    /// <summary>The credentials the silo's HTTP endpoints require, if any (used while waiting for it to serve).</summary>
    protected virtual AuthenticationHeaderValue? HttpAuthorization => null;

    /// <summary>Environment variables for the silo.</summary>
    protected virtual IReadOnlyDictionary<string, string> SiloEnvironment => new Dictionary<string, string>();

    /// <summary>Switches added after the fixture's own, so they win; <paramref name="silo"/>'s ports are already chosen.</summary>
    protected virtual IEnumerable<string> Arguments(Silo silo) => [];

    public async Task InitializeAsync()
    {
        _silo = new Silo(Arguments, SiloEnvironment);
        await _silo.StartAsync(authorization: HttpAuthorization);
    }

    public virtual Task DisposeAsync()
    {
        _silo?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Runs a silo that is expected to refuse to start: its exit code and standard error.</summary>
    public static Task<(int ExitCode, string Error)> RunToExitAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        Silo.RunToExitAsync(args, environment);
}
