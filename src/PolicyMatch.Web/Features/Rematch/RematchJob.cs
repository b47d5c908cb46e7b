using Hangfire;
using PolicyMatch.Web.Infrastructure.Jobs;
using PolicyMatch.Web.Infrastructure.Time;

namespace PolicyMatch.Web.Features.Rematch;

/// <summary>
/// The rematch as Hangfire jobs. Thin, like every job: the work is <see cref="RematchService"/>'s. One
/// job is one step (<see cref="RematchService.BatchCompanies"/> companies, a few seconds), which then
/// enqueues the next step with its progress, so no job runs anywhere near the job storage's
/// invisibility timeout and a crash repeats at most one step. Steps never overlap (a lease): one that
/// finds another step running is scheduled again a few seconds later rather than skipped, since a
/// requested rematch must happen.
/// </summary>
public sealed class RematchJob(RematchService rematch, JobLeases leases, IBackgroundJobClient jobs, ILogger<RematchJob> logger)
{
    public const string DailyId = "rematch:daily";
    private const string Lease = "rematch";
    private static readonly TimeSpan Busy = TimeSpan.FromSeconds(5);

    /// <summary>The daily full run (date-derived facts drift): starts a chain of steps.</summary>
    public Task DailyAsync(CancellationToken cancellationToken) => StepAsync(null, cancellationToken);

    public async Task StepAsync(RematchProgress? progress, CancellationToken cancellationToken)
    {
        progress ??= RematchProgress.Start(null, BeijingTime.Today(TimeProvider.System), TimeProvider.System);
        RematchProgress? next;
        await using (var lease = await leases.TryAcquireAsync(Lease, cancellationToken))
        {
            if (lease is null)
            {
                jobs.Schedule<RematchJob>(j => j.StepAsync(progress, CancellationToken.None), Busy);
                return;
            }
            using var token = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            (next, _) = await rematch.StepAsync(progress, token.Token);
        }
        if (next is not null)
        {
            logger.LogDebug("Rematch {Scope}: {Companies} companies done, next step after company {After}", next.Scope, next.Companies, next.After);
            jobs.Enqueue<RematchJob>(j => j.StepAsync(next, CancellationToken.None));
        }
    }
}

/// <summary>
/// Enqueues a rematch (its first step) into the job storage, from a request: publish, retire, import,
/// the dashboard's button. Every node can enqueue, with or without a Hangfire server of its own (a
/// node with Jobs:Enabled=false leaves it to the nodes that run jobs), and the job survives a restart.
/// </summary>
public sealed class RematchScheduler(IBackgroundJobClient jobs, TimeProvider clock)
{
    /// <summary>A measure was published or retired: refresh its rows.</summary>
    public Task<string> MeasureChangedAsync(string measureId, CancellationToken ct) => Task.FromResult(Enqueue(measureId));

    /// <summary>Several measures may have changed (an import): refresh everything.</summary>
    public Task<string> CatalogChangedAsync(CancellationToken ct) => Task.FromResult(Enqueue(null));

    private string Enqueue(string? measureId)
    {
        var start = RematchProgress.Start(measureId, BeijingTime.Today(clock), clock);
        return jobs.Enqueue<RematchJob>(j => j.StepAsync(start, CancellationToken.None));
    }
}
