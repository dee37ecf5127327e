namespace OrleansNodes.Simulation;

/// <summary>
/// The last line of a violation report: how to replay its saved schedule. The console replays the
/// schedules of the protocols it ships with (OrleansNodes.Protocols, by name); it cannot build
/// anyone else's protocol or settings, so for any other protocol the hint is the call that replays
/// the schedule from the author's own test, where both are at hand.
/// </summary>
internal static class ReplayHint
{
    /// <summary>The assembly of the protocols the console knows by name (client/ProtocolCatalog.cs).</summary>
    private const string ConsoleProtocols = "OrleansNodes.Protocols";

    /// <summary>The hint for a schedule of <paramref name="protocol"/> saved at <paramref name="schedulePath"/>.</summary>
    /// <param name="protocol">The protocol's type: a subclass in a test assembly (a mutant) is the author's own.</param>
    /// <param name="hasWorkload">Whether the run drove simulated clients, which the replaying simulator needs too.</param>
    /// <param name="schedulePath">Where the schedule was saved.</param>
    public static string For(Type protocol, bool hasWorkload, string schedulePath)
    {
        if (protocol.Assembly.GetName().Name == ConsoleProtocols) return $"orleansnodes sim --replay \"{schedulePath}\"";
        var workload = hasWorkload ? ".WithWorkload(clients)" : "";
        return $"Simulator.Create({Construction(protocol)}, settings){workload}.Replay(Schedule.Load({Literal(schedulePath)}))";
    }

    /// <summary>
    /// <c>new Name()</c> for a protocol with a parameterless constructor; otherwise a placeholder,
    /// since the arguments the run's instance was made with (a mutant's switch) cannot be read back.
    /// </summary>
    private static string Construction(Type protocol) =>
        !protocol.IsGenericType && protocol.GetConstructor(Type.EmptyTypes) is not null ? $"new {protocol.Name}()" : "protocol";

    private static string Literal(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
