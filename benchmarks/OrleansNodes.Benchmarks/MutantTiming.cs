using System.Diagnostics;
using OrleansNodes.Protocols.Tests.Mutants;
using OrleansNodes.Simulation;

namespace OrleansNodes.Benchmarks;

/// <summary>How long the simulator takes to find each deliberately broken Paxos, from several starting seeds.</summary>
public static class MutantTiming
{
    /// <summary>One mutant's figures: medians over the hunts.</summary>
    public sealed record Result(string Mutant, int Hunts, int Found, double MedianRuns, long MedianSteps, TimeSpan MedianFind, TimeSpan MedianFindAndShrink, int MedianShrunkDecisions, string Property);

    /// <summary>Hunts every mutant from <paramref name="hunts"/> different first seeds.</summary>
    public static IEnumerable<Result> Run(int hunts, int maxSeeds)
    {
        foreach (var mutantCase in MutantHunt.Cases)
        {
            var find = new List<TimeSpan>();
            var findAndShrink = new List<TimeSpan>();
            var runs = new List<int>();
            var steps = new List<long>();
            var shrunk = new List<int>();
            var property = "";
            for (var hunt = 0; hunt < hunts; hunt++)
            {
                var firstSeed = 1UL + (ulong)hunt * 100_000;
                var unshrunk = mutantCase with { Options = mutantCase.Options with { Shrink = false } };
                var watch = Stopwatch.StartNew();
                var found = MutantHunt.Find(unshrunk, maxSeeds, firstSeed);
                var findTime = watch.Elapsed;
                if (found is null) continue;
                watch.Restart();
                var full = MutantHunt.Find(mutantCase, maxSeeds, firstSeed)!;
                findAndShrink.Add(watch.Elapsed);
                find.Add(findTime);
                runs.Add(found.Runs);
                steps.Add(found.Steps);
                shrunk.Add(full.ShrunkDecisions);
                property = full.Violation.Property;
            }

            yield return new Result(
                mutantCase.ToString(), hunts, find.Count,
                Median(runs.Select(r => (double)r)), (long)Median(steps.Select(s => (double)s)),
                TimeSpan.FromTicks((long)Median(find.Select(t => (double)t.Ticks))),
                TimeSpan.FromTicks((long)Median(findAndShrink.Select(t => (double)t.Ticks))),
                (int)Median(shrunk.Select(s => (double)s)), property);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }
}
