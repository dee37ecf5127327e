using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace OrleansNodes.Simulation;

/// <summary>
/// Says what changed between two versions of a record, member by member, the way a person
/// reads a trace: <c>ballot: 3 → 5, promised: n1 → n2</c>. Nested records are compared member
/// by member too (<c>leader.ballot: ...</c>); collections are printed whole. Used only when
/// a trace is being written.
/// </summary>
public static class StructuralDiff
{
    private const int MaxNesting = 3;
    private const int MaxValueLength = 160;

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> _members = new();

    /// <summary>The changed members of <paramref name="after"/> relative to <paramref name="before"/>; empty when nothing changed.</summary>
    public static string Describe(object? before, object? after)
    {
        if (ReferenceEquals(before, after)) return string.Empty;
        return string.Join(", ", Changes(before, after).Select(c => $"{c.Path}: {c.Before} → {c.After}"));
    }

    /// <summary>The changed members as (path, before, after), in declaration order; what <see cref="Describe"/> joins into a line.</summary>
    internal static List<(string Path, string Before, string After)> Changes(object? before, object? after)
    {
        var changes = new List<(string Path, string Before, string After)>();
        if (!ReferenceEquals(before, after)) Compare(before, after, string.Empty, 0, changes);
        return changes;
    }

    /// <summary>Prints a value for a trace: records as <c>Type { A = 1 }</c>, collections as <c>[a, b]</c>, dictionaries as <c>{k: v}</c>.</summary>
    public static string Format(object? value) => Format(value, MaxValueLength);

    /// <summary>Like <see cref="Format(object?)"/>, cut at <paramref name="maxLength"/> characters.</summary>
    internal static string Format(object? value, int maxLength)
    {
        var text = new StringBuilder();
        Append(text, value, 0, maxLength);
        return text.Length <= maxLength ? text.ToString() : string.Concat(text.ToString(0, maxLength - 1), "…");
    }

    private static void Compare(object? before, object? after, string path, int nesting, List<(string Path, string Before, string After)> changes)
    {
        if (ReferenceEquals(before, after) || StructuralHash.AreEqual(before, after)) return;
        if (before is not null && after is not null && before.GetType() == after.GetType() && nesting < MaxNesting &&
            (IsComposite(before.GetType()) || nesting == 0 && IsWholeState(before.GetType())))
        {
            var before0 = changes.Count;
            foreach (var member in Members(before.GetType()))
            {
                var name = path.Length == 0 ? CamelCase(member.Name) : path + "." + CamelCase(member.Name);
                Compare(member.GetValue(before), member.GetValue(after), name, nesting + 1, changes);
            }

            if (changes.Count > before0) return;
        }

        var label = path.Length == 0 ? "state" : path;
        changes.Add((label, Format(before), Format(after)));
    }

    /// <summary>
    /// A node's whole state is compared member by member even when it has a ToString of its own:
    /// that is a summary of everything (the key-value store's role, ballot, indexes, counts), and a
    /// trace that printed it twice would hide the one field that changed.
    /// </summary>
    private static bool IsWholeState(Type type) =>
        type != typeof(string) && !type.IsPrimitive && !type.IsEnum && !typeof(IEnumerable).IsAssignableFrom(type) && Members(type).Length > 1;

    /// <summary>Records are compared member by member, unless their author wrote a ToString: then it is the view to show (<c>n1 → n2</c>, not <c>value: 1 → 2</c>).</summary>
    private static bool IsComposite(Type type) =>
        type != typeof(string) && !type.IsPrimitive && !type.IsEnum && type != typeof(decimal)
        && !typeof(IEnumerable).IsAssignableFrom(type) && Members(type).Length > 0 && UsesGeneratedToString(type);

    private static PropertyInfo[] Members(Type type) =>
        _members.GetOrAdd(type, t => [.. t.GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract" && HasBackingField(t, p))
            .OrderBy(p => p.MetadataToken)]);

    private static bool HasBackingField(Type type, PropertyInfo property) =>
        type.GetField($"<{property.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic) is not null;

    private static string CamelCase(string name) =>
        name.Length > 0 && char.IsUpper(name[0]) ? char.ToLowerInvariant(name[0]) + name[1..] : name;

    private static void Append(StringBuilder text, object? value, int depth, int limit)
    {
        if (text.Length > limit) return;
        switch (value)
        {
            case null:
                text.Append("null");
                return;
            case string s:
                text.Append(s);
                return;
            case IFormattable f when value.GetType().IsPrimitive || value is decimal || value.GetType().IsEnum:
                text.Append(f.ToString(null, CultureInfo.InvariantCulture));
                return;
            case IDictionary dictionary:
                AppendDictionary(text, dictionary, depth, limit);
                return;
            case IEnumerable sequence:
                AppendSequence(text, value, sequence, depth, limit);
                return;
        }

        var type = value.GetType();
        if (depth < MaxNesting && UsesGeneratedToString(type))
        {
            text.Append(type.Name.Split('`')[0]).Append(" { ");
            var first = true;
            foreach (var member in Members(type))
            {
                if (!first) text.Append(", ");
                first = false;
                text.Append(member.Name).Append(" = ");
                Append(text, member.GetValue(value), depth + 1, limit);
            }

            text.Append(first ? "}" : " }");
            return;
        }

        text.Append(value);
    }

    private static void AppendDictionary(StringBuilder text, IDictionary dictionary, int depth, int limit)
    {
        // Sorted by the printed key so that two runs print the same line.
        var entries = new List<(string Key, object? Value)>();
        foreach (DictionaryEntry entry in dictionary) entries.Add((Format(entry.Key), entry.Value));
        entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        text.Append('{');
        for (var i = 0; i < entries.Count; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(entries[i].Key).Append(": ");
            Append(text, entries[i].Value, depth + 1, limit);
        }

        text.Append('}');
    }

    private static void AppendSequence(StringBuilder text, object value, IEnumerable sequence, int depth, int limit)
    {
        var type = value.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>)
            && (bool)type.GetProperty(nameof(ImmutableArray<int>.IsDefault))!.GetValue(value)!)
        {
            text.Append("[]");
            return;
        }

        text.Append('[');
        var first = true;
        foreach (var item in sequence)
        {
            if (!first) text.Append(", ");
            first = false;
            Append(text, item, depth + 1, limit);
            if (text.Length > limit) break;
        }

        text.Append(']');
    }

    private static bool UsesGeneratedToString(Type type)
    {
        // A record's compiler-written ToString prints collections as type names; print those
        // members ourselves. A hand-written ToString is the author's chosen view: keep it.
        var toString = type.GetMethod(nameof(ToString), BindingFlags.Instance | BindingFlags.Public, Type.EmptyTypes);
        if (toString is null || toString.DeclaringType == typeof(object) || toString.DeclaringType == typeof(ValueType))
            return Members(type).Length > 0;
        return toString.GetCustomAttribute<CompilerGeneratedAttribute>() is not null;
    }
}
