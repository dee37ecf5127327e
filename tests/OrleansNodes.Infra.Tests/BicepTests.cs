using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrleansNodes.Infra.Tests;

/// <summary>
/// infra/azure compiled by the Bicep CLI (from NuGet, offline) with its linter rules
/// (infra/azure/bicepconfig.json), and the compiled ARM template checked against what the
/// silo reads.
/// </summary>
public sealed partial class BicepTests
{
    private static readonly Lazy<ProcessResult> Build = new(() =>
        ProcessRunner.Run(Tools.Bicep(), ["build", Repository.Path("infra", "azure", "main.bicep"), "--stdout"]));

    private static JsonObject Template()
    {
        Assert.True(Build.Value.ExitCode == 0, Build.Value.Describe());
        return JsonNode.Parse(Build.Value.Output)!.AsObject();
    }

    // The silo Container App, inside the compiled module's nested template.
    private static JsonObject SiloApp() =>
        Descendants(Template()).OfType<JsonObject>().Single(o => (string?)o["type"] == "Microsoft.App/containerApps");

    private static JsonObject SiloContainer() => SiloApp()["properties"]!["template"]!["containers"]!.AsArray().Single()!.AsObject();

    private static Dictionary<string, JsonObject> SiloEnvironment() =>
        SiloContainer()["env"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => v!.AsObject());

    [Fact]
    public void Build_MainTemplate_CompilesWithoutAnyDiagnostic()
    {
        Assert.True(Build.Value.ExitCode == 0, Build.Value.Describe());
        Assert.Equal("", Build.Value.Error.Trim());
        Assert.StartsWith(Repository.BicepVersion + ".", (string)Template()["metadata"]!["_generator"]!["version"]!);
    }

    [Fact]
    public void Lint_MainTemplate_ReportsNothing()
    {
        var result = ProcessRunner.Run(Tools.Bicep(), ["lint", Repository.Path("infra", "azure", "main.bicep")]);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal("", (result.Output + result.Error).Trim());
    }

    [Fact]
    public void SiloEnvironment_EveryOrleansNodesVariable_NamesAHostSettingsProperty()
    {
        var names = SiloEnvironment().Keys.Where(n => n.StartsWith(SiloContract.Prefix, StringComparison.Ordinal)).ToList();

        Assert.Contains("ORLEANSNODES__AZURESTORAGE__ACCOUNTNAME", names);
        Assert.Contains("ORLEANSNODES__AZURESTORAGE__MANAGEDIDENTITYCLIENTID", names);
        Assert.Contains("ORLEANSNODES__ADVERTISEDADDRESS", names);
        // The values are deployment-time expressions, so the names are checked, not bound.
        Assert.All(names, name => Assert.True(SiloContract.PropertyFor(name) is not null, $"{name} names no HostSettings property"));
        Assert.Equal("azure", (string)SiloEnvironment()["ORLEANSNODES__STORAGE"]["value"]!);
    }

    [Fact]
    public void SiloPorts_IngressAndSettings_AreTheSameParameters()
    {
        var env = SiloEnvironment();
        var ingress = SiloApp()["properties"]!["configuration"]!["ingress"]!;
        var mappings = ingress["additionalPortMappings"]!.AsArray();

        // Each silo listens on, advertises and exposes one port number per role.
        Assert.Equal("tcp", (string)ingress["transport"]!);
        Assert.Equal("[parameters('siloPort')]", (string)ingress["targetPort"]!);
        Assert.Equal("[parameters('siloPort')]", (string)ingress["exposedPort"]!);
        Assert.Equal("[string(parameters('siloPort'))]", (string)env["ORLEANSNODES__SILOPORT"]["value"]!);
        Assert.Contains(mappings, m => (string)m!["targetPort"]! == "[parameters('gatewayPort')]" && (string)m["exposedPort"]! == "[parameters('gatewayPort')]");
        Assert.Equal("[string(parameters('gatewayPort'))]", (string)env["ORLEANSNODES__GATEWAYPORT"]["value"]!);
        Assert.Contains(mappings, m => (string)m!["targetPort"]! == "[variables('httpPort')]");
        Assert.Equal("[format('http://0.0.0.0:{0}', variables('httpPort'))]", (string)env["ORLEANSNODES__URL"]["value"]!);
    }

