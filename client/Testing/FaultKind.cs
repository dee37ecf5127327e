namespace OrleansNodes.Client.Testing;

/// <summary>What the nemesis of <c>orleansnodes test</c> does to the cluster it tests.</summary>
public enum FaultKind
{
    /// <summary>SIGKILL a silo; start it again (same data folder and ports) when the fault ends.</summary>
    Kill,

    /// <summary>SIGSTOP a silo, SIGCONT it when the fault ends: a frozen process with its sockets open, as in a long GC pause.</summary>
    Pause,

    /// <summary>Stop a silo gracefully (SIGTERM) and start it again at once.</summary>
    Restart,

    /// <summary>SIGKILL the storage server (the Redis the test started) and start it again when the fault ends.</summary>
    StorageKill,
}

/// <summary>The names <c>--nemesis</c> takes.</summary>
public static class FaultKinds
{
    /// <summary>Every kind with its command-line name, in the order a schedule cycles through them.</summary>
    public static IReadOnlyList<(string Name, FaultKind Kind)> All { get; } =
    [
        ("kill", FaultKind.Kill),
        ("pause", FaultKind.Pause),
        ("restart", FaultKind.Restart),
        ("storage-kill", FaultKind.StorageKill),
    ];

    /// <summary>The kind's command-line name.</summary>
    public static string Name(this FaultKind kind) => All.First(entry => entry.Kind == kind).Name;

    /// <summary>
    /// Parses <c>kill,pause,...</c> (or <c>none</c>, no faults) into distinct kinds in the order
    /// given; null with <paramref name="error"/> set when a name is unknown or repeated.
    /// </summary>
    public static IReadOnlyList<FaultKind>? Parse(string text, out string? error)
    {
        error = null;
        if (text.Trim() == "none") return [];
        var kinds = new List<FaultKind>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var match = All.FirstOrDefault(entry => entry.Name == part);
            if (match.Name is null)
            {
                error = $"--nemesis: unknown fault '{part}' (known: {string.Join(", ", All.Select(entry => entry.Name))}, or none)";
                return null;
            }
            if (kinds.Contains(match.Kind))
            {
                error = $"--nemesis: '{part}' is given twice";
                return null;
            }
            kinds.Add(match.Kind);
        }
        return kinds;
    }
}
