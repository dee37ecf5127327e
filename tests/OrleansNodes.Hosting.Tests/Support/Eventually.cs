namespace OrleansNodes.Hosting.Tests.Support;

/// <summary>
/// Waits for a condition the system must reach (liveness), polling. The bound is generous and
/// only turns a hang into a failure; no test asserts how fast anything happens.
/// </summary>
public static class Eventually
{
    public static async Task<T> Reaches<T>(Func<Task<T>> probe, Func<T, bool> reached, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            // A probe that never returns is a hang too: it gets what is left of the bound.
            var remaining = deadline - DateTime.UtcNow;
            T value;
            try
            {
                value = await probe().WaitAsync(remaining > TimeSpan.FromSeconds(1) ? remaining : TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException)
            {
                throw new Xunit.Sdk.XunitException($"never reached: {what}; the last probe did not return");
            }
            if (reached(value)) return value;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"never reached: {what}; last seen: {Show(value)}");
            await Task.Delay(50);
        }
    }

    private static string Show<T>(T value) =>
        value is System.Collections.IEnumerable items and not string
            ? "[" + string.Join(", ", items.Cast<object>()) + "]"
            : value?.ToString() ?? "null";
}
