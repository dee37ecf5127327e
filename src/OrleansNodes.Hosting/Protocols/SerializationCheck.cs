using Orleans.Serialization;
using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Protocols;

/// <summary>
/// Proves at startup that Orleans can serialize a protocol's settings and initial hard state, so
/// a silo whose protocol assembly lacks generated codecs says so in one line instead of failing
/// on a node's first write.
/// </summary>
public static class SerializationCheck
{
    /// <summary>Null when <paramref name="protocol"/>'s default settings and initial hard state round-trip; otherwise what failed.</summary>
    public static string? FindProblem(HostedProtocol protocol, Serializer serializer)
    {
        try
        {
            var settings = RoundTrip(serializer, protocol.DefaultSettings);
            if (protocol.Start(new NodeId(0), 3, settings, 0, image: null).TakeFlush()?.Hard is { } hard) RoundTrip(serializer, hard);
            return null;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return $"protocol '{protocol.Name}' cannot be persisted or sent: {exception.Message}";
        }
    }

    private static object RoundTrip(Serializer serializer, object value) =>
        serializer.Deserialize<object>(serializer.SerializeToArray(value))
        ?? throw new InvalidOperationException($"{value.GetType().Name} deserialized to null");
}
