namespace PolicyMatch.Web.Infrastructure.Time;

public static class ClockSetup
{
    /// <summary>
    /// The one clock: every "now" in the portal is this <see cref="TimeProvider"/>, and the business date
    /// and displayed times are taken from it in Beijing time. Tests replace it with a fake clock.
    /// </summary>
    public static IServiceCollection AddClock(this IServiceCollection services) => services.AddSingleton(TimeProvider.System);
}
