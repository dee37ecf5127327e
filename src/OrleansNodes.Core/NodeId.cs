namespace OrleansNodes.Core;

/// <summary>
/// A logical server in a cluster. Ids are dense, 0-based indexes into
/// <see cref="NodeConfig{TSettings}.Members"/>, so per-peer bookkeeping can be an array.
/// </summary>
[GenerateSerializer, Immutable, Alias("on.NodeId")]
public readonly record struct NodeId([property: Id(0)] int Value) : IComparable<NodeId>
{
    /// <summary>Compares by index.</summary>
    public int CompareTo(NodeId other) => Value.CompareTo(other.Value);

    /// <summary>Prints as <c>n0</c>, <c>n1</c>, ...: short enough for traces.</summary>
    public override string ToString() => "n" + Value;

    /// <summary>Parses <c>n3</c> or <c>3</c>.</summary>
    public static bool TryParse(string? text, out NodeId id)
    {
        id = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var digits = text.StartsWith('n') ? text[1..] : text;
        if (!int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
            return false;
        id = new NodeId(value);
        return true;
    }

    /// <summary>The ids <c>n0 .. n(count-1)</c>.</summary>
    public static System.Collections.Immutable.ImmutableArray<NodeId> Range(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "a cluster has at least one node");
        var builder = System.Collections.Immutable.ImmutableArray.CreateBuilder<NodeId>(count);
        for (var i = 0; i < count; i++) builder.Add(new NodeId(i));
        return builder.MoveToImmutable();
    }
}
