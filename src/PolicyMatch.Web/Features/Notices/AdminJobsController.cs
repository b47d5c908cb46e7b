using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Rematch;
using PolicyMatch.Web.Infrastructure.Jobs;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Notices;

public sealed record JobsView(
    bool SchedulerRunning, IReadOnlyList<ScheduledJobView> Jobs, IReadOnlyList<RematchRun> Rematches, IReadOnlyList<MessageProgress> Messages, IReadOnlyList<FailedDelivery> Failed);

/// <summary>
/// The jobs dashboard: each schedule with its next fire time from Quartz, the last rematches of the
/// stored matches, each message's deliveries by state, and the failed emails with their error and a retry button.
/// </summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/jobs")]
public sealed class AdminJobsController(ScheduledJobs jobs, NoticeOutbox outbox, StoredMatches matches, RematchScheduler rematch) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View("~/Features/Notices/Jobs.cshtml",
            new JobsView(jobs.Running, await jobs.ListAsync(ct), await matches.RecentRunsAsync(5, ct), await outbox.ProgressAsync(50, null, ct), await outbox.FailedAsync(100, ct)));

    /// <summary>
    /// Refreshes every company's stored matches now rather than at the daily run (e.g. right after an
    /// upgrade created the table, or after editing companies directly in the database).
    /// </summary>
    [HttpPost("rematch")]
    public async Task<IActionResult> RematchAll(CancellationToken ct)
    {
        TempData["Flash"] = await rematch.CatalogChangedAsync(ct)
            ? T("已安排全部企业重新匹配,完成后显示在下方", "A full rematch is scheduled; it appears below when done")
            : T("本进程未运行调度器,无法安排重新匹配", "No scheduler runs in this process, so nothing was scheduled");
        return Redirect("/admin/jobs");
    }

    /// <summary>A failed email goes back to pending with fresh attempts; the dispatcher is woken if it runs here.</summary>
    [HttpPost("deliveries/{id:long}/retry")]
    public async Task<IActionResult> Retry(long id, CancellationToken ct)
    {
        if (!await outbox.RetryAsync(id, User.Id(), ct))
        {
            return NotFound();
        }
        var woken = await jobs.TriggerAsync(JobsSetup.Dispatch, ct);
        TempData["Flash"] = woken
            ? T($"投递 #{id} 已重新排队,正在发送", $"Delivery #{id} is queued again and being sent")
            : T($"投递 #{id} 已重新排队,将在下次发送任务运行时发送", $"Delivery #{id} is queued again for the next dispatch run");
        return Redirect("/admin/jobs");
    }

    /// <summary>Every failed email back to pending with fresh attempts (after an SMTP outage).</summary>
    [HttpPost("deliveries/retry-failed")]
    public async Task<IActionResult> RetryAllFailed(CancellationToken ct)
    {
        var count = await outbox.RetryAllFailedAsync(User.Id(), ct);
        if (count > 0)
        {
            await jobs.TriggerAsync(JobsSetup.Dispatch, ct);
        }
        TempData["Flash"] = T($"{count} 封失败的邮件已重新排队", $"{count} failed emails are queued again");
        return Redirect("/admin/jobs");
    }
}
