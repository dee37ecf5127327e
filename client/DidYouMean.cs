namespace OrleansNodes.Client;

/// <summary>
/// The nearest known names to a mistyped one, for "did you mean" hints: edit distance with
/// transpositions (optimal string alignment), ignoring case and leading dashes, within a bound
/// that grows with the word's length so that a two-letter slip in <c>clustr</c> is caught but
/// <c>ls</c> is not taken for <c>kv</c>.
/// </summary>
public static class DidYouMean
{
    /// <summary>The known names nearest to <paramref name="typed"/>, best first; empty when none is near enough.</summary>
    public static IReadOnlyList<string> Nearest(string typed, IEnumerable<string> known)
    {
        var word = typed.TrimStart('-').ToLowerInvariant();
        // One letter is too little to guess from: '-x' is near every short alias.
        if (word.Length < 2) return [];
        var bound = word.Length switch { <= 3 => 1, <= 6 => 2, _ => 3 };
        var scored = known.Distinct(StringComparer.Ordinal)
            .Select(name => (Name: name, Distance: Distance(word, name.TrimStart('-').ToLowerInvariant())))
            .Where(s => s.Distance <= bound)
            .ToList();
        if (scored.Count == 0) return [];
        var best = scored.Min(s => s.Distance);
        return [.. scored.Where(s => s.Distance == best).Select(s => s.Name)];
    }

    /// <summary>"; did you mean 'sim'?" (or "'a' or 'b'"), or empty when nothing is near.</summary>
    public static string Hint(string typed, IEnumerable<string> known)
    {
        var nearest = Nearest(typed, known);
        return nearest.Count == 0 ? "" : $"; did you mean {string.Join(" or ", nearest.Take(3).Select(n => $"'{n}'"))}?";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
