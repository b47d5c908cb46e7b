using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Infrastructure.Jobs;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>A portal with the scheduler running (Quartz with its SQLite store in the portal's temp folder).</summary>
public sealed class SchedulerPortal : Portal
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "true",
        // Long intervals: the dashboard is under test here, not the jobs.
        ["Jobs:FanOutInterval"] = "00:10:00",
        ["Jobs:DispatchInterval"] = "00:10:00",
    };
}

public sealed class JobsDashboardTests(SchedulerPortal portal) : IClassFixture<SchedulerPortal>
{
    [Fact]
    public async Task The_dashboard_shows_every_declared_schedule_with_its_next_fire_time_from_Quartz()
    {
        using var admin = await portal.SignInAsync(Roles.Admin);
        AngleSharp.Html.Dom.IHtmlDocument page = null!;
        // The hosted scheduler starts with the host; give it a moment to store its triggers.
        for (var i = 0; i < 50; i++)
        {
            page = await admin.PageAsync("/admin/jobs");
            if (page.QuerySelectorAll("tr.job td.next-fire").All(td => td.TextContent.Trim() != "—")) break;
            await Task.Delay(200);
        }

        var rows = page.QuerySelectorAll("tr.job").ToList();
        Assert.Equal(JobsSetup.Schedules(new JobsOptions()).Select(s => s.Job.Name).ToArray(), rows.Select(r => r.GetAttribute("data-job")!).ToArray());
        Assert.All(rows, r => Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", r.QuerySelector(".next-fire")!.TextContent.Trim()));
        Assert.Null(page.QuerySelector(".scheduler-off"));

        // The weekly digest: next Monday 09:00 Beijing time (after now).
        var now = BeijingTime.Of(DateTimeOffset.UtcNow);
        var monday = now.Date.AddDays(((int)DayOfWeek.Monday - (int)now.DayOfWeek + 7) % 7).AddHours(9);
        if (monday <= now.DateTime) monday = monday.AddDays(7);
        Assert.Equal(monday.ToString("yyyy-MM-dd HH:mm"), rows.Single(r => r.GetAttribute("data-job") == "digest").QuerySelector(".next-fire")!.TextContent.Trim());
        // The daily deadline reminders: 08:00 Beijing, today or tomorrow.
        var eight = now.Date.AddHours(8);
        if (eight <= now.DateTime) eight = eight.AddDays(1);
        Assert.Equal(eight.ToString("yyyy-MM-dd HH:mm"), rows.Single(r => r.GetAttribute("data-job") == "deadline-reminders").QuerySelector(".next-fire")!.TextContent.Trim());
    }
}

public class JobsDashboardWithoutSchedulerTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task Without_the_scheduler_the_dashboard_lists_the_declared_schedules_and_says_it_is_off()
    {
        using var admin = await portal.SignInAsync(Roles.Admin);
        var page = await admin.PageAsync("/admin/jobs");

        Assert.NotNull(page.QuerySelector(".scheduler-off"));
        Assert.Equal(JobsSetup.Schedules(new JobsOptions()).Count, page.QuerySelectorAll("tr.job").Length);
    }
}
