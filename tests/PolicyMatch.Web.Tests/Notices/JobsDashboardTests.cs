using PolicyMatch.Web.Infrastructure.Time;
using System.Net;
using Hangfire;
using Hangfire.Storage;
using Hangfire.Storage.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Features.Rematch;
using PolicyMatch.Web.Infrastructure.Jobs;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>A portal that runs a Hangfire server (SQLite storage in the portal's temp folder, or PostgreSQL).</summary>
public sealed class SchedulerPortal : Portal
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "true",
        // Long intervals: the jobs under test are enqueued by the tests, not by the schedule.
        ["Jobs:FanOutInterval"] = "00:10:00",
        ["Jobs:DispatchInterval"] = "00:10:00",
    };
}

/// <summary>A job that always throws, to see what Hangfire does with it.</summary>
public sealed class ThrowingJob
{
    public const string Message = "故意失败的任务 (a job that throws on purpose)";

    public Task RunAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(Message);
}

public sealed class JobsWithServerTests(SchedulerPortal portal) : IClassFixture<SchedulerPortal>
{
    private JobStorage Storage => portal.Service<JobStorage>();

    [Fact]
    public async Task Every_declared_recurring_job_is_registered_with_its_next_run_and_shown_on_the_Hangfire_dashboard()
    {
        var declared = portal.Services.GetServices<RecurringJobDeclaration>().Select(d => d.Id).Order().ToArray();
        Assert.Equal(
            [NoticeJobs.DeadlineRemindersId, NoticeJobs.DigestId, NoticeJobs.DispatchId, NoticeJobs.ExpiryRemindersId, NoticeJobs.FanOutId, RematchJob.DailyId],
            declared);
        List<RecurringJobDto> stored = [];
        await Eventually.UntilAsync(() =>
        {
            using var connection = Storage.GetConnection();
            stored = connection.GetRecurringJobs();
            return Task.FromResult(stored.Count == declared.Length);
        }, TimeSpan.FromSeconds(20), _ => $"recurring jobs stored: {string.Join(", ", stored.Select(j => j.Id))}");
        Assert.Equal(declared, stored.Select(j => j.Id).Order().ToArray());
        Assert.All(stored, j => Assert.NotNull(j.NextExecution));
        // Calendar schedules are Beijing time: the digest next runs on a Monday at 09:00 there.
        var digest = stored.Single(j => j.Id == NoticeJobs.DigestId);
        var beijing = BeijingTime.Of(new DateTimeOffset(DateTime.SpecifyKind(digest.NextExecution!.Value, DateTimeKind.Utc)));
        Assert.Equal((DayOfWeek.Monday, 9, 0), (beijing.DayOfWeek, beijing.Hour, beijing.Minute));

        using var admin = await portal.SignInAsync(Roles.Admin);
        var page = await admin.PageAsync("/admin/hangfire/recurring");
        foreach (var id in declared)
        {
            Assert.Contains(id, page.Body!.TextContent);
        }
    }

    [Fact]
    public async Task A_job_that_throws_is_recorded_as_failed_with_its_exception_and_scheduled_for_a_retry_not_swallowed()
    {
        var id = portal.Service<IBackgroundJobClient>().Enqueue<ThrowingJob>(j => j.RunAsync(CancellationToken.None));

        JobDetailsDto? details = null;
        await Eventually.UntilAsync(() =>
        {
            details = Storage.GetMonitoringApi().JobDetails(id);
            return Task.FromResult(details?.History.Any(h => h.StateName == "Scheduled") == true);
        }, TimeSpan.FromSeconds(30), _ => $"job {id} states: {string.Join(" ← ", details?.History.Select(h => h.StateName) ?? [])}");

        var history = details!.History;
        var failed = Assert.Single(history, h => h.StateName == "Failed");
        Assert.Contains(ThrowingJob.Message, failed.Data["ExceptionMessage"]);
        Assert.Equal("Scheduled", history[0].StateName);
        Assert.Contains("Retry attempt 1 of 3", history[0].Reason);
        using var connection = Storage.GetConnection();
        Assert.Equal("1", connection.GetJobParameter(id, "RetryCount"));
    }
}