    [Fact]
    public void SiloProbes_UseTheHealthEndpointsOnTheHttpPort()
    {
        var probes = SiloContainer()["probes"]!.AsArray().ToDictionary(p => (string)p!["type"]!, p => p!["httpGet"]!);

        Assert.Equal(["Liveness", "Readiness", "Startup"], probes.Keys.Order());
        Assert.Equal(SiloContract.LivePath, (string)probes["Liveness"]["path"]!);
        Assert.Equal(SiloContract.LivePath, (string)probes["Startup"]["path"]!);
        Assert.Equal(SiloContract.ReadyPath, (string)probes["Readiness"]["path"]!);
        Assert.All(probes.Values, p => Assert.Equal("[variables('httpPort')]", (string)p["port"]!));
    }

    [Fact]
    public void SiloApp_OneReplicaPerApp_SoNoTwoReplicasAdvertiseOneEndpoint()
    {
        var scale = SiloApp()["properties"]!["template"]!["scale"]!;

        Assert.Equal((1, 1), ((int)scale["minReplicas"]!, (int)scale["maxReplicas"]!));
        var siloCount = Template()["parameters"]!["siloCount"]!;
        Assert.Equal(3, (int)siloCount["defaultValue"]!);
    }

    [Fact]
    public void DashboardCredentials_AreContainerAppSecretsFromSecureParameters()
    {
        var env = SiloEnvironment();
        var secrets = SiloApp()["properties"]!["configuration"]!["secrets"]!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => (string)s!["value"]!);

        Assert.Equal("dashboard-username", (string)env["ORLEANSNODES__DASHBOARD__USERNAME"]["secretRef"]!);
        Assert.Equal("dashboard-password", (string)env["ORLEANSNODES__DASHBOARD__PASSWORD"]["secretRef"]!);
        Assert.Equal("[parameters('dashboardPassword')]", secrets["dashboard-password"]);
        Assert.Equal("[parameters('dashboardUsername')]", secrets["dashboard-username"]);
        Assert.Equal("securestring", (string)Template()["parameters"]!["dashboardPassword"]!["type"]!);
        Assert.Equal("securestring", (string)Template()["parameters"]!["dashboardUsername"]!["type"]!);
    }

    [Fact]
    public void Storage_AllowsNoSharedKeyAndTheSiloIdentityHoldsTheDataRoles()
    {
        var resources = TopLevelResources();
        var account = resources.Single(r => (string)r["type"]! == "Microsoft.Storage/storageAccounts");
        var roles = resources.Where(r => (string)r["type"]! == "Microsoft.Authorization/roleAssignments")
            .Select(r => RoleId().Match((string)r["properties"]!["roleDefinitionId"]!).Groups[1].Value)
            .Select(name => (string)Template()["variables"]![name]!)
            .Order();

        Assert.False((bool)account["properties"]!["allowSharedKeyAccess"]!);
        // Storage Table Data Contributor, AcrPull (only with registryName), Storage Blob Data Contributor.
        Assert.Equal(["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "7f951dda-4ed3-4680-a7ca-43fe172d538d", "ba92f5b4-2d11-453d-a403-e96b0029c9fe"], roles);
    }

    [Fact]
    public void Environment_IsInternalAndSendsLogsToLogAnalytics()
    {
        var resources = TopLevelResources();
        var environment = resources.Single(r => (string)r["type"]! == "Microsoft.App/managedEnvironments");
        var logs = resources.Single(r => (string)r["type"]! == "Microsoft.Insights/diagnosticSettings");

        Assert.True((bool)environment["properties"]!["vnetConfiguration"]!["internal"]!);
        Assert.Contains("Microsoft.OperationalInsights/workspaces", (string)logs["properties"]!["workspaceId"]!);
        Assert.Contains(logs["properties"]!["logs"]!.AsArray(), l => (string)l!["category"]! == "ContainerAppConsoleLogs");
    }

    // main.bicep's own resources (an array, or an object keyed by symbolic name in language version 2).
    private static List<JsonObject> TopLevelResources() => Template()["resources"] switch
    {
        JsonArray array => array.Select(r => r!.AsObject()).ToList(),
        JsonObject symbolic => symbolic.Select(p => p.Value!.AsObject()).ToList(),
        var other => throw new Xunit.Sdk.XunitException($"unexpected resources: {other}"),
    };

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
            foreach (var descendant in Descendants(child))
                yield return descendant;
    }

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex RoleId();
}
