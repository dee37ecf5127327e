using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Protocols.Tests.KeyValue;

public class KeyValueStoreTests
{
    private const ulong GoldenHello = 7941275512447254151UL;
    private const ulong GoldenLong = 1878297513702786719UL;

    private static (KeyValueStore Store, List<KeyValueReply> Replies) Apply(KeyValueStore store, params (long Client, long Sequence, KeyValueCommand Command)[] commands)
    {
        var replies = new List<KeyValueReply>();
        var batch = new KeyValueBatch([.. commands.Select(c => new ClientCommand(new ClientId(c.Client), c.Sequence, c.Command))]);
        return (store.Apply(store.AppliedIndex + 1, batch, sessionsMax: 16, (_, reply) => replies.Add(reply)), replies);
    }

    [Fact]
    public void Apply_CasWithDifferentExpected_FailsWithCurrentValue()
    {
        var (store, _) = Apply(KeyValueStore.Empty, (1, 1, new KeyValueCommand.Put("k", "a")));

        var (after, replies) = Apply(store, (1, 2, new KeyValueCommand.Cas("k", "b", "c")));

        Assert.Equal(new KeyValueReply.CasResult(false, "a"), Assert.Single(replies));
        Assert.Equal("a", after.Get("k"));
    }

    [Fact]
    public void Apply_CasWithMatchingExpected_Swaps()
    {
        var (store, _) = Apply(KeyValueStore.Empty, (1, 1, new KeyValueCommand.Put("k", "a")));

        var (after, replies) = Apply(store, (1, 2, new KeyValueCommand.Cas("k", "a", "c")));

        Assert.Equal(new KeyValueReply.CasResult(true, "c"), Assert.Single(replies));
        Assert.Equal("c", after.Get("k"));
    }

    [Fact]
    public void Apply_CasExpectingMissingOnMissingKey_Creates()
    {
        var (after, replies) = Apply(KeyValueStore.Empty, (1, 1, new KeyValueCommand.Cas("k", null, "v")));

        Assert.Equal(new KeyValueReply.CasResult(true, "v"), Assert.Single(replies));
        Assert.Equal("v", after.Get("k"));
    }

    [Fact]
    public void Apply_AppendToMissingKey_StartsFromEmpty()
    {
        var (after, replies) = Apply(KeyValueStore.Empty, (1, 1, new KeyValueCommand.Append("k", "x")), (2, 1, new KeyValueCommand.Append("k", "y")));

        Assert.Equal("xy", after.Get("k"));
        Assert.All(replies, r => Assert.Equal(KeyValueReply.Ok.Instance, r));
    }

    [Fact]
    public void Apply_DeleteThenGet_ReadsMissing()
    {
        var (store, _) = Apply(KeyValueStore.Empty, (1, 1, new KeyValueCommand.Put("k", "a")));

        var (after, replies) = Apply(store, (1, 2, new KeyValueCommand.Delete("k")), (1, 3, new KeyValueCommand.Get("k")));

        Assert.Equal([KeyValueReply.Ok.Instance, new KeyValueReply.Value(null)], replies);
        Assert.Empty(after.Data);
    }

    [Fact]
    public void Apply_RetryInLaterSlot_AnsweredFromSessionNotExecuted()
    {
        var (store, _) = Apply(KeyValueStore.Empty, (1, 1, new KeyValueCommand.Append("k", "x")));

        var (after, replies) = Apply(store, (1, 1, new KeyValueCommand.Append("k", "x")));

        Assert.Equal("x", after.Get("k"));
        Assert.Equal(KeyValueReply.Ok.Instance, Assert.Single(replies));
        Assert.Equal(1, after.ExecutedCount);
        Assert.Equal(2, after.AppliedIndex);
    }

    [Fact]
    public void Apply_OlderRetry_IgnoredWithoutReply()
    {
        var (store, _) = Apply(KeyValueStore.Empty, (1, 1, new KeyValueCommand.Append("k", "x")), (1, 2, new KeyValueCommand.Append("k", "y")));

        var (after, replies) = Apply(store, (1, 1, new KeyValueCommand.Append("k", "x")));

        Assert.Empty(replies);
        Assert.Equal("xy", after.Get("k"));
    }

