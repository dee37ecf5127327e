using System.Net;
using Orleans.GrainDirectory;
using Orleans.Runtime;

namespace OrleansNodes.Storage.Tests.Conformance;

/// <summary>
/// What a node directory must do (<c>SiloBuilderExtensions.UseNodeDirectory</c>): Orleans'
/// <see cref="IGrainDirectory"/> contract, one activation per grain, replaced only by whoever names
/// the one it replaces, with entries kept apart per service and per cluster. A backend's test class
/// derives from this and runs every case as one theory, as <see cref="NodeStoreConformance"/> does.
/// </summary>
public abstract class NodeDirectoryConformance
{
    /// <summary>The name of every case.</summary>
    public static TheoryData<string> Cases =>
        [.. typeof(NodeDirectoryConformance).GetMethods()
            .Where(m => m.DeclaringType == typeof(NodeDirectoryConformance) && m.ReturnType == typeof(Task) && m.GetParameters().Length == 0 && m.Name.Contains('_'))
            .Select(m => m.Name)];

    protected static readonly GrainId Node = GrainId.Create("node", "kv/0");
    protected static readonly SiloAddress SiloA = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);
    protected static readonly SiloAddress SiloB = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11112), 2);

    /// <summary>Runs the case named <paramref name="name"/>.</summary>
    protected Task RunAsync(string name) => (Task)typeof(NodeDirectoryConformance).GetMethod(name)!.Invoke(this, null)!;

    /// <summary>The directory under test for service <paramref name="service"/> and cluster <paramref name="cluster"/>, on a real server.</summary>
    protected abstract IGrainDirectory Directory(string service, string cluster);

    /// <summary>A service id no other test uses.</summary>
    protected static string NewService() => $"d{Guid.NewGuid():N}"[..16];

    protected static GrainAddress Address(SiloAddress silo, long version = 1) => new()
    {
        GrainId = Node,
        ActivationId = ActivationId.NewId(),
        SiloAddress = silo,
        MembershipVersion = new MembershipVersion(version),
    };

    public async Task Lookup_NothingRegistered_Null()
    {
        Assert.Null(await Directory(NewService(), "c").Lookup(Node));
    }

    public async Task Register_First_RegisteredAndFoundWithEveryField()
    {
        var directory = Directory(NewService(), "c");
        var address = Address(SiloA, version: 42);

        var registered = await directory.Register(address, null);

        Assert.Equal(address, registered);
        var found = await directory.Lookup(Node);
        Assert.NotNull(found);
        Assert.Equal(address.ActivationId, found.ActivationId);
        Assert.Equal(SiloA, found.SiloAddress);
        Assert.Equal(42, found.MembershipVersion.Value);
    }

    public async Task Register_SecondActivationWithoutNamingTheFirst_GetsTheFirstBack()
    {
        var directory = Directory(NewService(), "c");
        var first = await directory.Register(Address(SiloA), null);

        var second = await directory.Register(Address(SiloB), null);

        Assert.Equal(first!.ActivationId, second!.ActivationId);
        Assert.Equal(first.ActivationId, (await directory.Lookup(Node))!.ActivationId);
    }

    public async Task Register_NamingTheActivationItReplaces_Replaces()
    {
        var directory = Directory(NewService(), "c");
        var dead = await directory.Register(Address(SiloA), null);
        var replacement = Address(SiloB);

        var registered = await directory.Register(replacement, dead);

        Assert.Equal(replacement.ActivationId, registered!.ActivationId);
        Assert.Equal(SiloB, (await directory.Lookup(Node))!.SiloAddress);
    }

    public async Task Register_NamingAnActivationThatIsNotCurrent_Refused()
    {
        var directory = Directory(NewService(), "c");
        var current = await directory.Register(Address(SiloA), null);

        var result = await directory.Register(Address(SiloB), Address(SiloB));

        Assert.Equal(current!.ActivationId, result!.ActivationId);
    }

    public async Task Unregister_OtherActivation_EntryStays_ItsOwn_Removed()
    {
        var directory = Directory(NewService(), "c");
        var current = await directory.Register(Address(SiloA), null);

        await directory.Unregister(Address(SiloA));
        Assert.NotNull(await directory.Lookup(Node));

        await directory.Unregister(current!);
        Assert.Null(await directory.Lookup(Node));
    }

    public async Task Register_SameGrainInAnotherServiceOrCluster_EntriesKeptApart()
    {
        var service = NewService();
        var mine = Directory(service, "c1");
        var otherCluster = Directory(service, "c2");
        var otherService = Directory(service + "x", "c1");

        await mine.Register(Address(SiloA), null);

        Assert.Null(await otherCluster.Lookup(Node));
        Assert.Null(await otherService.Lookup(Node));
    }
}
