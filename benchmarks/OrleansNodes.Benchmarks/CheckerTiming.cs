using System.Diagnostics;
using System.Reflection;
using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Benchmarks;

/// <summary>The linearizability checker on a large generated history and on the conformance corpus.</summary>
public static class CheckerTiming
{
    /// <summary>Times checking a generated linearizable history; the generation itself is the baseline.</summary>
    public static (TimeSpan Generate, TimeSpan Check, Verdict Verdict, long SearchSteps) Generated(int operations, int keys, int clients, int timeoutsPerThousand)
    {
        History? history = null;
        var generate = Measure.Median(5, () => history = HistoryGenerator.Linearizable(7, operations, keys, clients, timeoutsPerThousand));
        CheckResult? result = null;
        var check = Measure.Median(5, () => result = LinearizabilityChecker.Check(history!, KeyValueModel.Instance, CheckOptions.Default with { Explain = false }));
        return (generate, check, result!.Verdict, result.Steps);
    }

    /// <summary>Every corpus file checked (verdict only, then with explanations); the slowest file; mismatches against verdicts.tsv.</summary>
    public static (int Files, TimeSpan VerdictsOnly, TimeSpan WithExplanations, string Slowest, TimeSpan SlowestTime, int Mismatches) Corpus()
    {
        var root = typeof(CheckerTiming).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
        var corpus = Path.GetFullPath(Path.Combine(root, "..", "shared", "conformance", "linearizability"));
        var cases = File.ReadAllLines(Path.Combine(corpus, "verdicts.tsv"))
            .Select(line => line.Split('\t'))
            .Where(cols => cols.Length == 2 && cols[1] != "NO_VERDICT")
            .Select(cols => (Name: cols[0], Expected: cols[1] == "LINEARIZABLE", Text: File.ReadAllText(Path.Combine(corpus, cols[0]))))
            .ToList();

        (History, IModel) Load((string Name, bool Expected, string Text) c) =>
            c.Name.StartsWith("jepsen/", StringComparison.Ordinal)
                ? (JepsenEtcdLog.Parse(c.Text, c.Name), CasRegisterModel.Instance)
                : (EdnKeyValueLog.Parse(c.Text, c.Name), KeyValueModel.Instance);

        var loaded = cases.Select(c => (c.Name, c.Expected, Parsed: Load(c))).ToList();
        var mismatches = 0;
        var verdictsOnly = Measure.Median(3, () =>
        {
            mismatches = 0;
            foreach (var (_, expected, (history, model)) in loaded)
                if (LinearizabilityChecker.Check(history, model, CheckOptions.Default with { Explain = false }).IsLinearizable != expected) mismatches++;
        });
        var slowest = ("", TimeSpan.Zero);
        var withExplanations = Measure.Median(3, () =>
        {
            foreach (var (name, _, (history, model)) in loaded)
            {
                var watch = Stopwatch.StartNew();
                LinearizabilityChecker.Check(history, model);
                if (watch.Elapsed > slowest.Item2) slowest = (name, watch.Elapsed);
            }
        });
        return (loaded.Count, verdictsOnly, withExplanations, slowest.Item1, slowest.Item2, mismatches);
    }
}
