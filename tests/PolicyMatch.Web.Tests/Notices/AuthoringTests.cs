using PolicyMatch.Web.Infrastructure.Time;
using System.Net;
using AngleSharp.Dom;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Notices.NoticeFixtures;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>Administrators write, preview, schedule and cancel notices through the real pages.</summary>
public class AuthoringTests(Portal portal) : IClassFixture<Portal>
{
    private static string Tomorrow() => $"{BeijingTime.Today(TimeProvider.System).AddDays(1):yyyy-MM-dd}T09:00";

    private static List<KeyValuePair<string, string>> ValidForm(string intent = "schedule") =>
    [
        F("Kind", NoticeKind.ClaimCall),
        F("Title", "关于领取2025年度通州区人才服务资金的通知"),
        F("Body", "各有关企业:\n\n请于申报期内登录系统提交材料。"),
        F("Measures", TongzhouMeasure),
        F("WindowOpens", BeijingTime.Today(TimeProvider.System).AddDays(2).ToString("yyyy-MM-dd")),
        F("WindowCloses", BeijingTime.Today(TimeProvider.System).AddDays(30).ToString("yyyy-MM-dd")),
        F("SendAt", Tomorrow()),
        F("Intent", intent),
    ];

    private static List<KeyValuePair<string, string>> With(string field, string value) =>
        ValidForm().Where(f => f.Key != field).Append(F(field, value)).ToList();

