namespace OrleansNodes.Hosting.Tests.Support;

/// <summary>One silo shared by the tests of the "host" collection; each test uses its own cluster names.</summary>
public sealed class HostFixture : IAsyncLifetime
{
    public TestSilo Silo { get; private set; } = null!;

    public async Task InitializeAsync() => Silo = await TestSilo.StartAsync(TestSilo.NewDatabasePath());

    public async Task DisposeAsync() => await Silo.DisposeAsync();
}

[CollectionDefinition("host")]
public sealed class HostCollection : ICollectionFixture<HostFixture>;
