using System.Text.RegularExpressions;
using static OrleansNodes.Infra.Tests.KubernetesObjects;

namespace OrleansNodes.Infra.Tests;

/// <summary>
/// docs/deploy-kubernetes.md tells operators which Secrets to create; the manifests must ask
/// for exactly the keys those commands create, or pods stop at CreateContainerConfigError.
/// </summary>
public sealed partial class DeploymentDocsTests
{
    private static readonly Lazy<IReadOnlyList<(string Secret, HashSet<string> Keys)>> Commands = new(() =>
    {
        // Shell continuation lines joined, so one command is one line.
        var text = Repository.Read("docs", "deploy-kubernetes.md").Replace("\\\n", " ", StringComparison.Ordinal);
        return CreateSecret().Matches(text)
            .Select(m => (m.Groups["name"].Value, SecretKey().Matches(m.Value).Select(k => k.Groups["key"].Value).ToHashSet()))
            .ToList();
    });

    public static TheoryData<string, int> SecretCommands => new()
    {
        // variant, which "create secret generic orleansnodes" command of the guide it uses
        { "", 0 },
        { "external-redis", 1 },
    };

    [Theory]
    [MemberData(nameof(SecretCommands))]
    public void Guide_SecretCommandForVariant_CreatesExactlyTheKeysThePodsReference(string variant, int command)
    {
        var objects = variant.Length == 0 ? InClusterRedis : ExternalRedis;
        var commands = Commands.Value.Where(c => c.Secret == "orleansnodes").ToList();

        Assert.Equal(2, commands.Count);
        Assert.Equal(SecretKeysReferenced(objects, "orleansnodes").Order(), commands[command].Keys.Order());
    }

    [Fact]
    public void Guide_TlsSecretCommand_CreatesWhatTheTlsComponentReads()
    {
        var deployment = SiloDeployment(Yaml.Documents(Rendered("", "tls")));
        var settings = SiloContract.Bind(Environment(deployment, "silo"));
        var command = Commands.Value.Single(c => c.Secret == "orleansnodes-tls");

        // Files the silo opens from the mounted Secret, and the password from its env.
        var expected = SecretKeysReferenced([deployment], "orleansnodes-tls")
            .Append(Path.GetFileName(settings.Tls.CertificatePath))
            .Append(Path.GetFileName(settings.Tls.CaCertificatePath));
        Assert.Equal(expected.Order(), command.Keys.Order());
    }

    private static HashSet<string> SecretKeysReferenced(IEnumerable<System.Text.Json.Nodes.JsonObject> objects, string secret) =>
        objects.Where(o => Kind(o) is "Deployment" or "StatefulSet")
            .SelectMany(o => PodTemplate(o)["spec"]!["containers"]!.AsArray())
            .SelectMany(c => c!["env"]?.AsArray() ?? [])
            .Select(v => v!["valueFrom"]?["secretKeyRef"])
            .Where(r => r is not null && (string)r["name"]! == secret)
            .Select(r => (string)r!["key"]!)
            .ToHashSet();

    [GeneratedRegex(@"create secret generic (?<name>[a-z0-9-]+)[^\n]*")]
    private static partial Regex CreateSecret();

    [GeneratedRegex(@"--from-(?:literal|file)=(?<key>[A-Za-z0-9._-]+)=")]
    private static partial Regex SecretKey();
}
