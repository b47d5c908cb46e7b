using Hangfire;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Rematch;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>
/// Two portals in one process (as in these tests, or two nodes started in one process): each has its own
/// job storage, job activator and filters, and one portal going away breaks nothing in the other.
/// Hangfire's defaults read process-wide globals that the last portal to start overwrites; the portal
/// registers its own instead (see JobsSetup).
/// </summary>
public sealed class JobsIsolationTests
{
    [Fact]
    public async Task A_portal_keeps_its_own_jobs_and_keeps_working_after_another_portal_in_the_process_is_gone()
    {
        using var first = new Portal();
        _ = first.Services;
        JobStorage otherStorage;
        using (var second = new SchedulerPortal())
        {
            // The second portal starts after the first and builds its job client and dashboard.
            otherStorage = second.Service<JobStorage>();
            _ = second.Service<IBackgroundJobClient>();
            using var secondAdmin = await second.SignInAsync(Roles.Admin);
            await secondAdmin.PageAsync("/admin/hangfire");

            Assert.NotSame(otherStorage, first.Service<JobStorage>());
            Assert.NotSame(second.Service<JobActivator>(), first.Service<JobActivator>());
            Assert.NotSame(second.Service<Hangfire.Common.IJobFilterProvider>(), first.Service<Hangfire.Common.IJobFilterProvider>());
        }

        // The first portal builds its job client only now, after the second portal was disposed.
        using var admin = await first.SignInAsync(Roles.Admin);
        await admin.PageAsync("/admin/jobs");
        await admin.PageAsync("/admin/hangfire/jobs/enqueued");
        var id = await first.Service<RematchScheduler>().CatalogChangedAsync(CancellationToken.None);

        using var connection = first.Service<JobStorage>().GetConnection();
        Assert.Equal("Enqueued", connection.GetJobData(id)?.State);
    }
}
