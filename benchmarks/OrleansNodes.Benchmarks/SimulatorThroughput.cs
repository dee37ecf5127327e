using OrleansNodes.Simulation;

namespace OrleansNodes.Benchmarks;

/// <summary>
/// Simulator throughput against the bare step loop on the same inputs: the ratio is what the
/// simulator (network, faults, persistence, property checks after every step) costs on top of
/// the protocol itself.
/// </summary>
public static class SimulatorThroughput
{
    /// <summary>One protocol's figures.</summary>
    public sealed record Result(string Name, long Steps, long Deliveries, TimeSpan Simulated, TimeSpan Bare)
    {
        public double StepsPerSecond => Measure.Rate(Steps, Simulated);

        public double DeliveriesPerSecond => Measure.Rate(Deliveries, Simulated);

        public double BareStepsPerSecond => Measure.Rate(Steps, Bare);

        public double Overhead => Simulated / Bare;
    }

    /// <summary>Runs <paramref name="seeds"/> seeded runs through the simulator, then re-feeds their inputs to a bare loop.</summary>
    public static Result Run<TSettings, TState, TMessage, TRequest, TReply>(
        string name,
        Simulator<TSettings, TState, TMessage, TRequest, TReply> simulator,
        SimulationOptions options,
        int seeds,
        int rounds)
        where TState : class
    {
        long steps = 0, deliveries = 0;
        var simulated = Measure.Median(rounds, () =>
        {
            steps = 0;
            deliveries = 0;
            for (var seed = 0UL; seed < (ulong)seeds; seed++)
            {
                var report = simulator.Run(seed, options);
                if (!report.Passed) throw new InvalidOperationException($"{name}: seed {seed} failed: {report.Violation!.Message}");
                steps += report.Steps;
                deliveries += report.Deliveries;
            }
        });

        var recordings = Enumerable.Range(0, seeds).Select(seed => simulator.RecordInputs((ulong)seed, options)).ToList();
        var bareSteps = recordings.Sum(r => (long)r.Inputs.Length);
        var bare = Measure.Median(rounds, () =>
        {
            foreach (var recording in recordings) recording.RunBareLoop();
        });
        // The recordings hold the same inputs the simulated runs stepped; scale if a run differs in length.
        return new Result(name, steps, deliveries, simulated, bare * ((double)steps / bareSteps));
    }
}
