using System.Collections.Immutable;
using OrleansNodes.Security;

namespace OrleansNodes.Client.Remote;

/// <summary>
/// Where and how the console reaches a running silo: its client gateways, the Orleans cluster
/// and service ids it was started with, how long any one thing may take (connecting, one
/// request, one status query) before the console gives up with one line, and the TLS
/// credentials when the silo requires TLS.
/// </summary>
public sealed record SiloTarget(ImmutableArray<GatewayAddress> Gateways, string ClusterId, string ServiceId, TimeSpan Timeout, TlsCredentials? Tls = null)
{
    /// <summary>The gateways as a person typed them, for messages: <c>localhost:30000, 10.0.0.2:30000</c>.</summary>
    public string GatewayText => string.Join(", ", Gateways);
}
