using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace OrleansNodes.Hosting.Tests.Support;

/// <summary>Orleans' serializer with Hosting's and this assembly's codecs, outside any silo.</summary>
public static class SerializerKit
{
    private static readonly Lazy<ServiceProvider> _services = new(() =>
        new ServiceCollection()
            .AddSerializer(builder => builder
                .AddAssembly(typeof(Hosting.Nodes.NodeGrain).Assembly)
                .AddAssembly(typeof(SerializerKit).Assembly))
            .BuildServiceProvider());

    public static Serializer Serializer => _services.Value.GetRequiredService<Serializer>();

    public static IActivatorProvider Activators => _services.Value.GetRequiredService<IActivatorProvider>();

    public static T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;
}
