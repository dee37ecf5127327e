namespace OrleansNodes.TestServers;

/// <summary>
/// A fact that needs a real server. Run by hand on a machine without it, the test is skipped
/// with a line saying what to install; under CI it always runs (and fails if the server is missing).
/// </summary>
public abstract class ServerFactAttribute : FactAttribute
{
    /// <summary>Skips unless <paramref name="available"/> or under CI.</summary>
    protected ServerFactAttribute(bool available, string howToGetIt)
    {
        if (!available && !Repository.InCi) Skip = howToGetIt;
    }
}

/// <summary>A fact that needs <c>redis-server</c> (see <see cref="RedisServer"/>).</summary>
public sealed class RedisFactAttribute() : ServerFactAttribute(RedisServer.IsAvailable, RedisServer.HowToGetIt);

/// <summary>A fact that needs the Azurite storage emulator (see <see cref="AzuriteServer"/>).</summary>
public sealed class AzuriteFactAttribute() : ServerFactAttribute(AzuriteServer.IsAvailable, AzuriteServer.HowToGetIt);

/// <summary>A theory that needs a real server: skipped by hand without it, always run under CI (see <see cref="ServerFactAttribute"/>).</summary>
public abstract class ServerTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips unless <paramref name="available"/> or under CI.</summary>
    protected ServerTheoryAttribute(bool available, string howToGetIt)
    {
        if (!available && !Repository.InCi) Skip = howToGetIt;
    }
}

/// <summary>A theory that needs <c>redis-server</c> (see <see cref="RedisServer"/>).</summary>
public sealed class RedisTheoryAttribute() : ServerTheoryAttribute(RedisServer.IsAvailable, RedisServer.HowToGetIt);

/// <summary>A theory that needs the Azurite storage emulator (see <see cref="AzuriteServer"/>).</summary>
public sealed class AzuriteTheoryAttribute() : ServerTheoryAttribute(AzuriteServer.IsAvailable, AzuriteServer.HowToGetIt);