    [Fact]
    public void Apply_MoreClientsThanSessionsMax_EvictsLeastRecentlyApplied()
    {
        var store = KeyValueStore.Empty;
        for (var client = 1; client <= 3; client++)
        {
            var batch = new KeyValueBatch([new ClientCommand(new ClientId(client), 1, new KeyValueCommand.Put("k", "v"))]);
            store = store.Apply(store.AppliedIndex + 1, batch, sessionsMax: 2, reply: null);
        }

        Assert.Equal([new ClientId(2), new ClientId(3)], store.Sessions.Keys.OrderBy(c => c.Value));
    }

    [Fact]
    public void Apply_Noop_AdvancesIndexAndDigestOnly()
    {
        var after = KeyValueStore.Empty.Apply(1, KeyValueBatch.Noop, 16, null);

        Assert.Equal(1, after.AppliedIndex);
        Assert.Same(KeyValueStore.Empty.Data, after.Data);
        Assert.NotEqual(KeyValueStore.Empty.HistoryDigest, after.HistoryDigest);
    }

    [Fact]
    public void ContentHash_SameContentInsertedInDifferentOrder_Equal()
    {
        var (a, _) = Apply(KeyValueStore.Empty, (1, 1, new KeyValueCommand.Put("x", "1")), (2, 1, new KeyValueCommand.Put("y", "2")));
        var (b, _) = Apply(KeyValueStore.Empty, (2, 1, new KeyValueCommand.Put("y", "2")), (1, 1, new KeyValueCommand.Put("x", "1")));

        Assert.Equal(a.ContentHash(), b.ContentHash());
        Assert.NotEqual(a.HistoryDigest, b.HistoryDigest);
    }

    private static readonly KeyValueCommand[] CommandsOfEveryKind =
    [
        new KeyValueCommand.Get("k1"),
        new KeyValueCommand.Put("k1", new string('.', 10_000) + "é→∅"),
        new KeyValueCommand.Put("", ""),
        new KeyValueCommand.Delete("k2"),
        new KeyValueCommand.Cas("k3", null, "v"),
        new KeyValueCommand.Cas("k3", "∅", "w"),
        new KeyValueCommand.Cas("k=3", "a b", ""),
        new KeyValueCommand.Append("k4", "+c1.7"),
    ];

    [Fact]
    public void TextHash_EveryCommandHere_DistinctFromEveryOther()
    {
        var hashes = CommandsOfEveryKind.Select(command => command.TextHash()).ToList();

        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public void TextHash_ValueDifferingInOneCharacterAnywhere_Differs()
    {
        // Every position of a 10 KB value: in each of the four lanes and in the tail.
        var value = new string('.', 10_003);
        var hash = new KeyValueCommand.Put("k", value).TextHash();
        for (var i = 0; i < value.Length; i++)
        {
            var changed = string.Create(value.Length, i, static (chars, at) => { chars.Fill('.'); chars[at] = ','; });
            Assert.NotEqual(hash, new KeyValueCommand.Put("k", changed).TextHash());
        }
    }

    [Fact]
    public void TextHash_FieldBoundaryMoved_Differs()
    {
        Assert.NotEqual(new KeyValueCommand.Put("ab", "c").TextHash(), new KeyValueCommand.Put("a", "bc").TextHash());
        Assert.NotEqual(new KeyValueCommand.Put("a", "b").TextHash(), new KeyValueCommand.Append("a", "b").TextHash());
    }

    [Fact]
    public void Of_SameTextInAnotherProcess_SameHash()
    {
        // Digests are compared between replicas, so the hash must not depend on the process:
        // these values were computed once and are fixed (a changed definition changes them).
        Assert.Equal(GoldenHello, StableHash.Of("hello"));
        Assert.Equal(GoldenLong, StableHash.Of("a value of more than four words, é→∅"));
    }

    [Fact]
    public void Fingerprint_Batch_ChainsClientSequenceAndTextAsDefined()
    {
        var commands = CommandsOfEveryKind.Select((command, i) => new ClientCommand(new ClientId(i + 1), 10 + i, command)).ToList();
        var expected = StableHash.Seed;
        foreach (var command in commands)
        {
            expected = StableHash.Add(expected, (ulong)command.Client.Value);
            expected = StableHash.Add(expected, (ulong)command.Sequence);
            expected = StableHash.Add(expected, command.Command.TextHash());
        }

        Assert.Equal(expected, new KeyValueBatch([.. commands]).Fingerprint());
    }
}
