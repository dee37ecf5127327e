using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using OrleansNodes.Security;
using Command = System.CommandLine.Command;

namespace OrleansNodes.Client.Remote;

/// <summary>
/// The options every command that talks to a silo shares: <c>--gateway</c> (repeatable or
/// comma-separated), <c>--timeout-ms</c>, <c>--cluster-id</c> and <c>--service-id</c>, with the
/// defaults of <c>dotnet run --project silo</c> (silo/README.md), and <c>--tls-certificate</c>
/// with <c>--tls-ca</c> for a silo that requires TLS (the .pfx password comes from the
/// environment variable <see cref="TlsPasswordVariable"/>, never from the command line, where
/// every user of the machine could read it).
/// </summary>
public sealed class RemoteOptions
{
    /// <summary>The gateway a silo started with default settings listens on.</summary>
    public const string DefaultGateway = "localhost:30000";

    /// <summary>The Orleans ClusterId and ServiceId the silo uses (silo/Program.cs).</summary>
    public const string DefaultId = "orleansnodes";

    /// <summary>The environment variable holding the <c>--tls-certificate</c> file's password.</summary>
    public const string TlsPasswordVariable = "ORLEANSNODES_TLS_PASSWORD";

    private readonly Option<string[]> _gateways = new("--gateway")
    {
        Description = $"A silo's client gateway as HOST:PORT; repeat it or separate with commas for several (default {DefaultGateway}).",
    };

    private readonly Option<int> _timeoutMs = new("--timeout-ms")
    {
        Description = "How long connecting, one request or one status query may take, in milliseconds; a request that runs out reports 'unknown outcome'.",
        DefaultValueFactory = _ => 10_000,
    };

    private readonly Option<string> _clusterId = new("--cluster-id")
    {
        Description = "The Orleans ClusterId the silo was started with.",
        DefaultValueFactory = _ => DefaultId,
    };

    private readonly Option<string> _serviceId = new("--service-id")
    {
        Description = "The Orleans ServiceId the silo was started with.",
        DefaultValueFactory = _ => DefaultId,
    };

    private readonly Option<FileInfo> _tlsCertificate = new("--tls-certificate")
    {
        Description = $"Connect with TLS, presenting this client certificate (a .pfx with its private key; password in ${TlsPasswordVariable}).",
    };

    private readonly Option<FileInfo> _tlsAuthority = new("--tls-ca")
    {
        Description = "The certificate authority (PEM or DER) the silo's certificate must chain to; default: the machine's trust store.",
    };

    /// <summary>Creates the option set; <see cref="AddTo"/> attaches it to a command.</summary>
    public RemoteOptions()
    {
        _gateways.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (ParseGateways(token.Value, out var error) is null) result.AddError(error!);
            }
        });
        Commands.OptionRules.Range(_timeoutMs, 1, 3_600_000);
        Commands.OptionRules.Require(_clusterId, v => !string.IsNullOrWhiteSpace(v), "--cluster-id must not be empty");
        Commands.OptionRules.Require(_serviceId, v => !string.IsNullOrWhiteSpace(v), "--service-id must not be empty");
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public Command AddTo(Command command)
    {
        command.Options.Add(_gateways);
        command.Options.Add(_timeoutMs);
        command.Options.Add(_clusterId);
        command.Options.Add(_serviceId);
        command.Options.Add(_tlsCertificate);
        command.Options.Add(_tlsAuthority);
        return command;
    }

    /// <summary>Whether <c>--gateway</c> was given (rather than its default), in a parse or, for a command's validator, in its result.</summary>
    public bool HasGateways(ParseResult parse) => parse.GetResult(_gateways) is not null;

    /// <inheritdoc cref="HasGateways(ParseResult)"/>
    public bool HasGateways(System.CommandLine.Parsing.CommandResult result) => result.GetResult(_gateways) is not null;

    /// <summary>The target the parsed options describe.</summary>
    public SiloTarget Read(ParseResult parse)
    {
        var texts = parse.GetValue(_gateways) is { Length: > 0 } given ? given : [DefaultGateway];
        var gateways = texts.SelectMany(t => ParseGateways(t, out _)!.Value).Distinct().ToImmutableArray();
        return new SiloTarget(gateways, parse.GetValue(_clusterId)!, parse.GetValue(_serviceId)!, TimeSpan.FromMilliseconds(parse.GetValue(_timeoutMs)), ReadTls(parse));
    }

    // Loaded before connecting, so a wrong path or password is bad input (exit 2), not an unreachable silo.
    private TlsCredentials? ReadTls(ParseResult parse)
    {
        var certificate = parse.GetValue(_tlsCertificate);
        var authority = parse.GetValue(_tlsAuthority);
        if (certificate is null)
        {
            return authority is null ? null : throw CliException.BadInput("--tls-ca needs --tls-certificate: a silo with TLS requires a client certificate");
        }
        var password = Environment.GetEnvironmentVariable(TlsPasswordVariable);
        return TlsCredentials.Load(certificate.FullName, password, authority?.FullName, out var problem)
            ?? throw CliException.BadInput(problem!);
    }

    /// <summary>Parses <c>host:port[,host:port...]</c>; null with <paramref name="error"/> when malformed.</summary>
    public static ImmutableArray<GatewayAddress>? ParseGateways(string text, out string? error)
    {
        var endpoints = ImmutableArray.CreateBuilder<GatewayAddress>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // The last colon splits host from port, so a bracketed IPv6 address ([::1]:30000) works too.
            var colon = part.LastIndexOf(':');
            if (colon <= 0 || colon == part.Length - 1
                || !int.TryParse(part.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                || port is < 1 or > 65535)
            {
                error = $"--gateway '{part}' is not HOST:PORT (e.g. {DefaultGateway})";
                return null;
            }
            endpoints.Add(new GatewayAddress(part[..colon].Trim('[', ']'), port));
        }
        if (endpoints.Count == 0)
        {
            error = $"--gateway '{text}' names no gateway (e.g. {DefaultGateway})";
            return null;
        }
        error = null;
        return endpoints.ToImmutable();
    }
}
