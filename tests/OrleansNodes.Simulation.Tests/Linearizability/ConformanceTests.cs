using OrleansNodes.Simulation.Linearizability;

namespace OrleansNodes.Simulation.Tests.Linearizability;

/// <summary>
/// Reproduces every verdict of the conformance corpus: Jepsen's etcd register logs and
/// key-value logs from Porcupine's test data, judged by a checker nobody on this project wrote.
/// </summary>
public sealed class ConformanceTests
{
    private const string Missing = "(corpus missing)";

    public static TheoryData<string, string> Files()
    {
        var data = new TheoryData<string, string>();
        try
        {
            foreach (var (file, verdict) in ConformanceCorpus.Verdicts()) data.Add(file, verdict);
        }
        catch (FileNotFoundException)
        {
            // Surface the absence as a failing case rather than an empty theory that passes.
            data.Add(Missing, Missing);
        }
        return data;
    }

    [Fact]
    public void Corpus_IsPresent_ListsEveryFile()
    {
        var verdicts = ConformanceCorpus.Verdicts();

        Assert.Equal(102, verdicts.Count(v => v.File.StartsWith("jepsen/", StringComparison.Ordinal) && v.Verdict != "NO_VERDICT"));
        Assert.Equal(6, verdicts.Count(v => v.File.StartsWith("kv/", StringComparison.Ordinal)));
        Assert.Single(verdicts, v => v.Verdict == "NO_VERDICT");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Check_CorpusFile_ReproducesVerdict(string file, string verdict)
    {
        Assert.True(file != Missing, $"the conformance corpus is missing: expected {ConformanceCorpus.VerdictsPath}");
        var path = Path.Combine(ConformanceCorpus.Directory, file);
        var isJepsen = file.StartsWith("jepsen/", StringComparison.Ordinal);
        var history = isJepsen ? JepsenEtcdLog.Load(path) : EdnKeyValueLog.Load(path);
        if (verdict == "NO_VERDICT") return; // the empty file: parsing it is the test

        var result = LinearizabilityChecker.Check(history, isJepsen ? CasRegisterModel.Instance : KeyValueModel.Instance);

        var expected = verdict == "LINEARIZABLE" ? Verdict.Linearizable : Verdict.NotLinearizable;
        Assert.True(expected == result.Verdict, $"{file}: expected {expected}, got {result.Explanation}");
        if (expected == Verdict.NotLinearizable)
        {
            // The counterexample must itself be a violation, and small: every file in the corpus
            // shrinks to a handful of operations from a couple of hundred.
            Assert.InRange(result.Counterexample.Length, 1, 10);
            var again = LinearizabilityChecker.Check(new History(result.Counterexample), isJepsen ? CasRegisterModel.Instance : KeyValueModel.Instance,
                new CheckOptions { Explain = false });
            Assert.Equal(Verdict.NotLinearizable, again.Verdict);
        }
    }
}
