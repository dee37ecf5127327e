using System.Globalization;
using OrleansNodes.Core;

namespace OrleansNodes.Hosting.Clusters;

/// <summary>
/// Node grain keys, <c>&lt;cluster&gt;/&lt;index&gt;</c> (e.g. <c>kv/2</c>), and cluster name
/// rules. Readable keys make the dashboard's grain list readable.
/// </summary>
public static class NodeKey
{
    /// <summary>The most nodes a cluster may have.</summary>
    public const int MaxNodes = 64;

    /// <summary>The key of node <paramref name="node"/> of <paramref name="cluster"/>.</summary>
    public static string Format(string cluster, NodeId node) =>
        string.Create(CultureInfo.InvariantCulture, $"{cluster}/{node.Value}");

    /// <summary>Splits a node grain key.</summary>
    public static bool TryParse(string key, out string cluster, out NodeId node)
    {
        cluster = string.Empty;
        node = default;
        var slash = key.LastIndexOf('/');
        if (slash <= 0) return false;
        if (!int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)) return false;
        cluster = key[..slash];
        node = new NodeId(index);
        return true;
    }

    /// <summary>Null when <paramref name="name"/> is a valid cluster name, else why not.</summary>
    public static string? ValidateClusterName(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "a cluster name must not be empty";
        if (name.Length > 64) return $"cluster name '{name}' is longer than 64 characters";
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                return $"cluster name '{name}' may only contain letters, digits, '-', '_' and '.'";
        }
        return null;
    }
}
