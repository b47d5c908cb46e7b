using System.Diagnostics;

namespace PolicyMatch.Web.Tests.Infrastructure;

/// <summary>
/// Waiting for something a background process does (a job, another node, a starting server): poll a
/// condition until it holds, and fail with a message that says what was last seen when the time is up
/// or <c>giveUp</c> says waiting is pointless (a process exited).
/// </summary>
public static class Eventually
{
    public static async Task UntilAsync(
        Func<Task<bool>> condition, TimeSpan timeout, Func<TimeSpan, string> failure, Func<bool>? giveUp = null, int pollMilliseconds = 100)
    {
        var stop = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stop.Elapsed > timeout || giveUp?.Invoke() == true)
            {
                Assert.Fail(failure(stop.Elapsed));
            }
            await Task.Delay(pollMilliseconds);
        }
    }
}
