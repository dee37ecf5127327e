using System.Globalization;

namespace OrleansNodes.Benchmarks.Etcd;

/// <summary>
/// The matrix of the etcd comparison: which operation kinds, session counts and value sizes
/// to measure, on how many keys, for how long, over how many rounds, against which targets.
/// Parsed from <c>--flag value</c> pairs; bad input is one line of error, never a stack trace.
/// </summary>
public sealed record EtcdOptions(
    IReadOnlyList<string> Kinds,
    IReadOnlyList<int> Sessions,
    IReadOnlyList<int> ValueBytes,
    int Keys,
    double DurationSeconds,
    int Rounds,
    double WarmupSeconds,
    IReadOnlyList<string> Targets,
    bool Json,
    bool FreezeOthers = true)
{
    /// <summary>The targets the comparison knows, in the order each cell measures them.</summary>
    public static readonly IReadOnlyList<string> KnownTargets = ["etcd", "embedded", "redis3"];

    /// <summary>The whole matrix the issue asks for, 10 s per run, one round.</summary>
    public static EtcdOptions Default { get; } = new(["put", "get"], [1, 8, 32, 128], [100, 10_240], 1000, 10, 1, 3, KnownTargets, Json: false);

    /// <summary>The usage line.</summary>
    public const string Usage =
        "usage: etcd [--kinds put,get] [--sessions 1,8,32,128] [--value-bytes 100,10240] [--keys 1000] [--duration 10] [--rounds 1] [--warmup 3] [--targets etcd,embedded,redis3] [--no-freeze] [--json]";

    /// <summary>The options <paramref name="args"/> give, or null with a one-line <paramref name="error"/>.</summary>
    public static EtcdOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = Default;
        for (var i = 0; i < args.Count; i++)
        {
            var flag = args[i];
            if (flag == "--json")
            {
                options = options with { Json = true };
                continue;
            }
            if (flag == "--no-freeze")
            {
                options = options with { FreezeOthers = false };
                continue;
            }
            if (flag is not ("--kinds" or "--sessions" or "--value-bytes" or "--keys" or "--duration" or "--rounds" or "--warmup" or "--targets"))
            {
                error = $"unknown option '{flag}'; {Usage}";
                return null;
            }
            if (i + 1 >= args.Count)
            {
                error = $"{flag} needs a value; {Usage}";
                return null;
            }
            var value = args[++i];
            error = null;
            options = flag switch
            {
                "--kinds" => Names(flag, value, ["put", "get"], ref error) is { } kinds ? options with { Kinds = kinds } : null,
                "--targets" => Names(flag, value, KnownTargets, ref error) is { } targets ? options with { Targets = targets } : null,
                "--sessions" => Integers(flag, value, 1, 1000, ref error) is { } sessions ? options with { Sessions = sessions } : null,
                "--value-bytes" => Integers(flag, value, 1, 1 << 20, ref error) is { } sizes ? options with { ValueBytes = sizes } : null,
                "--keys" => Integers(flag, value, 1, 1_000_000, ref error) is [var keys] ? options with { Keys = keys } : Single(flag, ref error),
                "--rounds" => Integers(flag, value, 1, 100, ref error) is [var rounds] ? options with { Rounds = rounds } : Single(flag, ref error),
                "--duration" => Seconds(flag, value, 0.1, ref error) is { } duration ? options with { DurationSeconds = duration } : null,
                _ => Seconds(flag, value, 0, ref error) is { } warmup ? options with { WarmupSeconds = warmup } : null,
            };
            if (options is null) return null;
        }
        error = null;
        return options;
    }

    private static EtcdOptions? Single(string flag, ref string? error)
    {
        error ??= $"{flag} takes one number";
        return null;
    }

    private static IReadOnlyList<string>? Names(string flag, string value, IReadOnlyList<string> known, ref string? error)
    {
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length > 0 && names.All(known.Contains) && names.Distinct().Count() == names.Length) return names;
        error = $"{flag} '{value}': give distinct names among {string.Join(", ", known)}, comma-separated";
        return null;
    }

    private static IReadOnlyList<int>? Integers(string flag, string value, int min, int max, ref string? error)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        var numbers = new List<int>(parts.Length);
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
            {
                error = $"{flag} '{value}': each value must be a whole number from {min} to {max}";
                return null;
            }
            numbers.Add(number);
        }
        return numbers;
    }

    private static double? Seconds(string flag, string value, double min, ref string? error)
    {
        if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds >= min && seconds <= 3600) return seconds;
        error = $"{flag} '{value}': give seconds from {min} to 3600";
        return null;
    }
}
