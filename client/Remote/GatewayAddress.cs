namespace OrleansNodes.Client.Remote;

/// <summary>A silo's client gateway as given on the command line: a host name or address, and a port.</summary>
public sealed record GatewayAddress(string Host, int Port)
{
    /// <inheritdoc/>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
