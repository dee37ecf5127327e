namespace OrleansNodes.TestServers;

/// <summary>A fact that needs Chromium (see <see cref="SystemChromium"/>): skipped by hand without it, always run under CI.</summary>
public sealed class ChromiumFactAttribute() : ServerFactAttribute(SystemChromium.IsAvailable, SystemChromium.HowToGetIt);

/// <summary>A fact that needs Chromium and <c>redis-server</c>, for a page on several silos.</summary>
public sealed class ChromiumRedisFactAttribute() : ServerFactAttribute(
    SystemChromium.IsAvailable && RedisServer.IsAvailable,
    SystemChromium.IsAvailable ? RedisServer.HowToGetIt : SystemChromium.HowToGetIt);
