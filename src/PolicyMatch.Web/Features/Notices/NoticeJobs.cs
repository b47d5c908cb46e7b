using Hangfire;
using PolicyMatch.Web.Infrastructure.Jobs;
using PolicyMatch.Web.Infrastructure.Time;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>
/// The notices' jobs (declared in <see cref="NoticesFeature"/>): thin, each calls one service with the
/// cancellation token and lets exceptions reach Hangfire, which records the job as failed and retries
/// it (see JobsSetup). Each runs under a lease, so two never overlap across processes and nodes: a run
/// that finds its lease held skips its turn. Whatever wrote email deliveries enqueues the dispatcher;
/// the dispatcher sends a bounded batch and enqueues itself again while due email remains.
/// </summary>
public sealed class NoticeJobs(
    NoticeFanOut fanOut, DeliveryDispatcher dispatcher, NoticeReminders reminders, JobLeases leases, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const string FanOutId = "notices:fan-out";
    public const string DispatchId = "notices:dispatch";
    public const string DeadlineRemindersId = "notices:deadline-reminders";
    public const string ExpiryRemindersId = "notices:expiry-reminders";
    public const string DigestId = "notices:digest";

    /// <summary>Publishes notices whose send time has come and writes their deliveries; then wakes the dispatcher.</summary>
    public Task FanOutAsync(CancellationToken cancellationToken) =>
        ExclusiveAsync(FanOutId, async ct => (await fanOut.FanOutDueAsync(ct)).Count > 0, cancellationToken);

    /// <summary>Sends one bounded batch of due email (see <see cref="NoticesOptions.DispatchRunTime"/>); enqueues the next while more is due.</summary>
    public async Task DispatchAsync(CancellationToken cancellationToken)
    {
        DispatchReport report;
        await using (var lease = await leases.TryAcquireAsync(DispatchId, cancellationToken))
        {
            if (lease is null)
            {
                return;
            }
            using var token = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            report = await dispatcher.DispatchAsync(token.Token);
        }
        // After the lease is released, so the next batch does not find it held.
        if (report.More && !cancellationToken.IsCancellationRequested)
        {
            EnqueueDispatch(jobs);
        }
    }

    public Task DeadlineRemindersAsync(CancellationToken cancellationToken) =>
        ExclusiveAsync(DeadlineRemindersId, async ct => (await reminders.DeadlineRemindersAsync(BeijingTime.Today(clock), ct)).Deliveries > 0, cancellationToken);

    public Task ExpiryRemindersAsync(CancellationToken cancellationToken) =>
        ExclusiveAsync(ExpiryRemindersId, async ct => (await reminders.ExpiryRemindersAsync(BeijingTime.Today(clock), ct)).Deliveries > 0, cancellationToken);

    public Task DigestAsync(CancellationToken cancellationToken) =>
        ExclusiveAsync(DigestId, async ct => (await reminders.DigestAsync(BeijingTime.Today(clock), ct)).Deliveries > 0, cancellationToken);

    /// <summary>Sends soon rather than at the next dispatch interval (after a fan-out, a reminder run, a retry).</summary>
    public static string EnqueueDispatch(IBackgroundJobClient jobs) => jobs.Enqueue<NoticeJobs>(j => j.DispatchAsync(CancellationToken.None));

    /// <summary>Runs <paramref name="work"/> under the job's lease; when it wrote email deliveries, enqueues the dispatcher.</summary>
    private async Task ExclusiveAsync(string name, Func<CancellationToken, Task<bool>> work, CancellationToken cancellationToken)
    {
        bool wroteEmail;
        await using (var lease = await leases.TryAcquireAsync(name, cancellationToken))
        {
            if (lease is null)
            {
                return;
            }
            using var token = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
            wroteEmail = await work(token.Token);
        }
        if (wroteEmail)
        {
            EnqueueDispatch(jobs);
        }
    }
}