    [Fact]
    public async Task An_administrator_schedules_a_notice_and_it_is_listed_as_scheduled_beside_the_published_seed_notices()
    {
        using var admin = await portal.SignInAsync(Roles.Admin);
        var response = await admin.PostFormAsync("/admin/notices/new", "/admin/notices/new", ValidForm());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/admin/notices/n-", location);
        var id = location.Split('/').Last();
        var show = await admin.PageAsync(location);
        Assert.Equal("scheduled", show.QuerySelector(".notice-status")!.GetAttribute("data-status"));
        Assert.NotNull(show.QuerySelector($"form[action='/admin/notices/{id}/cancel']"));

        var list = await admin.PageAsync("/admin/notices");
        Assert.Equal("scheduled", list.QuerySelector($"tr[data-id='{id}']")!.GetAttribute("data-status"));
        // The seed notices (already in `notices`) show as published, historical.
        Assert.Equal("published", list.QuerySelector("tr[data-id='cp-2025-hightech-funds-claim']")!.GetAttribute("data-status"));
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.GetAsync("/admin/notices/cp-2025-hightech-funds-claim")).StatusCode);
        // Not public until it is sent; in the audit log as the administrator's action.
        Assert.Equal(HttpStatusCode.NotFound, (await portal.Anonymous().Client.GetAsync($"/notices/{id}")).StatusCode);
        Assert.Equal(admin.UserId, await portal.ScalarAsync<long>(
            "SELECT user_id FROM audit_log WHERE action = 'notice.scheduled' AND entity = 'notice' AND entity_id = @Id", new { Id = id }));
    }

    [Theory]
    [InlineData("Title", "", "请填写标题")]
    [InlineData("WindowCloses", "2020-01-01", "截止日期不能早于开始日期")]
    [InlineData("SendAt", "2020-01-01T09:00", "发送时间已经过去")]
    [InlineData("SendAt", "next tuesday", "发送时间格式应为")]
    [InlineData("Measures", "no-such-measure", "未知的政策措施:no-such-measure")]
    [InlineData("Kind", "spam", "未知的通知类型")]
    public async Task Bad_input_is_refused_and_the_form_comes_back_with_the_message_and_what_was_typed(string field, string value, string message)
    {
        using var admin = await portal.SignInAsync(Roles.Admin);
        var body = $"各有关企业:\n\n请于申报期内登录系统提交材料。{Guid.NewGuid():N}";
        var form = With(field, value).Where(f => f.Key != "Body").Append(F("Body", body)).ToList();
        var response = await admin.PostFormAsync("/admin/notices/new", "/admin/notices/new", form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, page.QuerySelector(".error-summary")!.TextContent);
        // The message also stands at its field, and what was typed is still in the form.
        Assert.Contains(message, page.QuerySelector($"#f-{field}")!.Closest(".field, fieldset")!.TextContent);
        if (field != "Title")
        {
            Assert.Equal("关于领取2025年度通州区人才服务资金的通知", page.QuerySelector("#f-Title")!.GetAttribute("value"));
        }
        Assert.Contains(body.Split('\n').Last(), page.QuerySelector("#f-Body")!.TextContent);
        Assert.Equal(0, await portal.ScalarAsync<long>("SELECT COUNT(*) FROM notice_schedules WHERE body = @Body", new { Body = body }));
    }

    [Fact]
    public async Task A_draft_measure_cannot_be_linked_because_nobody_can_be_matched_against_it()
    {
        await portal.ExecuteAsync("""
            INSERT INTO measures (id, plan_id, status, current_version, published_version, created_at, updated_at)
            SELECT 'notice-test-draft', plan_id, 'draft', current_version, NULL, created_at, updated_at FROM measures WHERE id = @Id
            ON CONFLICT DO NOTHING
            """, new { Id = TongzhouMeasure });
        using var admin = await portal.SignInAsync(Roles.Admin);
        var response = await admin.PostFormAsync("/admin/notices/new", "/admin/notices/new", With("Measures", "notice-test-draft"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("政策措施未发布", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_window_that_closes_before_the_send_date_is_refused()
    {
        using var admin = await portal.SignInAsync(Roles.Admin);
        var form = ValidForm().Where(f => f.Key is not ("WindowOpens" or "WindowCloses" or "SendAt")).ToList();
        form.Add(F("WindowCloses", BeijingTime.Today(TimeProvider.System).AddDays(3).ToString("yyyy-MM-dd")));
        form.Add(F("SendAt", $"{BeijingTime.Today(TimeProvider.System).AddDays(5):yyyy-MM-dd}T09:00"));
        var response = await admin.PostFormAsync("/admin/notices/new", "/admin/notices/new", form);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("申报截止日期早于发送时间", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_scheduled_notice_can_be_cancelled_and_is_then_never_sent()
    {
        var sendAt = DateTimeOffset.UtcNow.AddHours(1);
        var id = await portal.ScheduleAsync("将被取消的通知", sendAt);
        using var admin = await portal.SignInAsync(Roles.Admin);

        var response = await admin.PostFormAsync($"/admin/notices/{id}", $"/admin/notices/{id}/cancel", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var show = await admin.PageAsync($"/admin/notices/{id}");
        Assert.Equal("cancelled", show.QuerySelector(".notice-status")!.GetAttribute("data-status"));
        Assert.Null(show.QuerySelector($"form[action='/admin/notices/{id}/cancel']"));
        Assert.Null(await portal.Service<NoticeFanOut>().FanOutAsync(id));
        Assert.DoesNotContain(id, (await portal.Service<NoticeFanOut>().FanOutDueAsync(sendAt.AddDays(1))).Select(r => r.NoticeId));
        Assert.Equal(0, await portal.ScalarAsync<long>("SELECT COUNT(*) FROM notices WHERE id = @Id", new { Id = id }));
        Assert.Equal(admin.UserId, await portal.ScalarAsync<long>(
            "SELECT user_id FROM audit_log WHERE action = 'notice.cancelled' AND entity_id = @Id", new { Id = id }));
    }

    [Fact]
    public async Task Company_users_and_advisors_are_refused_the_notices_and_jobs_pages()
    {
        foreach (var role in new[] { Roles.Company, Roles.Advisor })
        {
            using var s = await portal.SignInAsync(role);
            foreach (var url in new[] { "/admin/notices", "/admin/notices/new", "/admin/notices/cp-2025-hightech-funds-claim", "/admin/jobs" })
            {
                var response = await s.Client.GetAsync(url);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/error/403")),
                    $"{role} GET {url}: {(int)response.StatusCode}");
            }
            var post = await s.PostFormAsync("/inbox", "/admin/notices/new", ValidForm(), anyToken: true);
            Assert.True(post.StatusCode == HttpStatusCode.Forbidden || post.Headers.Location?.OriginalString.Contains("/error/403") == true);
        }
    }
}

/// <summary>The preview counts exactly who a notice would reach: a portal of its own, so nobody else's fixtures count.</summary>
public sealed class RecipientPreviewTests : IDisposable
{
    private readonly Portal _portal = new();

    [Fact]
    public async Task The_preview_counts_only_subscribed_members_of_companies_eligible_on_the_send_date()
    {
        // Eligible company (通州区) with one subscribed member, one who did not subscribe, one subscribed to another kind.
        var (subscribed, subscribedEmail) = await _portal.PersonAsync("eligible-subscribed", NoticeKind.ClaimCall);
        var (silent, silentEmail) = await _portal.PersonAsync("eligible-not-subscribed");
        var (otherKind, otherKindEmail) = await _portal.PersonAsync("eligible-other-kind", NoticeKind.Digest);
        var tongzhou = await _portal.CompanyAsync(Tongzhou, subscribed);
        await _portal.JoinAsync(tongzhou, silent);
        await _portal.JoinAsync(tongzhou, otherKind);
        // Subscribed, but their company is elsewhere (海淀区): the measure is not for them.
        var (foreign, foreignEmail) = await _portal.PersonAsync("foreign-company", NoticeKind.ClaimCall);
        await _portal.CompanyAsync(Haidian, foreign);
        // Subscribed, but no company at all.
        var (_, loneEmail) = await _portal.PersonAsync("no-company", NoticeKind.ClaimCall);
        // A second subscribed member in a second eligible company, and also a member of the first: counted once.
        var (twice, twiceEmail) = await _portal.PersonAsync("two-companies", NoticeKind.ClaimCall);
        await _portal.CompanyAsync(Tongzhou, twice);
        await _portal.JoinAsync(tongzhou, twice);

        using var admin = await _portal.SignInAsync(Roles.Admin);
        var form = new List<KeyValuePair<string, string>>
        {
            F("Kind", NoticeKind.ClaimCall), F("Title", "预览测试"), F("Body", "正文"), F("Measures", TongzhouMeasure),
            F("SendAt", $"{BeijingTime.Today(TimeProvider.System).AddDays(1):yyyy-MM-dd}T09:00"), F("Intent", "preview"),
        };
        var response = await admin.PostFormAsync("/admin/notices/new", "/admin/notices/new", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
        Assert.Equal("2", page.QuerySelector(".recipient-count")!.TextContent.Trim());
        var listed = page.QuerySelectorAll("table.recipients td").Select(td => td.TextContent).ToList();
        Assert.Contains(subscribedEmail, listed);
        Assert.Contains(twiceEmail, listed);
        Assert.DoesNotContain(silentEmail, listed);
        Assert.DoesNotContain(otherKindEmail, listed);
        Assert.DoesNotContain(foreignEmail, listed);
        Assert.DoesNotContain(loneEmail, listed);
        // A preview stores nothing.
        Assert.Equal(0, await _portal.ScalarAsync<long>("SELECT COUNT(*) FROM notice_schedules"));
    }

    public void Dispose() => _portal.Dispose();
}
