using System.Reflection;

namespace OrleansNodes.Simulation.Tests.Linearizability;

/// <summary>
/// Finds the conformance corpus, which lives beside the repository in
/// <c>../shared/conformance/linearizability</c> (a sibling of a CI clone, too), and reads
/// its <c>verdicts.tsv</c>.
/// </summary>
internal static class ConformanceCorpus
{
    public static string RepositoryRoot =>
        typeof(ConformanceCorpus).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string Directory =>
        Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "conformance", "linearizability"));

    public static string VerdictsPath => Path.Combine(Directory, "verdicts.tsv");

    /// <summary>The rows of verdicts.tsv: a path relative to the corpus and LINEARIZABLE, NOT_LINEARIZABLE or NO_VERDICT.</summary>
    public static IReadOnlyList<(string File, string Verdict)> Verdicts()
    {
        if (!File.Exists(VerdictsPath))
            throw new FileNotFoundException(
                $"the linearizability conformance corpus is missing: expected {VerdictsPath} (the corpus lives in ../shared beside the repository)");
        return [.. File.ReadLines(VerdictsPath)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'))
            .Select(fields => (fields[0], fields[1]))];
    }
}
