namespace OrleansNodes.Hosting.Benchmarks.Grains;

/// <summary>A single, unreplicated key-value grain that writes its state on every put: the baseline a replicated cluster is compared with.</summary>
[Alias("on.bench.IRegisterGrain")]
public interface IRegisterGrain : IGrainWithStringKey
{
    /// <summary>Sets <paramref name="key"/> and returns once the state is written.</summary>
    [Alias("Put")]
    Task Put(string key, string value);
}
