using System.CommandLine;

namespace OrleansNodes.Client.Commands;

/// <summary>Range rules for options, reported as parse errors (exit code 2) rather than exceptions.</summary>
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
}
