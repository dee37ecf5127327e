using StackExchange.Redis;

namespace OrleansNodes.Storage.Redis;

/// <summary>
/// The Redis keys of one node (the layout is described on <see cref="RedisNodeStore"/>). The node
/// key sits between braces, a Redis Cluster hash tag, so that every key of the node hashes to one
/// slot: a flush's script may then touch all of them, which Cluster allows only within a slot.
/// </summary>
/// <remarks>
/// A node key that itself holds a brace still works: Cluster hashes the text between the first
/// <c>{</c> and the first <c>}</c> after it, which then ends inside the node's segment, and all
/// of the node's keys share everything up to there.
/// </remarks>
/// <param name="Meta">Hash: format, version, definition, hard state, snapshot index and chunk count.</param>
/// <param name="Log">Sorted set of the log entries (<see cref="RedisLogMember"/>).</param>
/// <param name="Snapshot">List of the committed snapshot's chunks.</param>
/// <param name="StagedPrefix">What <see cref="Staged"/> keys start with.</param>
internal readonly record struct RedisNodeKeys(RedisKey Meta, RedisKey Log, RedisKey Snapshot, string StagedPrefix)
{
    /// <summary>The keys of node <paramref name="nodeKey"/> under <paramref name="prefix"/>.</summary>
    public static RedisNodeKeys For(string prefix, string nodeKey)
    {
        var node = $"{prefix}/nodes/{{{nodeKey}}}";
        return new RedisNodeKeys(node + "/meta", node + "/log", node + "/snapshot", node + "/staged/");
    }

    /// <summary>Where a large snapshot is staged under the random <paramref name="id"/> before its commit.</summary>
    public RedisKey Staged(string id) => StagedPrefix + id;
}
