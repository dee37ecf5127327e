namespace OrleansNodes.Silo;

/// <summary>
/// Bounds a silo's stop. Orleans retries its membership writes (status "stopping", then "dead")
/// for a minute each, so a silo whose Redis or storage account is gone took two minutes to stop
/// on SIGTERM, past any supervisor's grace period. Once a stop has taken
/// <see cref="HostSettings.StopTimeoutMs"/>, the process says so in one line and exits with
/// code 1. Nothing acknowledged is lost: a node replies only after its write returned
/// (persist-before-send), and the other silos declare this one dead as they would a killed one.
/// </summary>
internal static class StopBound
{
    /// <summary>The exit code of a stop cut short.</summary>
    public const int ExitCode = 1;

    /// <summary>Starts the clock; call when the application begins to stop.</summary>
    public static void Start(TimeSpan bound)
    {
        // A thread of its own: the thread pool may be what the stop is stuck behind.
        var watchdog = new Thread(() =>
        {
            Thread.Sleep(bound);
            Console.Error.WriteLine(
                $"error: the silo did not stop within {bound.TotalSeconds:0.#} s (is its storage reachable?); exiting without a clean stop, acknowledged writes are already durable");
            Environment.Exit(ExitCode);
        })
        {
            IsBackground = true,
            Name = "stop bound",
        };
        watchdog.Start();
    }
}
