using System.Text.Json.Nodes;
using OrleansNodes.Silo;
using static OrleansNodes.Infra.Tests.KubernetesObjects;

namespace OrleansNodes.Infra.Tests;

/// <summary>
/// infra/kubernetes against the Kubernetes schemas (kubernetes-models, offline) and against
/// what the silo reads: settings, ports, health endpoints, Orleans labels, secrets, RBAC.
/// </summary>
public sealed class KubernetesManifestTests
{
    public static TheoryData<string> Variants => ["", "external-redis"];

    [Fact]
    public void Validator_SourceFiles_MatchTheKubernetesSchemas()
    {
        var result = Tools.ValidateKubernetes();

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Matches(@"^\d+ documents valid$", result.Output.Trim());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Kustomize_Variant_RendersObjectsThatMatchTheSchemas(string variant)
    {
        var result = Tools.ValidateKubernetes(Rendered(variant));

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Fact]
    public void Validator_MisspeltFieldAndWrongType_AreReported()
    {
        // The validator must be able to fail: a probe name typo (which the schemas themselves
        // allow) and a port given as a string.
        var broken = Repository.Read("infra", "kubernetes", "base", "silo-deployment.yaml")
            .Replace("readinessProbe:", "readinesProbe:", StringComparison.Ordinal)
            .Replace("containerPort: 30000", "containerPort: \"30000\"", StringComparison.Ordinal);

        var result = Tools.ValidateKubernetes(broken);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/spec/template/spec/containers/0/readinesProbe is not a field of this object", result.Output);
        Assert.Contains("/spec/template/spec/containers/0/ports/1/containerPort must be integer", result.Output);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Kustomize_Variant_PutsEveryObjectInTheOrleansNodesNamespace(string variant)
    {
        var objects = variant.Length == 0 ? InClusterRedis : ExternalRedis;

        Assert.All(objects.Where(o => Kind(o) != "Namespace"), o => Assert.Equal("orleansnodes", (string?)o["metadata"]!["namespace"]));
        Assert.Equal("orleansnodes", Name(Single(objects, "Namespace", "orleansnodes")));
    }

    [Fact]
    public void Kustomize_ExternalRedis_DropsOnlyTheInClusterRedis()
    {
        static string[] Names(IEnumerable<JsonObject> objects) => objects.Select(o => $"{Kind(o)}/{Name(o)}").Order().ToArray();

        var dropped = Names(InClusterRedis).Except(Names(ExternalRedis));

        Assert.Equal(["Service/redis", "StatefulSet/redis"], dropped.Order());
        Assert.Empty(Names(ExternalRedis).Except(Names(InClusterRedis)));
        Assert.Equal(SiloDeployment(InClusterRedis).ToJsonString(), SiloDeployment(ExternalRedis).ToJsonString());
    }

    [Fact]
    public void SiloEnvironment_EveryOrleansNodesVariable_NamesAHostSettingsProperty()
    {
        var environment = Environment(SiloDeployment(InClusterRedis), "silo");

        var names = environment.Keys.Where(n => n.StartsWith(SiloContract.Prefix, StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Null(SiloContract.BindProblem(name, environment[name])));
    }

    [Fact]
    public void SiloEnvironment_BoundAsTheSiloBindsIt_IsAStartableRedisKubernetesSilo()
    {
        var settings = SiloContract.Bind(Environment(SiloDeployment(InClusterRedis), "silo"));

        Assert.Empty(settings.Problems());
        Assert.Equal(StorageProfiles.Redis, settings.Storage);
        Assert.True(settings.Kubernetes);
        Assert.Equal("secret:orleansnodes/redis-connection-string", settings.Redis.ConnectionString);
        Assert.Equal("secret:orleansnodes/dashboard-username", settings.Dashboard.Username);
        Assert.Equal("secret:orleansnodes/dashboard-password", settings.Dashboard.Password);
        Assert.Equal("0.0.0.0", new Uri(settings.Url).Host);
    }

    [Fact]
    public void SiloEnvironment_KubernetesHosting_GetsPodIdentityFromTheDownwardApi()
    {
        var env = Container(SiloDeployment(InClusterRedis), "silo")["env"]!.AsArray()
            .ToDictionary(v => (string)v!["name"]!, v => v!["valueFrom"]?["fieldRef"]?["fieldPath"]?.GetValue<string>());

        // The variables Microsoft.Orleans.Hosting.Kubernetes reads (KubernetesHostingOptions).
        Assert.Equal("metadata.name", env["POD_NAME"]);
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"]);
        Assert.Equal("status.podIP", env["POD_IP"]);
    }

    [Fact]
    public void SiloPorts_ContainerPortsServicesAndProbes_MatchTheSiloSettings()
    {
        var deployment = SiloDeployment(InClusterRedis);
        var settings = SiloContract.Bind(Environment(deployment, "silo"));
        var container = Container(deployment, "silo");
        var ports = container["ports"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => int.Parse((string)p!["containerPort"]!));

        Assert.Equal(new Dictionary<string, int>
        {
            ["silo"] = settings.SiloPort,
            ["gateway"] = settings.GatewayPort,
            ["http"] = SiloContract.HttpPort(settings),
        }, ports);
        Assert.Equal((11111, 30000, 8080), (settings.SiloPort, settings.GatewayPort, SiloContract.HttpPort(settings)));

        var gateway = Single(InClusterRedis, "Service", "orleansnodes-gateway")["spec"]!["ports"]!.AsArray().Single()!;
        Assert.Equal(("30000", "gateway"), ((string)gateway["port"]!, (string)gateway["targetPort"]!));
        var dashboard = Single(InClusterRedis, "Service", "orleansnodes-dashboard")["spec"]!["ports"]!.AsArray().Single()!;
        Assert.Equal(("8080", "http"), ((string)dashboard["port"]!, (string)dashboard["targetPort"]!));

        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            Assert.Equal("http", (string)container[probe]!["httpGet"]!["port"]!);
    }

    [Fact]
    public void SiloProbes_Paths_AreTheSiloHealthEndpoints()
    {
        var container = Container(SiloDeployment(InClusterRedis), "silo");

        Assert.Equal(SiloContract.LivePath, (string)container["startupProbe"]!["httpGet"]!["path"]!);
        Assert.Equal(SiloContract.LivePath, (string)container["livenessProbe"]!["httpGet"]!["path"]!);
        Assert.Equal(SiloContract.ReadyPath, (string)container["readinessProbe"]!["httpGet"]!["path"]!);
    }

    [Fact]
    public void OrleansLabels_OnThePods_MatchTheClusterAndServiceIds()
    {
        var deployment = SiloDeployment(InClusterRedis);
        var labels = Labels(PodTemplate(deployment));
        var environment = Environment(deployment, "silo");

        // The pod labels Microsoft.Orleans.Hosting.Kubernetes selects silos by.
        Assert.Equal(environment["ORLEANS_SERVICE_ID"], labels["orleans/serviceId"]);
        Assert.Equal(environment["ORLEANS_CLUSTER_ID"], labels["orleans/clusterId"]);
        var settings = SiloContract.Bind(environment);
        Assert.Equal((settings.ServiceId, settings.ClusterId), (labels["orleans/serviceId"], labels["orleans/clusterId"]));
    }

    [Fact]
    public void Selectors_OfDeploymentServicesAndBudget_SelectTheSiloPods()
    {
        var deployment = SiloDeployment(InClusterRedis);
        var podLabels = Labels(PodTemplate(deployment));
        var selectors = new Dictionary<string, Dictionary<string, string>>
        {
            ["Deployment"] = MatchLabels(deployment["spec"]!["selector"]),
            ["PodDisruptionBudget"] = MatchLabels(Single(InClusterRedis, "PodDisruptionBudget", "orleansnodes-silo")["spec"]!["selector"]),
            ["gateway Service"] = Single(InClusterRedis, "Service", "orleansnodes-gateway")["spec"]!["selector"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!),
            ["dashboard Service"] = Single(InClusterRedis, "Service", "orleansnodes-dashboard")["spec"]!["selector"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!),
        };

        Assert.All(selectors, selector =>
        {
            Assert.NotEmpty(selector.Value);
            Assert.All(selector.Value, label => Assert.True(podLabels.GetValueOrDefault(label.Key) == label.Value, $"{selector.Key} selects {label.Key}={label.Value}, not on the silo pods"));
        });
    }

    [Fact]
    public void DisruptionBudget_ForThreeSilos_KeepsTwo()
    {
        var budget = Single(InClusterRedis, "PodDisruptionBudget", "orleansnodes-silo");

        Assert.Equal("3", (string)SiloDeployment(InClusterRedis)["spec"]!["replicas"]!);
        Assert.Equal("2", (string)budget["spec"]!["minAvailable"]!);
    }

    [Fact]
    public void Rbac_SiloServiceAccount_MayDoWhatKubernetesHostingDoesAndNoMore()
    {
        var role = Single(InClusterRedis, "Role", "orleansnodes-silo");
        var binding = Single(InClusterRedis, "RoleBinding", "orleansnodes-silo");
        var serviceAccount = (string)PodTemplate(SiloDeployment(InClusterRedis))["spec"]!["serviceAccountName"]!;

        var rule = role["rules"]!.AsArray().Single()!;
        Assert.Equal(["pods"], rule["resources"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(["get", "list", "patch", "watch"], rule["verbs"]!.AsArray().Select(v => (string)v!).Order());
        Assert.Equal(("Role", "orleansnodes-silo"), ((string)binding["roleRef"]!["kind"]!, (string)binding["roleRef"]!["name"]!));
        var subject = binding["subjects"]!.AsArray().Single()!;
        Assert.Equal(("ServiceAccount", serviceAccount, "orleansnodes"), ((string)subject["kind"]!, (string)subject["name"]!, (string)subject["namespace"]!));
        Single(InClusterRedis, "ServiceAccount", serviceAccount);
    }

    [Fact]
    public void SiloPod_SecurityContext_RunsAsTheImageUserWithAReadOnlyRoot()
    {
        var pod = PodTemplate(SiloDeployment(InClusterRedis))["spec"]!;
        var container = Container(SiloDeployment(InClusterRedis), "silo");

        Assert.Equal("true", (string)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.Equal(DockerfileTests.ImageUserId.ToString(), (string)pod["securityContext"]!["runAsUser"]!);
        Assert.Equal("true", (string)container["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.Equal("false", (string)container["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Contains(container["volumeMounts"]!.AsArray(), mount => (string)mount!["mountPath"]! == "/tmp");
        Assert.NotNull(container["resources"]!["requests"]);
        Assert.NotNull(container["resources"]!["limits"]);
    }

    [Fact]
    public void Secrets_AllCredentials_ComeFromTheSecretNotTheManifests()
    {
        Assert.DoesNotContain(InClusterRedis, o => Kind(o) == "Secret");
        foreach (var workload in InClusterRedis.Where(o => Kind(o) is "Deployment" or "StatefulSet"))
        {
            foreach (var container in PodTemplate(workload)["spec"]!["containers"]!.AsArray())
            {
                foreach (var variable in container!["env"]?.AsArray() ?? [])
                {
                    var name = (string)variable!["name"]!;
                    if (name.Contains("PASSWORD", StringComparison.Ordinal) || name.Contains("CONNECTIONSTRING", StringComparison.Ordinal) || name.Contains("AUTH", StringComparison.Ordinal))
                        Assert.True(variable["valueFrom"]?["secretKeyRef"] is not null, $"{Name(workload)}: {name} must come from a Secret");
                }
            }
        }
    }

    [Fact]
    public void Redis_StatefulSet_FsyncsTheAppendOnlyFileOnItsVolumeBeforeAcknowledging()
    {
        var redis = Single(InClusterRedis, "StatefulSet", "redis");
        var container = Container(redis, "redis");
        var arguments = container["args"]!.AsArray().Select(a => (string)a!).ToList();

        Assert.Equal("yes", arguments[arguments.IndexOf("--appendonly") + 1]);
        Assert.Equal("always", arguments[arguments.IndexOf("--appendfsync") + 1]);
        Assert.Equal("256mb", arguments[arguments.IndexOf("--auto-aof-rewrite-min-size") + 1]);
        var dataDirectory = arguments[arguments.IndexOf("--dir") + 1];
        var mount = container["volumeMounts"]!.AsArray().Single(m => (string)m!["mountPath"]! == dataDirectory)!;
        var claim = redis["spec"]!["volumeClaimTemplates"]!.AsArray().Single()!;
        Assert.Equal((string)claim["metadata"]!["name"]!, (string)mount["name"]!);
        Assert.Equal("None", (string)Single(InClusterRedis, "Service", "redis")["spec"]!["clusterIP"]!);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void TlsComponent_AddedToAVariant_MountsTheCertificateSecretWhereTheSiloReadsIt(string variant)
    {
        var rendered = Rendered(variant, "tls");
        var validation = Tools.ValidateKubernetes(rendered);
        var deployment = SiloDeployment(Yaml.Documents(rendered));
        var container = Container(deployment, "silo");
        var environment = Environment(deployment, "silo");
        var settings = SiloContract.Bind(environment);

        Assert.True(validation.ExitCode == 0, validation.Describe());
        Assert.Empty(settings.Problems());
        Assert.True(settings.Tls.Enabled);
        Assert.Equal("secret:orleansnodes-tls/pfx-password", settings.Tls.CertificatePassword);
        var mount = container["volumeMounts"]!.AsArray().Single(m => (string)m!["name"]! == "tls")!;
        Assert.Equal("true", (string)mount["readOnly"]!);
        Assert.StartsWith((string)mount["mountPath"]! + "/", settings.Tls.CertificatePath);
        Assert.StartsWith((string)mount["mountPath"]! + "/", settings.Tls.CaCertificatePath);
        var volume = PodTemplate(deployment)["spec"]!["volumes"]!.AsArray().Single(v => (string)v!["name"]! == "tls")!;
        Assert.Equal("orleansnodes-tls", (string)volume["secret"]!["secretName"]!);
        // The patch adds to the silo's environment and mounts; it replaces none of them.
        Assert.Equal(Environment(SiloDeployment(InClusterRedis), "silo").Count + 3, environment.Count);
        Assert.Contains(container["volumeMounts"]!.AsArray(), m => (string)m!["mountPath"]! == "/tmp");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void MonitoringComponent_AddedToAVariant_AddsOnlyAServiceMonitorThatMatchesTheOperatorsSchema(string variant)
    {
        static string[] Names(IEnumerable<JsonObject> objects) => objects.Select(o => $"{Kind(o)}/{Name(o)}").Order().ToArray();
        var rendered = Rendered(variant, "monitoring");
        var validation = Tools.ValidateKubernetes(rendered);
        var objects = Yaml.Documents(rendered);
        var without = variant.Length == 0 ? InClusterRedis : ExternalRedis;

        Assert.True(validation.ExitCode == 0, validation.Describe());
        Assert.Equal(["ServiceMonitor/orleansnodes-silo"], Names(objects).Except(Names(without)));
        Assert.Empty(Names(without).Except(Names(objects)));
        Assert.Equal(SiloDeployment(without).ToJsonString(), SiloDeployment(objects).ToJsonString());
    }

    [Fact]
    public void Validator_ServiceMonitorMisspeltField_IsReported()
    {
        // The operator's schema is a closed one like the Kubernetes schemas: a typo in basicAuth
        // would otherwise leave the scrape without credentials, and every scrape refused.
        var broken = Repository.Read("infra", "kubernetes", "components", "monitoring", "servicemonitor.yaml")
            .Replace("basicAuth:", "basicauth:", StringComparison.Ordinal);

        var result = Tools.ValidateKubernetes(broken);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/spec/endpoints/0/basicauth is not a field of this object", result.Output);
    }

    [Fact]
    public void ServiceMonitor_Endpoint_ScrapesTheSiloHttpPortOnItsMetricsPath()
    {
        var objects = Yaml.Documents(Rendered("", "monitoring"));
        var monitor = Single(objects, "ServiceMonitor", "orleansnodes-silo");
        var endpoint = monitor["spec"]!["endpoints"]!.AsArray().Single()!;
        var deployment = SiloDeployment(objects);
        var settings = SiloContract.Bind(Environment(deployment, "silo"));
        var namespaceName = (string)monitor["metadata"]!["namespace"]!;

        // The operator selects Services of its own namespace by label, then their endpoints by port name.
        var selected = objects.Where(o => Kind(o) == "Service" && (string?)o["metadata"]!["namespace"] == namespaceName
            && MatchLabels(monitor["spec"]!["selector"]).All(label => Labels(o).GetValueOrDefault(label.Key) == label.Value)).ToList();
        var port = (string)endpoint["port"]!;
        var scraped = Assert.Single(selected, service => service["spec"]!["ports"]!.AsArray().Any(p => (string)p!["name"]! == port));
        Assert.Equal("orleansnodes-dashboard", Name(scraped));
        Assert.Equal((string)deployment["metadata"]!["namespace"]!, namespaceName);
        var targetPort = (string)scraped["spec"]!["ports"]!.AsArray().Single(p => (string)p!["name"]! == port)!["targetPort"]!;
        var containerPort = Container(deployment, "silo")["ports"]!.AsArray().Single(p => (string)p!["name"]! == targetPort)!;
        Assert.Equal(SiloContract.HttpPort(settings).ToString(), (string)containerPort["containerPort"]!);
        Assert.Equal(Telemetry.MetricsPath, (string)endpoint["path"]!);
        Assert.Equal(new Uri(settings.Url).Scheme, (string)endpoint["scheme"]!);
    }

    [Fact]
    public void ServiceMonitor_BasicAuth_SendsTheCredentialsTheSiloChecks()
    {
        var objects = Yaml.Documents(Rendered("", "monitoring"));
        var basicAuth = Single(objects, "ServiceMonitor", "orleansnodes-silo")["spec"]!["endpoints"]!.AsArray().Single()!["basicAuth"]!;
        var settings = SiloContract.Bind(Environment(SiloDeployment(objects), "silo"));

        // Off loopback the silo serves /metrics only to its dashboard credentials (DashboardAuthentication).
        Assert.False(DashboardAuthentication.IsLoopback(settings.Url));
        Assert.Equal(settings.Dashboard.Username, $"secret:{basicAuth["username"]!["name"]}/{basicAuth["username"]!["key"]}");
        Assert.Equal(settings.Dashboard.Password, $"secret:{basicAuth["password"]!["name"]}/{basicAuth["password"]!["key"]}");
    }
}
