using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using OrleansNodes.Hosting.Clients;

namespace OrleansNodes.Client.Remote;

/// <summary>
/// One Orleans client connection for the length of one console command. Connecting is bounded
/// by the target's timeout (retrying a gateway that fails until then), except when every listed
/// gateway refuses the connection outright: nothing listens there, and the console says so at
/// once instead of after the timeout (<see cref="RefusalProbe"/>). Everything that can go wrong
/// on the way becomes a one-line <see cref="CliException"/>: the console never shows a stack
/// trace or hangs.
/// </summary>
public sealed partial class SiloConnection : IAsyncDisposable
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(2);

    /// <summary>How long a gateway may take to accept or refuse a TCP connection when asked whether anything listens.</summary>
    private static readonly TimeSpan RefusalBound = TimeSpan.FromSeconds(1);

    /// <summary>How long one attempt to start a client may take when another gateway could be tried.</summary>
    private static readonly TimeSpan AttemptBound = TimeSpan.FromSeconds(3);

    /// <summary>How long a starting client waits before asking another gateway for the cluster's manifest.</summary>
    private static readonly TimeSpan ManifestRetryPause = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a gateway may take to open a connection when others are listed.</summary>
    private static readonly TimeSpan GatewayOpenBound = TimeSpan.FromSeconds(1);
    private readonly IHost _host;

    private SiloConnection(IHost host, SiloTarget target)
    {
        _host = host;
        Target = target;
        Nodes = new NodesClient(host.Services.GetRequiredService<IClusterClient>());
    }

    /// <summary>The silo this connection reaches.</summary>
    public SiloTarget Target { get; }

    /// <summary>The clusters of the connected system.</summary>
    public NodesClient Nodes { get; }

    /// <summary>Connects to <paramref name="target"/>, runs <paramref name="body"/>, disconnects.</summary>
    public static async Task<int> RunAsync(SiloTarget target, Func<SiloConnection, CancellationToken, Task<int>> body, CancellationToken cancellation)
    {
        await using var connection = await ConnectAsync(target, cancellation);
        try
        {
            return await body(connection, cancellation);
        }
        catch (TimeoutException)
        {
            throw CliException.Unavailable($"the silo at {target.GatewayText} did not answer within {target.Timeout.TotalMilliseconds:0} ms");
        }
        catch (ArgumentException refused)
        {
            // The registry's validation (unknown protocol, a name taken, a cluster that is gone): its reason is the error.
            throw CliException.BadInput(WithoutParameterName(OneLine(refused.Message)));
        }
        catch (OrleansException exception)
        {
            throw CliException.Unavailable($"lost the silo at {target.GatewayText} ({OneLine(exception.Message)})");
        }
    }

    /// <summary>
    /// Connects, or throws a <see cref="CliException"/> (exit code 3) once the timeout has passed.
    /// With several gateways, connecting goes in attempts of at most <see cref="AttemptBound"/>,
    /// each preferring the next gateway: an Orleans client starts once one gateway connection
    /// opens, but then fetches the cluster's manifest from the gateway it prefers, and a gateway
    /// that dies or freezes just then would hold the whole start until the timeout.
    /// </summary>
    public static async Task<SiloConnection> ConnectAsync(SiloTarget target, CancellationToken cancellation)
    {
        var endpoints = await ResolveAsync(target, cancellation);
        var deadline = DateTime.UtcNow + target.Timeout;
        var handshakes = new TlsHandshakeObserver();
        var refusals = new RefusalProbe(endpoints, RefusalBound);
        for (var attempt = 0; ; attempt++)
        {
            var remaining = deadline - DateTime.UtcNow;
            var bound = endpoints.Length > 1 && remaining > AttemptBound * 1.5 ? AttemptBound : remaining;
            var (host, failure, lastAttempt) = await TryConnectAsync(target, endpoints, attempt % endpoints.Length, bound, handshakes, refusals, cancellation);
            if (host is not null) return new SiloConnection(host, target);
            if (refusals.AllRefused)
            {
                var who = endpoints.Length == 1 ? "the connection was refused" : "every gateway refused the connection";
                throw CliException.Unavailable($"cannot reach a silo at {target.GatewayText} ({who}: is a silo running there?)");
            }
            // An untrusted certificate stays untrusted, and a start that used the whole timeout is the last.
            if (handshakes.Rejection is not null || bound >= remaining || DateTime.UtcNow + RetryPause >= deadline)
                throw CliException.Unavailable($"cannot reach a silo at {target.GatewayText} ({await ExplainAsync(target, handshakes, lastAttempt, failure, endpoints[0])})");
            await Task.Delay(RetryPause, cancellation);
        }
    }

    /// <summary>One bounded start of an Orleans client preferring gateway <paramref name="preferred"/>: the started host, or why it did not start.</summary>
    private static async Task<(IHost? Host, Exception? Failure, Exception? LastAttempt)> TryConnectAsync(
        SiloTarget target, IPEndPoint[] endpoints, int preferred, TimeSpan bound, TlsHandshakeObserver handshakes, RefusalProbe refusals, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + bound;
        Exception? lastAttempt = null;
        var host = new HostBuilder()
            // The console owns Ctrl+C (it ends a watch cleanly); a host's default console
            // lifetime would take the signal and quietly stop the Orleans client instead.
            .ConfigureServices(services => services.AddSingleton<IHostLifetime, CommandLifetime>())
            .UseOrleansClient(client => client
                .UseStaticClustering(endpoints)
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = target.ClusterId;
                    o.ServiceId = target.ServiceId;
                })
                .Configure<GatewayOptions>(o => o.PreferredGatewayIndex = preferred)
                // A client starts once it has the cluster's manifest from one gateway; after a
                // gateway fails to give it, the client waits this long (5 s by default) before
                // asking another, which would spend a whole connection attempt.
                .Configure<TypeManagementOptions>(o => o.TypeMapRefreshInterval = ManifestRetryPause)
                .Configure<ClientMessagingOptions>(o =>
                {
                    // A kv request's gateway answers "unknown outcome" at target.Timeout by itself;
                    // the call must outlive that answer, or the console would report a silent
                    // silo where the cluster had a definite answer to give.
                    o.ResponseTimeout = target.Timeout + TimeSpan.FromSeconds(2);
                })
                // With other gateways to use, one whose silo accepts a connection but never answers
                // (a frozen process) must not hold a request past a session's attempt: the client
                // sends it through another gateway once the connection gives up.
                .Configure<ConnectionOptions>(o => o.OpenConnectionTimeout = endpoints.Length > 1 && bound > GatewayOpenBound ? GatewayOpenBound : bound)
                .UseConnectionRetryFilter(async (failed, token) =>
                {
                    // Within Orleans' reconnect backoff an attempt only says "will retry after";
                    // the attempt before it says what actually happened.
                    if (lastAttempt is null || !IsBackoff(failed)) lastAttempt = failed;
                    if (handshakes.Rejection is not null || DateTime.UtcNow + RetryPause >= deadline) return false;
                    // Nothing listening anywhere will not change within the timeout: stop here.
                    if (await refusals.AllRefusedAsync()) return false;
                    await Task.Delay(RetryPause, token);
                    return true;
                })
                .ConfigureTls(target.Tls, handshakes))
            .Build();

        Exception? failure;
        using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
        {
            bounded.CancelAfter(bound);
            try
            {
                await host.StartAsync(bounded.Token);
                return (host, null, null);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                failure = new TimeoutException($"no answer within {target.Timeout.TotalMilliseconds:0} ms");
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failure = exception;
            }
        }
        await StopAsync(host);
        return (null, failure, lastAttempt);
    }

    // Why connecting failed, in one clause. Orleans reports a silo that closed the connection
    // during its handshake without saying why; the usual reasons are a TLS mismatch and a wrong
    // cluster or service id, told apart by what the console's own TLS check saw or by a probe.
    private static async Task<string> ExplainAsync(SiloTarget target, TlsHandshakeObserver handshakes, Exception? lastAttempt, Exception? failure, IPEndPoint gateway)
    {
        if (handshakes.Rejection is { } rejection) return rejection;
        // The last refused attempt says why (connection refused, wrong cluster id); the final
        // exception often only says that the client gave up.
        var reason = lastAttempt ?? failure;
        var closed = ClosedByTheSilo(Innermost(reason));
        var timedOut = lastAttempt is null;
        if (target.Tls is not null)
        {
            // A silo refuses a client certificate under TLS 1.3 after the client's side of the
            // handshake has finished, and the close can take a while to surface: a timeout with
            // nothing but a completed handshake to show is the same refusal.
            if (handshakes.SawCertificate && (closed || timedOut))
                return "the silo did not accept the connection after the TLS handshake: it does not trust this client certificate, or --cluster-id or --service-id differ";
            return closed ? "the silo did not answer the TLS handshake: it does not use TLS (leave out --tls-certificate)" : Reason(reason);
        }
        if ((closed || timedOut) && await TlsProbe.AnswersTlsAsync(gateway, ProbeBound))
            return $"the silo requires TLS: pass --tls-certificate and --tls-ca, with the certificate's password in {RemoteOptions.TlsPasswordVariable}";
        return closed ? "the silo closed the connection during the handshake: check --cluster-id and --service-id" : Reason(reason);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => new(StopAsync(_host));

    private static async Task StopAsync(IHost host)
    {
        // Closing a connection that never opened, or to a silo that went away, must not hold the console.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await host.StopAsync(stop.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or OrleansException or TimeoutException)
        {
            // Nothing left to report: the command's outcome is already decided.
        }
        if (host is IAsyncDisposable disposable) await disposable.DisposeAsync();
        else host.Dispose();
    }

    private static async Task<IPEndPoint[]> ResolveAsync(SiloTarget target, CancellationToken cancellation)
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var gateway in target.Gateways)
        {
            if (IPAddress.TryParse(gateway.Host, out var address))
            {
                endpoints.Add(new IPEndPoint(address, gateway.Port));
                continue;
            }
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(gateway.Host, cancellation);
            }
            catch (SocketException exception)
            {
                throw CliException.Unavailable($"cannot reach a silo at {gateway} ({exception.Message})");
            }
            // A silo with localhost clustering listens on 127.0.0.1 only: prefer IPv4 so that
            // "localhost" does not resolve to ::1 and miss it.
            var chosen = addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault()
                ?? throw CliException.Unavailable($"cannot reach a silo at {gateway} (the name has no address)");
            endpoints.Add(new IPEndPoint(chosen, gateway.Port));
        }
        return [.. endpoints];
    }

    // Orleans wraps the socket error a few levels deep; the innermost exception says what happened.
    private static Exception? Innermost(Exception? exception)
    {
        var inner = exception;
        while (inner?.InnerException is not null) inner = inner.InnerException;
        return inner;
    }

    // Orleans' words for a connection the other side closed while the two were still exchanging
    // preambles: aborted while opening, or its preamble cut short.
    private static bool ClosedByTheSilo(Exception? inner) =>
        inner is ConnectionAbortedException
        || (inner is InvalidOperationException && inner.Message.Contains("terminated prematurely", StringComparison.Ordinal));

    private static bool IsBackoff(Exception attempt) => Innermost(attempt)?.Message.Contains(", will retry", StringComparison.Ordinal) == true;

    private static string Reason(Exception? exception)
    {
        var inner = Innermost(exception);
        var message = OneLine(inner?.Message ?? "unknown reason");
        // Orleans' "Unable to connect to S127.0.0.1:30000:0, will retry after 498ms": the console has stopped retrying.
        var retry = message.IndexOf(", will retry", StringComparison.Ordinal);
        return retry > 0 ? message[..retry] : message;
    }

    // ArgumentException.Message ends with " (Parameter 'spec')", which means nothing to a console user.
    private static string WithoutParameterName(string message) => ParameterSuffix().Replace(message, "");

    [GeneratedRegex(@" \(Parameter '[^']*'\)$")]
    private static partial Regex ParameterSuffix();

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>A host lifetime that leaves process signals alone: the command decides when the connection ends.</summary>
    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
