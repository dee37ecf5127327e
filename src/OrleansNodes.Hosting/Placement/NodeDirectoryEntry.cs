using System.Globalization;

namespace OrleansNodes.Hosting.Placement;

/// <summary>
/// How the node directories (<c>RedisNodeDirectory</c>, <c>AzureNodeDirectory</c>) store where one
/// activation runs: <c>&lt;activation id&gt; &lt;silo&gt; &lt;membership version&gt;</c>, the grain id being
/// the entry's key. Plain text, so an operator can read an entry with <c>redis-cli get</c> or in
/// the storage explorer.
/// </summary>
public static class NodeDirectoryEntry
{
    /// <summary>The stored text of <paramref name="address"/>.</summary>
    public static string Format(GrainAddress address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address.ActivationId.ToParsableString()} {address.SiloAddress!.ToParsableString()} {address.MembershipVersion.Value}");

    /// <summary>The address an entry of <paramref name="grain"/> holds; an <see cref="OrleansException"/> naming the grain when the text is not an entry.</summary>
    public static GrainAddress Parse(GrainId grain, string value)
    {
        var parts = value.Split(' ');
        if (parts.Length != 3 || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var version))
            throw new OrleansException($"the directory entry of {grain} is not '<activation> <silo> <version>': '{value}'");
        try
        {
            return new GrainAddress
            {
                GrainId = grain,
                ActivationId = ActivationId.FromParsableString(parts[0]),
                SiloAddress = SiloAddress.FromParsableString(parts[1]),
                MembershipVersion = new MembershipVersion(version),
            };
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            throw new OrleansException($"the directory entry of {grain} is not '<activation> <silo> <version>': '{value}'", exception);
        }
    }
}
