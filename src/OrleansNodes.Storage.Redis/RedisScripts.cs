namespace OrleansNodes.Storage.Redis;

/// <summary>
/// The Lua scripts of <see cref="RedisNodeStore"/>. Redis runs a script atomically, so the version
/// check and every change of a flush are one step no other client can come between. A script
/// that refuses returns before its first write: a script is not rolled back when it fails part
/// way, so every check (key types, version, staged snapshot) comes before any change.
/// </summary>
/// <remarks>
/// Every key a script touches is passed in <c>KEYS</c> and shares the node's hash tag, which is
/// what Redis requires of scripts (and what lets Cluster route them). Replies are
/// <c>{code, detail}</c>: <see cref="Done"/>, <see cref="Stale"/> (detail: the stored version),
/// <see cref="Incomplete"/> (detail: the chunks the staged list holds) or <see cref="WrongType"/>
/// (detail: the key).
/// </remarks>
internal static class RedisScripts
{
    /// <summary>The script did what it was asked.</summary>
    public const long Done = 0;

    /// <summary>The stored version is not the expected one: another writer came first.</summary>
    public const long Stale = 1;

    /// <summary>The staged snapshot does not hold the chunks it should (expired, deleted, or staged out of order).</summary>
    public const long Incomplete = 2;

    /// <summary>A key holds a Redis type this store never writes there: damage.</summary>
    public const long WrongType = 3;

    /// <summary>The meta hash's format field: a later layout would write another.</summary>
    public const string Format = "1";

    // Refuses unless meta is what the writer expects: absent for expected version 0, else holding
    // that version. Sets `refusal` (the stored version) when it refuses.
    private const string CheckVersion =
        """
        local refusal = nil
        local stored = redis.call('HGET', KEYS[1], 'version')
        if ARGV[1] == '0' then
          if redis.call('EXISTS', KEYS[1]) == 1 then refusal = stored or 'unknown' end
        elseif stored ~= ARGV[1] then
          refusal = stored or 'none (the node does not exist)'
        end
        """;

    /// <summary>
    /// Appends one batch of a large snapshot to its staged list and (re)sets the list's expiry,
    /// refusing when the node's version moved (so a stale writer stops staging early) or when the
    /// list does not hold exactly the chunks staged before (so a batch applied out of order can
    /// never make a list of the right length in the wrong order). A refusal deletes the list.
    /// KEYS: meta, staged list. ARGV: expected version, expiry in ms, chunks staged so far, chunks.
    /// </summary>
    public const string Stage =
        CheckVersion + "\n" +
        """
        if refusal then
          redis.call('DEL', KEYS[2])
          return {1, refusal}
        end
        local held = redis.call('LLEN', KEYS[2])
        if held ~= tonumber(ARGV[3]) then
          redis.call('DEL', KEYS[2])
          return {2, tostring(held)}
        end
        for i = 4, #ARGV, 1000 do
          redis.call('RPUSH', KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
        end
        redis.call('PEXPIRE', KEYS[2], ARGV[2])
        return {0, tostring(held + #ARGV - 3)}
        """;

    /// <summary>
    /// One flush, with <c>DurableImage.Apply</c>'s semantics: a snapshot empties the log first,
    /// otherwise the truncated suffix and the compacted prefix go; then the puts are written and
    /// the version moves on. A staged snapshot is renamed onto the snapshot key (which replaces
    /// the previous snapshot in the same step) and loses its expiry; an inline one is pushed.
    /// </summary>
    /// <remarks>
    /// KEYS: 1 meta, 2 log, 3 snapshot, 4 staged list (only when the snapshot was staged).
    /// ARGV: 1 expected version, 2 new version, 3 parts given ('D' definition, 'H' hard state),
    /// 4 definition, 5 hard state, 6 snapshot index ('' for no snapshot), 7 snapshot chunk count,
    /// 8 truncation bound ('' for none), 9 compaction bound ('' for none), 10 number of puts n,
    /// then n pairs (member, bound just past the member's index), then the inline chunks.
    /// </remarks>
    public const string Commit =
        """
        local meta, log, snapshot, staged = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
        local kinds = {[meta] = 'hash', [log] = 'zset', [snapshot] = 'list'}
        for key, kind in pairs(kinds) do
          local found = redis.call('TYPE', key).ok
          if found ~= kind and found ~= 'none' then return {3, key} end
        end
        """ + "\n" + CheckVersion + "\n" +
        $$"""
        if refusal then
          if staged then redis.call('DEL', staged) end
          return {1, refusal}
        end
        if staged then
          local held = redis.call('LLEN', staged)
          if held ~= tonumber(ARGV[7]) then
            redis.call('DEL', staged)
            return {2, tostring(held)}
          end
        end
        if ARGV[1] == '0' then
          -- A new node starts clean even if a log or snapshot outlived a deleted meta hash.
          redis.call('DEL', log, snapshot)
          redis.call('HSET', meta, 'format', '{{Format}}', 'hard', '')
        end
        if string.find(ARGV[3], 'D', 1, true) then redis.call('HSET', meta, 'definition', ARGV[4]) end
        if string.find(ARGV[3], 'H', 1, true) then redis.call('HSET', meta, 'hard', ARGV[5]) end
        local chunks = 11 + 2 * tonumber(ARGV[10])
        if ARGV[6] ~= '' then
          redis.call('DEL', log)
          if staged then
            redis.call('RENAME', staged, snapshot)
            redis.call('PERSIST', snapshot)
          else
            redis.call('DEL', snapshot)
            for i = chunks, #ARGV, 1000 do
              redis.call('RPUSH', snapshot, unpack(ARGV, i, math.min(i + 999, #ARGV)))
            end
          end
          redis.call('HSET', meta, 'snapshot_index', ARGV[6], 'snapshot_chunks', ARGV[7])
        else
          if ARGV[8] ~= '' then redis.call('ZREMRANGEBYLEX', log, ARGV[8], '+') end
          if ARGV[9] ~= '' then redis.call('ZREMRANGEBYLEX', log, '-', ARGV[9]) end
        end
        for i = 11, chunks - 1, 2 do
          redis.call('ZREMRANGEBYLEX', log, '[' .. string.sub(ARGV[i], 1, 8), ARGV[i + 1])
          redis.call('ZADD', log, 0, ARGV[i])
        end
        redis.call('HSET', meta, 'version', ARGV[2])
        return {0, ARGV[2]}
        """;
}
