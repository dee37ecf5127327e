using System.Globalization;

namespace OrleansNodes.Simulation.Linearizability;

/// <summary>
/// Reads a Jepsen log of etcd's compare-and-set register (the format of Porcupine's test data):
/// lines like <c>INFO  jepsen.util - 3	:invoke	:cas	[1 4]</c>, one event each, in real-time
/// order; every other line is ignored. An operation's positions are the line numbers of its
/// events, so an explanation points straight into the log. Check the result with
/// <see cref="CasRegisterModel"/>.
/// </summary>
public static class JepsenEtcdLog
{
    /// <summary>The key every operation uses: the test has one register.</summary>
    public const string Key = "register";

    private const string Marker = "jepsen.util - ";

    /// <summary>Reads the log at <paramref name="path"/>.</summary>
    /// <exception cref="HistoryFormatException">An event line cannot be understood.</exception>
    public static History Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>
    /// Parses <paramref name="text"/>. <c>:fail</c> on a cas means the comparison failed; on a
    /// read (<c>:timed-out</c>) the result is unknown; <c>:info</c> and operations still open at
    /// the end have unknown outcomes.
    /// </summary>
    /// <exception cref="HistoryFormatException">An event line cannot be understood; the message names the line.</exception>
    public static History Parse(string text, string fileName = "etcd.log")
    {
        ArgumentNullException.ThrowIfNull(text);
        var events = new JepsenEvents();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            var marker = line.IndexOf(Marker, StringComparison.Ordinal);
            if (marker < 0) continue;
            var fields = line[(marker + Marker.Length)..].Split([' ', '\t', '\r'], 4, StringSplitOptions.RemoveEmptyEntries);
            HistoryFormatException Error(string reason) => new(fileName, lineNumber, reason);
            if (fields.Length < 4) throw Error($"expected \"<process> <type> <f> <value>\" after \"{Marker.Trim()}\"");
            if (!long.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var process))
                throw Error($"process {Command.Quote(fields[0])} is not an integer");
            var (type, f, value) = (fields[1], fields[2], fields[3].Trim());

            if (type == ":invoke")
            {
                var command = f switch
                {
                    ":read" => Command.Get(Key),
                    ":write" => Command.Put(Key, value),
                    ":cas" => ParseCas(value) is var (from, to) ? Command.Cas(Key, from, to) : throw Error($"cas value {value} is not [FROM TO]"),
                    _ => throw Error($"unknown operation {f} (expected :read, :write or :cas)"),
                };
                events.Invoke(process, command, lineNumber, Error);
                continue;
            }

            var (index, invoked) = events.Complete(process, Error);
            var expectedF = invoked.Command.Kind switch { OperationKind.Get => ":read", OperationKind.Put => ":write", _ => ":cas" };
            if (f != expectedF) throw Error($"process {process} completes {f} but invoked {expectedF} on line {invoked.Invoke}");
            events.Resolve(index, (type, invoked.Command.Kind) switch
            {
                (":ok", OperationKind.Get) => invoked with { Complete = lineNumber, Result = OperationResult.Read(value == "nil" ? null : value) },
                (":ok", _) => invoked with { Complete = lineNumber, Result = OperationResult.Ok },
                (":fail", OperationKind.Cas) => invoked with { Complete = lineNumber, Result = OperationResult.Failed },
                (":fail", OperationKind.Get) => invoked, // a read that failed observed nothing
                (":fail", _) => null,                    // a write that failed did not happen
                (":info", _) => invoked,                 // indeterminate: may take effect later, or never
                _ => throw Error($"unknown event type {type} (expected :invoke, :ok, :fail or :info)"),
            });
        }
        return events.ToHistory();
    }

    private static (string From, string To)? ParseCas(string value)
    {
        if (!value.StartsWith('[') || !value.EndsWith(']')) return null;
        var parts = value[1..^1].Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 ? (parts[0], parts[1]) : null;
    }
}
