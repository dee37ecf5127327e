using System.CommandLine;

namespace OrleansNodes.Client.Commands;

/// <summary>
/// Range rules for options, reported as parse errors (exit code 2) rather than exceptions. Every
/// option that sizes memory or time has an upper bound (<see cref="Range(Option{int}, int, int)"/>):
/// a slip of the keyboard must not start a run that eats the machine.
/// </summary>
public static class OptionRules
{
    /// <summary>Adds a rule that <paramref name="ok"/> holds for the option's value, with <paramref name="message"/> when it does not.</summary>
    public static Option<T> Require<T>(Option<T> option, Func<T, bool> ok, string message)
    {
        option.Validators.Add(result =>
        {
            // A value that does not even convert is already a parse error; say nothing more about it.
            if (result.Tokens.Count == 0 && result.Implicit) return;
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return;
            }
            if (!ok(value)) result.AddError(message);
        });
        return option;
    }

    /// <summary>A file to write: not a directory, in a folder that exists ("--html x/y.html: its folder does not exist").</summary>
    public static Option<FileInfo?> NewFile(Option<FileInfo?> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo?>() is { } file && (Directory.Exists(file.FullName) || !Directory.Exists(file.DirectoryName)))
                result.AddError($"{option.Name} {file}: {(Directory.Exists(file.FullName) ? "is a directory" : "its folder does not exist")}");
        });
        return option;
    }

    /// <summary>The value must be from <paramref name="min"/> to <paramref name="max"/>: "--steps must be from 1 to 100000".</summary>
    public static Option<int> Range(Option<int> option, int min, int max) =>
        Require(option, v => v >= min && v <= max, Between(option, min, max));

    /// <summary>The value, when given, must be from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int?> Range(Option<int?> option, int min, int max) =>
        Require(option, v => v is null || (v >= min && v <= max), Between(option, min, max));

    /// <summary>The value must be from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<long> Range(Option<long> option, long min, long max) =>
        Require(option, v => v >= min && v <= max, Between(option, min, max));

    /// <summary>The value, when given, must be from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<long?> Range(Option<long?> option, long min, long max) =>
        Require(option, v => v is null || (v >= min && v <= max), Between(option, min, max));

    private static string Between(Option option, long min, long max) => $"{option.Name} must be from {min} to {max}";
}
