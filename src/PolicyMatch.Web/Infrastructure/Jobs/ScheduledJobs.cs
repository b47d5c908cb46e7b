using Microsoft.Extensions.Options;
using Quartz;

namespace PolicyMatch.Web.Infrastructure.Jobs;

/// <summary>A declared schedule with what the running scheduler says about it.</summary>
public sealed record ScheduledJobView(JobSchedule Schedule, string? State, DateTimeOffset? NextFireTime, DateTimeOffset? PreviousFireTime);

/// <summary>
/// The jobs dashboard's view of the scheduler: every declared schedule, with its next and previous
/// fire time from Quartz's store when the scheduler runs in this process.
/// </summary>
public sealed class ScheduledJobs(IServiceProvider services, IOptions<JobsOptions> options)
{
    /// <summary>Whether a scheduler runs here: enabled in the options, and registered (see JobsSetup).</summary>
    public bool Running => options.Value.Enabled && services.GetService<ISchedulerFactory>() is not null;

    public async Task<IReadOnlyList<ScheduledJobView>> ListAsync(CancellationToken ct = default)
    {
        var declared = JobsSetup.Schedules(options.Value);
        if (!Running)
        {
            return declared.Select(s => new ScheduledJobView(s, null, null, null)).ToList();
        }
        var scheduler = await SchedulerAsync(ct);
        var triggers = (await scheduler.QueryTriggers(new TriggerQuery { Group = GroupMatcher<TriggerKey>.AnyGroup(), Take = PagedQuery.All }, ct)).Items
            .ToDictionary(t => t.Key);
        return declared.Select(s => triggers.TryGetValue(s.Trigger, out var t)
                ? new ScheduledJobView(s, t.State.ToString(), t.NextFireTimeUtc, t.PreviousFireTimeUtc)
                : new ScheduledJobView(s, "missing", null, null))
            .ToList();
    }

    /// <summary>
    /// Runs a job now (e.g. the dispatcher after a retry), with <paramref name="data"/> on its one-shot
    /// trigger; false when no scheduler runs here.
    /// </summary>
    public async Task<bool> TriggerAsync(JobKey job, CancellationToken ct = default, JobDataMap? data = null)
    {
        if (!Running)
        {
            return false;
        }
        await (await SchedulerAsync(ct)).TriggerJob(job, data, ct);
        return true;
    }

    private async Task<IScheduler> SchedulerAsync(CancellationToken ct) =>
        await services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
}