/// <summary>No Hangfire server in this process (Jobs:Enabled=false), as on a web-only node.</summary>
public sealed class JobsWithoutServerTests(Portal portal) : IClassFixture<Portal>
{
    private JobStorage Storage => portal.Service<JobStorage>();

    private string StateOf(string id)
    {
        using var connection = Storage.GetConnection();
        return connection.GetJobData(id)?.State ?? "(none)";
    }

    [Fact]
    public async Task A_node_without_a_server_still_enqueues_the_rematch_after_a_publish_for_the_nodes_that_run_jobs()
    {
        var id = await portal.Service<RematchScheduler>().MeasureChangedAsync("some-measure", CancellationToken.None);

        Assert.Equal("Enqueued", StateOf(id));
        var job = Storage.GetConnection().GetJobData(id)!.Job;
        Assert.Equal((typeof(RematchJob), nameof(RematchJob.StepAsync)), (job.Type, job.Method.Name));
    }

    [Fact]
    public async Task The_deliveries_page_links_to_the_Hangfire_dashboard_and_no_longer_lists_schedules_itself()
    {
        using var admin = await portal.SignInAsync(Roles.Admin);
        var page = await admin.PageAsync("/admin/jobs");

        Assert.NotNull(page.QuerySelector(".hangfire-link a[href='/admin/hangfire']"));
        Assert.Empty(page.QuerySelectorAll("tr.job"));
        var english = await admin.PageAsync("/admin/jobs?lang=en");
        Assert.Equal("Deliveries and rematches", english.QuerySelector("h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task Dashboard_posts_from_non_administrators_or_without_the_antiforgery_token_change_nothing_and_an_administrators_post_does()
    {
        var id = await portal.Service<RematchScheduler>().CatalogChangedAsync(CancellationToken.None);
        var delete = new FormUrlEncodedContent([new("jobs[]", id)]);

        // Anonymous, company user, advisor: the same answers as for an admin page's POST, and the job stays.
        using (var anonymous = portal.Anonymous())
        {
            var response = await anonymous.Client.PostAsync("/admin/hangfire/jobs/enqueued/delete", delete);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/login", response.Headers.Location!.AbsolutePath);
        }
        foreach (var role in new[] { Roles.Company, Roles.Advisor })
        {
            using var user = await portal.SignInAsync(role);
            var response = await user.Client.PostAsync("/admin/hangfire/jobs/enqueued/delete", delete);
            var adminPage = await user.Client.PostAsync("/admin/jobs/rematch", new FormUrlEncodedContent([]));
            Assert.Equal((adminPage.StatusCode, adminPage.Headers.Location?.AbsolutePath), (response.StatusCode, response.Headers.Location?.AbsolutePath));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/error/403", response.Headers.Location!.AbsolutePath);
        }
        Assert.Equal("Enqueued", StateOf(id));

        // An administrator without the antiforgery token (a cross-site form): refused, nothing changes.
        using var admin = await portal.SignInAsync(Roles.Admin);
        var forged = await admin.Client.PostAsync("/admin/hangfire/jobs/enqueued/delete", delete);
        Assert.False(forged.IsSuccessStatusCode, $"a POST without the token answered {(int)forged.StatusCode}");
        Assert.Equal("Enqueued", StateOf(id));

        // With the token Hangfire's page carries, the same POST works (so the refusals above were real).
        var page = await admin.PageAsync("/admin/hangfire/jobs/enqueued");
        // Hangfire's pages carry the token in two meta tags; its script sends it as a request header.
        var header = page.QuerySelector("meta[name=csrf-header]")!.GetAttribute("content")!;
        var token = page.QuerySelector("meta[name=csrf-token]")!.GetAttribute("content")!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/hangfire/jobs/enqueued/delete") { Content = new FormUrlEncodedContent([new("jobs[]", id)]) };
        request.Headers.Add(header, token);
        var allowed = await admin.Client.SendAsync(request);
        Assert.True(allowed.IsSuccessStatusCode, $"the administrator's POST answered {(int)allowed.StatusCode}");
        Assert.Equal("Deleted", StateOf(id));
    }
}
