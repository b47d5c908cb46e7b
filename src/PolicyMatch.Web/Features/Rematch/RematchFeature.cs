using PolicyMatch.Web.Infrastructure.Time;
using PolicyMatch.Web.Infrastructure.Jobs;

namespace PolicyMatch.Web.Features.Rematch;

public static class RematchFeature
{
    /// <summary>The stored matches, the rematch and its daily job.</summary>
    public static IServiceCollection AddRematchFeature(this IServiceCollection services) => services
        .AddSingleton<StoredMatches>()
        .AddSingleton<RematchService>()
        .AddSingleton<RematchScheduler>()
        // Daily 03:30 Beijing time: every company against every published measure.
        .AddRecurringJob<RematchJob>(RematchJob.DailyId, j => j.DailyAsync(CancellationToken.None), _ => "30 3 * * *", BeijingTime.Zone);
}
