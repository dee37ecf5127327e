using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrleansNodes.Infra.Tests;

/// <summary>The objects the kustomizations render, rendered once per test run.</summary>
internal static partial class KubernetesObjects
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> RenderedText = new();
    private static readonly Lazy<IReadOnlyList<JsonObject>> InClusterRedisObjects = new(() => Yaml.Documents(Rendered("")));
    private static readonly Lazy<IReadOnlyList<JsonObject>> ExternalRedisObjects = new(() => Yaml.Documents(Rendered("external-redis")));

    /// <summary>infra/kubernetes: the silos and an in-cluster Redis.</summary>
    public static IReadOnlyList<JsonObject> InClusterRedis => InClusterRedisObjects.Value;

    /// <summary>infra/kubernetes/external-redis: the silos only.</summary>
    public static IReadOnlyList<JsonObject> ExternalRedis => ExternalRedisObjects.Value;

    /// <summary>What `kubectl kustomize` renders for a variant ("" or "external-redis") with optional components, once per test run.</summary>
    public static string Rendered(string variant, params string[] components) =>
        RenderedText.GetOrAdd($"{variant}+{string.Join('+', components)}", _ => new(() =>
            components.Length == 0 ? Tools.Kustomize(variant) : Tools.KustomizeWithComponents(variant, components))).Value;

    public static JsonObject Single(IReadOnlyList<JsonObject> objects, string kind, string name) =>
        objects.SingleOrDefault(o => Kind(o) == kind && Name(o) == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind}/{name} among {string.Join(", ", objects.Select(o => $"{Kind(o)}/{Name(o)}"))}");

    public static string Kind(JsonNode o) => (string)o["kind"]!;

    public static string Name(JsonNode o) => (string)o["metadata"]!["name"]!;

    public static JsonObject SiloDeployment(IReadOnlyList<JsonObject> objects) => Single(objects, "Deployment", "orleansnodes-silo");

    public static JsonObject PodTemplate(JsonObject workload) => workload["spec"]!["template"]!.AsObject();

    public static JsonObject Container(JsonObject workload, string name) =>
        PodTemplate(workload)["spec"]!["containers"]!.AsArray().Single(c => (string)c!["name"]! == name)!.AsObject();

    public static Dictionary<string, string> Labels(JsonNode? metadataOwner) =>
        metadataOwner?["metadata"]?["labels"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!) ?? [];

    public static Dictionary<string, string> MatchLabels(JsonNode? selector) =>
        selector?["matchLabels"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!) ?? [];

    /// <summary>The container's environment with the values the pod would see: literal values,
    /// fields of the pod (its labels resolved from the template) and a placeholder for secrets.</summary>
    public static Dictionary<string, string> Environment(JsonObject workload, string container)
    {
        var labels = Labels(PodTemplate(workload));
        var result = new Dictionary<string, string>();
        foreach (var variable in Container(workload, container)["env"]?.AsArray() ?? [])
        {
            var name = (string)variable!["name"]!;
            result[name] = variable["value"] is { } value ? (string)value!
                : variable["valueFrom"]?["secretKeyRef"] is { } secret ? $"secret:{secret["name"]}/{secret["key"]}"
                : variable["valueFrom"]?["fieldRef"]?["fieldPath"] is { } field ? FieldValue((string)field!, labels)
                : throw new Xunit.Sdk.XunitException($"{name}: unsupported valueFrom {variable["valueFrom"]}");
        }
        return result;
    }

    private static string FieldValue(string path, Dictionary<string, string> labels)
    {
        if (LabelField().Match(path) is { Success: true } match)
            return labels.TryGetValue(match.Groups[1].Value, out var label) ? label : throw new Xunit.Sdk.XunitException($"{path} names a label the pod does not have");
        return path switch
        {
            "metadata.name" => "orleansnodes-silo-5d8f7-abcde",
            "metadata.namespace" => "orleansnodes",
            "status.podIP" => "10.244.1.7",
            _ => throw new Xunit.Sdk.XunitException($"unexpected fieldRef {path}"),
        };
    }

    [GeneratedRegex(@"^metadata\.labels\['([^']+)'\]$")]
    private static partial Regex LabelField();
}
