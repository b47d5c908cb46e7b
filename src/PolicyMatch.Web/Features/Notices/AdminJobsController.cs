using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Rematch;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Notices;

public sealed record JobsView(IReadOnlyList<RematchRun> Rematches, IReadOnlyList<MessageProgress> Messages, IReadOnlyList<FailedDelivery> Failed);

/// <summary>
/// Deliveries and rematches: what the background work did to the portal's data — the last rematches
/// of the stored matches, each message's deliveries by state, the failed emails with their error and a
/// retry button. The jobs themselves (schedules, runs, failures, retries) are on Hangfire's dashboard
/// at /admin/hangfire, not repeated here.
/// </summary>
[Authorize(Roles = Roles.Admin)]
[Route("admin/jobs")]
public sealed class AdminJobsController(DeliveryDashboard deliveries, StoredMatches matches, RematchScheduler rematch, IBackgroundJobClient jobs) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View("Jobs",
            new JobsView(await matches.RecentRunsAsync(5, ct), await deliveries.ProgressAsync(50, null, ct), await deliveries.FailedAsync(100, ct)));

    /// <summary>
    /// Refreshes every company's stored matches now rather than at the daily run (e.g. right after an
    /// upgrade created the table, or after editing companies directly in the database).
    /// </summary>
    [HttpPost("rematch")]
    public async Task<IActionResult> RematchAll(CancellationToken ct)
    {
        await rematch.CatalogChangedAsync(ct);
        TempData["Flash"] = T("已安排全部企业重新匹配,完成后显示在下方", "A full rematch is queued; it appears below when done");
        return Redirect("/admin/jobs");
    }

    /// <summary>A failed email goes back to pending with fresh attempts, and a dispatch is enqueued.</summary>
    [HttpPost("deliveries/{id:long}/retry")]
    public async Task<IActionResult> Retry(long id, CancellationToken ct)
    {
        if (!await deliveries.RetryAsync(id, User.Id(), ct))
        {
            return NotFound();
        }
        NoticeJobs.EnqueueDispatch(jobs);
        TempData["Flash"] = T($"投递 #{id} 已重新排队,正在发送", $"Delivery #{id} is queued again and being sent");
        return Redirect("/admin/jobs");
    }

    /// <summary>Every failed email back to pending with fresh attempts (after an SMTP outage).</summary>
    [HttpPost("deliveries/retry-failed")]
    public async Task<IActionResult> RetryAllFailed(CancellationToken ct)
    {
        var count = await deliveries.RetryAllFailedAsync(User.Id(), ct);
        if (count > 0)
        {
            NoticeJobs.EnqueueDispatch(jobs);
        }
        TempData["Flash"] = T($"{count} 封失败的邮件已重新排队", $"{count} failed emails are queued again");
        return Redirect("/admin/jobs");
    }
}
