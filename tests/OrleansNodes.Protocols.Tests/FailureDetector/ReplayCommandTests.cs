using OrleansNodes.Protocols.FailureDetector;
using OrleansNodes.Simulation;

namespace OrleansNodes.Protocols.Tests.FailureDetector;

/// <summary>
/// A violation of a protocol the console ships with ends with the console command that replays it
/// (the console builds these protocols by name); the authors' own protocols get a test call instead
/// (tests/OrleansNodes.Simulation.Tests/ReplayHintTests.cs).
/// </summary>
public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("on-replay-command-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ReplayCommand_ShippedProtocol_IsTheConsoleCommand()
    {
        // Suspicion after two silent ticks with heartbeats every two: delays alone make a live peer suspect.
        var hasty = new FailureDetectorSettings(HeartbeatIntervalTicks: 2, SuspectAfterTicks: 2);
        var options = SimulationOptions.Default with
        {
            Nodes = 3, Steps = 300, Faults = FaultKinds.Reorder, CheckDeterminism = false, ScheduleDirectory = _directory,
        };

        var violation = Simulator.Create(new HeartbeatFailureDetector(), hasty).RunSuite(20, options).Violation;

        Assert.NotNull(violation);
        // The installed tool's name, or the repository's Release console by absolute path: one line, from any folder.
        Assert.Matches($"^(orleansnodes|dotnet \"/[^\"\\n]*/orleansnodes\\.dll\") sim --replay {System.Text.RegularExpressions.Regex.Escape($"\"{violation.SchedulePath}\"")}$", violation.ReplayCommand);
    }
}
