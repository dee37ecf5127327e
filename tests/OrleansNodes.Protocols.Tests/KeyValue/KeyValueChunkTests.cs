using OrleansNodes.Protocols.KeyValue;

namespace OrleansNodes.Protocols.Tests.KeyValue;

/// <summary>Snapshots in bounded chunks: cut by position, the same in every process, rebuilt whole.</summary>
public class KeyValueChunkTests
{
    private static KeyValueStore Store(int keys, int valueLength = 10, int clients = 3)
    {
        var store = KeyValueStore.Empty;
        for (var i = 0; i < keys; i++)
        {
            var batch = new KeyValueBatch([new ClientCommand(new ClientId(i % clients), i + 1, new KeyValueCommand.Put($"k{i:D4}", new string('v', valueLength)))]);
            store = store.Apply(store.AppliedIndex + 1, batch, sessionsMax: 16, reply: null);
        }
        return store;
    }

    [Fact]
    public void Chunks_ManyKeys_EachWithinTheBudgetAndTogetherTheWholeStore()
    {
        var store = Store(500);

        var chunks = store.Chunks(bytesMax: 1_000).ToList();

        Assert.True(chunks.Count > 10);
        Assert.All(chunks, chunk => Assert.True(chunk.Items.Sum(i => i.EstimatedBytes) + chunk.Sessions.Sum(s => s.EstimatedBytes) <= 1_000));
        Assert.True(chunks[^1].IsLast);
        var rebuilt = KeyValueStore.FromChunks(chunks);
        Assert.Equal(store.ContentHash(), rebuilt.ContentHash());
        Assert.Equal(store.AppliedIndex, rebuilt.AppliedIndex);
        Assert.Equal(store.HistoryDigest, rebuilt.HistoryDigest);
        Assert.Equal(store.DataBytes, rebuilt.DataBytes);
        Assert.Equal(store.Sessions, rebuilt.Sessions);
    }

    [Fact]
    public void Chunk_ItemLargerThanTheBudget_StillCarriesOneItem()
    {
        var store = Store(3, valueLength: 5_000);

        var chunk = store.Chunk(1, bytesMax: 100);

        Assert.Single(chunk.Items);
        Assert.Equal("k0001", chunk.Items[0].Key);
        Assert.Equal(2, chunk.End);
    }

    [Fact]
    public void Chunk_AtAPosition_IsTheSameAsThatPartOfTheWholeSequence()
    {
        var store = Store(100);
        var whole = store.Chunks(bytesMax: 300).ToList();

        foreach (var expected in whole)
            Assert.Equal(expected, store.Chunk(expected.Position, bytesMax: 300));
    }

    [Fact]
    public void FromChunks_AChunkMissing_Throws()
    {
        var chunks = Store(100).Chunks(bytesMax: 300).ToList();
        chunks.RemoveAt(2);

        Assert.Throws<InvalidDataException>(() => KeyValueStore.FromChunks(chunks));
    }

    [Fact]
    public void Chunks_EmptyStore_OneEmptyLastChunk()
    {
        var chunk = Assert.Single(KeyValueStore.Empty.Chunks(bytesMax: 100));

        Assert.True(chunk.IsLast);
        Assert.Equal(KeyValueStore.Empty.ContentHash(), KeyValueStore.FromChunks([chunk]).ContentHash());
    }
}
