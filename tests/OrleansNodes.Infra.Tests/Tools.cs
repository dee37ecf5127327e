namespace OrleansNodes.Infra.Tests;

/// <summary>The external tools the infrastructure checks run, and how to get them.</summary>
internal static class Tools
{
    /// <summary>The Bicep CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64, a PackageDownload of this project).</summary>
    public static string Bicep()
    {
        var path = System.IO.Path.Combine(Repository.NuGetPackageRoot, "azure.bicep.commandline.linux-x64", Repository.BicepVersion, "tools", "bicep");
        if (!File.Exists(path))
            throw new InvalidOperationException($"the Bicep CLI is not at {path}; `dotnet restore tests/OrleansNodes.Infra.Tests` downloads it");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }

    /// <summary>Runs the Kubernetes schema validator (infra/validate/validate-k8s.mjs), with manifests on stdin when given.</summary>
    public static ProcessResult ValidateKubernetes(string? manifests = null, params string[] arguments)
    {
        var modules = Repository.Path("infra", "validate", "node_modules", "kubernetes-models");
        if (!Directory.Exists(modules))
            throw new InvalidOperationException("infra/validate/node_modules is missing: run `npm ci --prefix infra/validate` once (CI's .ci/run does)");
        var script = Repository.Path("infra", "validate", "validate-k8s.mjs");
        return ProcessRunner.Run("node", [script, .. manifests is null ? arguments : ["-"]], manifests);
    }

    /// <summary>
    /// The objects infra/kubernetes/<paramref name="variant"/> renders with optional components
    /// (infra/kubernetes/components/*) added, as an operator would add them: through a
    /// kustomization of their own (kustomize accepts only relative paths, hence the temporary folder).
    /// </summary>
    public static string KustomizeWithComponents(string variant, params string[] components)
    {
        var directory = Directory.CreateTempSubdirectory("orleansnodes-kustomize-");
        try
        {
            string Relative(params string[] parts) => System.IO.Path.GetRelativePath(directory.FullName, Repository.Path(["infra", "kubernetes", .. parts])).Replace('\\', '/');
            File.WriteAllText(System.IO.Path.Combine(directory.FullName, "kustomization.yaml"), $"""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - {Relative(variant)}
                components:
                {string.Concat(components.Select(c => $"  - {Relative("components", c)}\n"))}
                """);
            var result = ProcessRunner.Run("kubectl", ["kustomize", directory.FullName]);
            Assert.True(result.ExitCode == 0, $"kubectl kustomize with {string.Join(", ", components)} failed: {result.Describe()}");
            return result.Output;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The objects `kubectl kustomize` renders from a kustomization folder under infra/kubernetes.</summary>
    public static string Kustomize(string folder)
    {
        var result = ProcessRunner.Run("kubectl", ["kustomize", Repository.Path("infra", "kubernetes", folder)]);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {folder} failed: {result.Describe()}");
        return result.Output;
    }
}
