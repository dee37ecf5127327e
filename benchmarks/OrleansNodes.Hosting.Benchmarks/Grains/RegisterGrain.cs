namespace OrleansNodes.Hosting.Benchmarks.Grains;

/// <summary>See <see cref="IRegisterGrain"/>. Not reentrant: puts run one at a time, each with its own write.</summary>
public sealed class RegisterGrain(
    [PersistentState("register", NodeHostOptions.StorageName)] IPersistentState<Dictionary<string, string>> state) : Grain, IRegisterGrain
{
    /// <inheritdoc/>
    public async Task Put(string key, string value)
    {
        state.State[key] = value;
        await state.WriteStateAsync();
    }
}
