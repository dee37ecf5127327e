using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrleansNodes.Storage.Azure;

/// <summary>
/// Blob names of a node: its folder <c>nodes/&lt;key&gt;/</c>, the log segments
/// <c>log-&lt;n&gt;</c> in it (append blobs, numbered from 0) and the snapshots
/// <c>snap-&lt;n&gt;-&lt;random&gt;</c> (block blobs, <c>n</c> being the segment the snapshot was
/// staged for; see <see cref="AzureNodeStore"/> for why that number is in the name).
/// </summary>
/// <remarks>
/// Numbers are zero-padded to ten digits so that listing order is numeric order. Each segment of a
/// node key (<c>kv/0</c>) becomes a folder level, kept readable: only characters other than
/// letters, digits, <c>-</c>, <c>_</c> and <c>.</c> are escaped (<c>%XX</c> of their UTF-8 bytes),
/// and so are segments that URL handling would rewrite (empty, <c>.</c> and <c>..</c>).
/// </remarks>
internal static class NodeBlobs
{
    /// <summary>The folder that holds every node.</summary>
    public const string Root = "nodes/";

    private const string SegmentPrefix = "log-";
    private const string SnapshotPrefix = "snap-";
    private const int NumberDigits = 10;

    /// <summary>The folder of node <paramref name="key"/>, ending with <c>/</c>.</summary>
    public static string Folder(string key)
    {
        var folder = new StringBuilder(Root, Root.Length + key.Length + 8);
        foreach (var segment in key.Split('/'))
        {
            AppendEscaped(folder, segment);
            folder.Append('/');
        }
        return folder.ToString();
    }

    /// <summary>The name of log segment <paramref name="number"/> in <paramref name="folder"/>.</summary>
    public static string Segment(string folder, long number) =>
        folder + SegmentPrefix + number.ToString("D" + NumberDigits, CultureInfo.InvariantCulture);

    /// <summary>A fresh snapshot name (the part after the folder) for a snapshot staged for segment <paramref name="segment"/>.</summary>
    public static string NewSnapshotLeaf(long segment) =>
        SnapshotPrefix + segment.ToString("D" + NumberDigits, CultureInfo.InvariantCulture) + "-" +
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether <paramref name="leaf"/> (a name inside a node folder) is a segment, and its number.</summary>
    public static bool TryParseSegment(string leaf, out long number)
    {
        number = 0;
        return leaf.Length == SegmentPrefix.Length + NumberDigits && leaf.StartsWith(SegmentPrefix, StringComparison.Ordinal) &&
            long.TryParse(leaf.AsSpan(SegmentPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>Whether <paramref name="leaf"/> is a snapshot, and the segment it was staged for.</summary>
    public static bool TryParseSnapshot(string leaf, out long segment)
    {
        segment = 0;
        var digitsEnd = SnapshotPrefix.Length + NumberDigits;
        return leaf.Length > digitsEnd + 1 && leaf.StartsWith(SnapshotPrefix, StringComparison.Ordinal) && leaf[digitsEnd] == '-' &&
            long.TryParse(leaf.AsSpan(SnapshotPrefix.Length, NumberDigits), NumberStyles.None, CultureInfo.InvariantCulture, out segment);
    }

    private static void AppendEscaped(StringBuilder folder, string segment)
    {
        if (segment.Length == 0)
        {
            // No escape sequence is a lone '%', so this cannot collide with any other segment.
            folder.Append('%');
            return;
        }
        var dotsOnly = segment.All(c => c == '.');
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (!dotsOnly && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                folder.Append(c);
                continue;
            }
            var length = char.IsSurrogatePair(segment, i)
                ? Encoding.UTF8.GetBytes(segment.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(segment.AsSpan(i, 1), utf8);
            foreach (var b in utf8[..length]) folder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
    }
}
