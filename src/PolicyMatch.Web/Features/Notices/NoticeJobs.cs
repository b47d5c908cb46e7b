using PolicyMatch.Web.Infrastructure.Jobs;
using Quartz;

namespace PolicyMatch.Web.Features.Notices;

// The notices' jobs: thin, each calls one service with the cancellation token and lets exceptions
// reach Quartz (which logs them and fires the trigger again on schedule). Their triggers are in
// Infrastructure/Jobs/JobsSetup.cs. Everything that sends is [DisallowConcurrentExecution].

/// <summary>Publishes notices whose send time has come and writes their deliveries; then wakes the dispatcher.</summary>
[DisallowConcurrentExecution]
public sealed class FanOutJob(NoticeFanOut fanOut) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if ((await fanOut.FanOutDueAsync(cancellationToken)).Count > 0)
        {
            await context.Scheduler.TriggerJob(JobsSetup.Dispatch, null, cancellationToken);
        }
    }
}

/// <summary>Sends the pending email deliveries.</summary>
[DisallowConcurrentExecution]
public sealed class DispatchJob(DeliveryDispatcher dispatcher) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await dispatcher.DispatchAsync(cancellationToken);
}

[DisallowConcurrentExecution]
public sealed class DeadlineReminderJob(NoticeReminders reminders, TimeProvider clock) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if ((await reminders.DeadlineRemindersAsync(BeijingTime.Today(clock), cancellationToken)).Deliveries > 0)
        {
            await context.Scheduler.TriggerJob(JobsSetup.Dispatch, null, cancellationToken);
        }
    }
}

[DisallowConcurrentExecution]
public sealed class ExpiryReminderJob(NoticeReminders reminders, TimeProvider clock) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if ((await reminders.ExpiryRemindersAsync(BeijingTime.Today(clock), cancellationToken)).Deliveries > 0)
        {
            await context.Scheduler.TriggerJob(JobsSetup.Dispatch, null, cancellationToken);
        }
    }
}

[DisallowConcurrentExecution]
public sealed class DigestJob(NoticeReminders reminders, TimeProvider clock) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if ((await reminders.DigestAsync(BeijingTime.Today(clock), cancellationToken)).Deliveries > 0)
        {
            await context.Scheduler.TriggerJob(JobsSetup.Dispatch, null, cancellationToken);
        }
    }
}
