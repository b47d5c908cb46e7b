using PolicyMatch.Web.Infrastructure.Jobs;
using Quartz;

namespace PolicyMatch.Web.Features.Rematch;

/// <summary>
/// Refreshes the stored matches: one measure when the firing trigger carries its id (publish, retire),
/// everything otherwise (the daily schedule, a catalog import, the dashboard's button). Thin, like every
/// job: the work is <see cref="RematchService"/>'s. One at a time, so two refreshes never interleave
/// their swaps; killed mid-run it runs again on restart (requests recovery, see JobsSetup).
/// </summary>
[DisallowConcurrentExecution]
public sealed class RematchJob(RematchService rematch) : IJob
{
    /// <summary>The job data key of the measure to refresh; absent or empty means everything.</summary>
    public const string MeasureKey = "measure_id";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var measure = context.MergedJobDataMap.TryGetString(MeasureKey, out var id) ? id : null;
        if (string.IsNullOrEmpty(measure))
        {
            await rematch.RefreshAllAsync(ct: cancellationToken);
        }
        else
        {
            await rematch.RefreshMeasureAsync(measure, ct: cancellationToken);
        }
    }
}

/// <summary>
/// Asks the scheduler to run <see cref="RematchJob"/> now (a one-shot trigger with the measure id in its
/// data, stored in Quartz's persistent store, so a restart does not lose it). Without a scheduler in this
/// process (Jobs:Enabled=false, as in page tests) nothing is scheduled; callers then use
/// <see cref="RematchService"/> directly.
/// </summary>
public sealed class RematchScheduler(ScheduledJobs jobs, ILogger<RematchScheduler> logger)
{
    /// <summary>A measure was published or retired: refresh its rows.</summary>
    public Task<bool> MeasureChangedAsync(string measureId, CancellationToken ct) => ScheduleAsync(measureId, ct);

    /// <summary>Several measures may have changed (an import): refresh everything.</summary>
    public Task<bool> CatalogChangedAsync(CancellationToken ct) => ScheduleAsync(null, ct);

    private async Task<bool> ScheduleAsync(string? measureId, CancellationToken ct)
    {
        var data = new JobDataMap();
        if (measureId is not null)
        {
            data[RematchJob.MeasureKey] = measureId;
        }
        var scheduled = await jobs.TriggerAsync(JobsSetup.Rematch, ct, data);
        if (!scheduled)
        {
            logger.LogInformation("No scheduler runs in this process: the stored matches of {Measure} are not refreshed now", measureId ?? "every measure");
        }
        return scheduled;
    }
}

public static class RematchFeature
{
    public static IServiceCollection AddRematchFeature(this IServiceCollection services) => services
        .AddSingleton<StoredMatches>()
        .AddSingleton<RematchService>()
        .AddSingleton<RematchScheduler>();
}
