using System.Net;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Incubators.IncubatorTestKit;
using static PolicyMatch.Web.Tests.Infrastructure.TestData;

namespace PolicyMatch.Web.Tests.Incubators;

/// <summary>
/// Linking a registered company to an incubator only with its owner's consent, advisors keeping
/// their tenants current (form and re-import with a preview), and owners told of join requests.
/// </summary>
public class TenantLinkTests(Portal portal) : IClassFixture<Portal>
{
    private async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        return await db.ExecuteScalarAsync<long>(sql, args);
    }

    /// <summary>A company registered by its owner (signed in), as a company user would have it.</summary>
    private async Task<(Session Owner, long CompanyId, string Uscc)> OwnedCompanyAsync(string name, int employees = 30)
    {
        var owner = await portal.SignInAsync(Roles.Company, "企业负责人");
        var uscc = NewUscc();
        var profile = JsonNode.Parse($$"""{ "name": "{{name}}", "uscc": "{{uscc}}", "district": "海淀区", "employees": {{employees}} }""")!.AsObject();
        var id = (await portal.Service<CompanyRepository>().CreateAsync(profile, owner.UserId))!.Value;
        return (owner, id, uscc);
    }

    private async Task<(string Kind, long Inbox, long Email)> MessageAsync(string key, long userId)
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        return await db.QuerySingleAsync<(string, long, long)>("""
            SELECT m.kind,
                   (SELECT COUNT(*) FROM notice_deliveries d WHERE d.message_id = m.id AND d.user_id = @User AND d.channel = 'inbox'),
                   (SELECT COUNT(*) FROM notice_deliveries d WHERE d.message_id = m.id AND d.user_id = @User AND d.channel = 'email')
            FROM notice_messages m WHERE m.key = @Key
            """, new { Key = key, User = userId });
    }

    private async Task<long> PendingLinkAsync(long incubatorId, long companyId) =>
        await CountAsync("SELECT id FROM tenant_link_requests WHERE incubator_id = @I AND company_id = @C AND status = 'pending'", new { I = incubatorId, C = companyId });

    private async Task<bool> IsTenantAsync(long incubatorId, long companyId) =>
        await CountAsync("SELECT COUNT(*) FROM incubator_tenants WHERE incubator_id = @I AND company_id = @C", new { I = incubatorId, C = companyId }) == 1;

    [Fact]
    public async Task A_registered_code_by_form_asks_the_owner_who_is_told_by_inbox_and_email_and_approves()
    {
        using var advisor = await portal.AdvisorAsync();
        var (owner, companyId, uscc) = await OwnedCompanyAsync("北京已登记科技有限公司");
        using var _ = owner;

        var response = await advisor.Session.PostFormAsync("/incubator/tenants/new", "/incubator/tenants/new",
            [F("Name", "另一个名字"), F("Uscc", uscc), F("District", "昌平区"), F("Employees", "99")]);

        // Asked, not linked: the advisor sees only what they typed.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await IsTenantAsync(advisor.IncubatorId, companyId));
        var workspace = await advisor.Session.PageAsync("/incubator");
        Assert.Contains("已向企业发出关联请求", workspace.QuerySelector(".flash")!.TextContent);
        Assert.Contains("另一个名字", workspace.QuerySelector("#link-requests")!.TextContent);
        Assert.DoesNotContain("北京已登记科技有限公司", workspace.Source.Text);
        await advisor.Session.PageAsync($"/incubator/tenants/{companyId}/report", HttpStatusCode.NotFound);
        await advisor.Session.PageAsync($"/incubator/tenants/{companyId}/profile", HttpStatusCode.NotFound);

        // The owner is told, in the inbox and by email (not a subscription: sent whatever they subscribed to).
        var requestId = await PendingLinkAsync(advisor.IncubatorId, companyId);
        Assert.Equal((NoticeKind.Account, 1L, 1L), await MessageAsync($"link:{requestId}", owner.UserId));
        await portal.Service<DeliveryDispatcher>().DispatchAsync();
        Assert.Equal(DeliveryStatus.Sent, await EmailStatusAsync($"link:{requestId}", owner.UserId));
        // A request needing a decision is no mailing list: no unsubscribe header or link.
        var deliveryId = await CountAsync("""
            SELECT d.id FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id
            WHERE m.key = @Key AND d.channel = 'email'
            """, new { Key = $"link:{requestId}" });
        var eml = Directory.GetFiles(portal.MailFolder, "*.eml").Select(File.ReadAllText).Single(t => t.Contains($"X-PolicyMatch-Delivery: {deliveryId}\r\n") || t.Contains($"X-PolicyMatch-Delivery: {deliveryId}\n"));
        Assert.DoesNotContain("List-Unsubscribe", eml);
        var inbox = await owner.PageAsync("/inbox");
        Assert.Contains(advisor.IncubatorName, inbox.QuerySelector("article.inbox-item")!.TextContent);

        // The owner approves on the company page: the company becomes a tenant, the advisor reads it.
        var approve = await owner.PostFormAsync($"/companies/{companyId}", $"/companies/{companyId}/links/{requestId}/approve", []);
        Assert.Equal(HttpStatusCode.Redirect, approve.StatusCode);
        Assert.True(await IsTenantAsync(advisor.IncubatorId, companyId));
        var report = await advisor.Session.PageAsync($"/incubator/tenants/{companyId}/report");
        Assert.Contains("北京已登记科技有限公司", report.Source.Text);
        Assert.Equal("approved", (await advisor.Session.PageAsync("/incubator")).QuerySelector("#link-requests tr[data-status]")!.GetAttribute("data-status"));
    }

    private async Task<string> EmailStatusAsync(string key, long userId) =>
        await (await portal.Service<IDbConnectionFactory>().OpenAsync()).ExecuteScalarAsync<string>("""
            SELECT d.status FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id
            WHERE m.key = @Key AND d.user_id = @User AND d.channel = 'email'
            """, new { Key = key, User = userId }) ?? "";

    [Fact]
    public async Task An_import_with_a_registered_company_imports_the_rest_after_a_preview_and_the_owner_may_decline()
    {
        using var advisor = await portal.AdvisorAsync();
        var (owner, companyId, uscc) = await OwnedCompanyAsync("北京别家科技有限公司");
        using var _ = owner;
        var fresh = NewUscc();
        var file = Utf8(Lines("name,uscc,district", $"北京新办科技有限公司,{fresh},昌平区", $"文件里的名字,{uscc},昌平区"));

        var response = await advisor.Session.ImportAsync(file);

        // A preview: nothing written yet, the registered row listed as a link request.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
        var link = Assert.Single(preview.QuerySelectorAll("table.import-links tbody tr"));
        Assert.Equal("3", link.GetAttribute("data-line"));
        Assert.DoesNotContain("北京别家科技有限公司", preview.Source.Text);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM companies WHERE uscc = @U", new { U = fresh }));

        var confirm = preview.QuerySelector("form[action$='/confirm']")!;
        var confirmed = await advisor.Session.PostFormAsync("/incubator/import", confirm.GetAttribute("action")!,
            [F("fingerprint", confirm.QuerySelector("input[name=fingerprint]")!.GetAttribute("value")!)], anyToken: true);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var workspace = await advisor.Session.PageAsync("/incubator");
        Assert.Contains("新建 1 家", workspace.QuerySelector(".flash")!.TextContent);
        Assert.Contains("已向 1 家已登记企业发出关联请求", workspace.QuerySelector(".flash")!.TextContent);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM companies WHERE uscc = @U", new { U = fresh }));
        Assert.False(await IsTenantAsync(advisor.IncubatorId, companyId));

        // The owner declines: still nothing for the advisor, who learns the answer.
        var requestId = await PendingLinkAsync(advisor.IncubatorId, companyId);
        var decline = await owner.PostFormAsync("/companies", $"/companies/{companyId}/links/{requestId}/decline", []);
        Assert.Equal(HttpStatusCode.Redirect, decline.StatusCode);
        Assert.False(await IsTenantAsync(advisor.IncubatorId, companyId));
        Assert.Equal("declined", (await advisor.Session.PageAsync("/incubator")).QuerySelector("#link-requests tr[data-status]")!.GetAttribute("data-status"));
        Assert.Equal(NoticeKind.Account, (await MessageAsync($"link-decided:{requestId}", advisor.Session.UserId)).Kind);
    }

    [Fact]
    public async Task Someone_elses_or_a_made_up_request_id_is_a_404_and_decides_nothing()
    {
        using var advisor = await portal.AdvisorAsync();
        var (owner, companyId, uscc) = await OwnedCompanyAsync("北京甲科技有限公司");
        var (other, otherCompanyId, _) = await OwnedCompanyAsync("北京乙科技有限公司");
        using var a = owner;
        using var b = other;
        await advisor.Session.PostFormAsync("/incubator/tenants/new", "/incubator/tenants/new", [F("Name", "甲"), F("Uscc", uscc), F("District", "海淀区")]);
        var requestId = await PendingLinkAsync(advisor.IncubatorId, companyId);

        // The other owner, through their own company's id (they pass the ownership check) and through the real one.
        foreach (var url in new[]
        {
            $"/companies/{otherCompanyId}/links/{requestId}/approve",
            $"/companies/{companyId}/links/{requestId}/approve",
            $"/companies/{otherCompanyId}/links/999999999/approve",
        })
        {
            var response = await other.PostFormAsync("/companies", url, [], anyToken: true);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        // The advisor cannot approve their own request either (company pages are not theirs: access denied).
        var own = await advisor.Session.PostFormAsync("/incubator", $"/companies/{companyId}/links/{requestId}/approve", [], anyToken: true);
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
        Assert.StartsWith("/error/403", own.Headers.Location!.AbsolutePath);
        Assert.Equal(requestId, await PendingLinkAsync(advisor.IncubatorId, companyId));
        Assert.False(await IsTenantAsync(advisor.IncubatorId, companyId));
    }

    [Fact]
    public async Task Re_importing_updates_tenants_only_after_the_preview_is_confirmed_and_blank_cells_clear_nothing()
    {
        using var advisor = await portal.AdvisorAsync();
        var first = NewUscc();
        var second = NewUscc();
        await advisor.Session.ImportValidAsync(Utf8(Lines("name,uscc,district,employees,invention_patents",
            $"北京更新甲科技有限公司,{first},昌平区,10,3", $"北京不变乙科技有限公司,{second},昌平区,20,")));
        var firstId = (await portal.Service<CompanyRepository>().FindByUsccAsync(first))!.Id;

        // employees 10 → 45; patents left blank: stays 3. The second row is the same as before.
        var response = await advisor.Session.ImportAsync(Utf8(Lines("name,uscc,district,employees,invention_patents",
            $"北京更新甲科技有限公司,{first},昌平区,45,", $"北京不变乙科技有限公司,{second},昌平区,20,")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var preview = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
        var change = Assert.Single(preview.QuerySelectorAll("table.import-updates tbody tr"));
        var cells = change.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["2", "北京更新甲科技有限公司", "从业人数", "10", "45"], cells);
        Assert.Equal(10, (int)(await portal.Service<CompanyRepository>().FindAsync(firstId))!.Profile()["employees"]!);

        var confirm = preview.QuerySelector("form[action$='/confirm']")!;
        var confirmed = await advisor.Session.PostFormAsync("/incubator/import", confirm.GetAttribute("action")!,
            [F("fingerprint", confirm.QuerySelector("input[name=fingerprint]")!.GetAttribute("value")!)], anyToken: true);

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Contains("更新 1 家", (await advisor.Session.PageAsync("/incubator")).QuerySelector(".flash")!.TextContent);
        var profile = (await portal.Service<CompanyRepository>().FindAsync(firstId))!.Profile();
        Assert.Equal(45, (int)profile["employees"]!);
        Assert.Equal(3, (int)profile["invention_patents"]!);
        var history = await portal.Service<CompanyRepository>().HistoryAsync(firstId);
        Assert.Equal("孵化器顾问", history[0].ChangedByName);
        Assert.Equal("[\"employees\"]", history[0].ChangedFactsJson);
        // The draft is used up: confirming again is a 404.
        Assert.Equal(HttpStatusCode.NotFound, (await advisor.Session.PostFormAsync("/incubator/import", confirm.GetAttribute("action")!, [F("fingerprint", "x")], anyToken: true)).StatusCode);
    }

    [Fact]
    public async Task A_tenant_changed_between_preview_and_confirmation_shows_the_new_preview_and_changes_nothing()
    {
        using var advisor = await portal.AdvisorAsync();
        var uscc = NewUscc();
        await advisor.Session.ImportValidAsync(Utf8(Lines("name,uscc,district,employees", $"北京并发科技有限公司,{uscc},昌平区,10")));
        var id = (await portal.Service<CompanyRepository>().FindByUsccAsync(uscc))!.Id;
        var response = await advisor.Session.ImportAsync(Utf8(Lines("name,uscc,district,employees", $"北京并发科技有限公司,{uscc},昌平区,45")));
        var preview = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
        var confirm = preview.QuerySelector("form[action$='/confirm']")!;

        // Meanwhile someone else changes the tenant.
        var changed = (await portal.Service<CompanyRepository>().FindAsync(id))!.Profile();
        changed["employees"] = 12;
        await portal.Service<CompanyRepository>().UpdateProfileAsync(id, changed, advisor.Session.UserId);

        var confirmed = await advisor.Session.PostFormAsync("/incubator/import", confirm.GetAttribute("action")!,
            [F("fingerprint", confirm.QuerySelector("input[name=fingerprint]")!.GetAttribute("value")!)], anyToken: true);

        Assert.Equal(HttpStatusCode.Conflict, confirmed.StatusCode);
        var again = await Html.ParseAsync(await confirmed.Content.ReadAsStringAsync());
        Assert.Contains("有变化", again.QuerySelector(".import-preview")!.TextContent);
        Assert.Equal("12", again.QuerySelectorAll("table.import-updates tbody tr td")[3].TextContent.Trim());
        Assert.Equal(12, (int)(await portal.Service<CompanyRepository>().FindAsync(id))!.Profile()["employees"]!);
    }

    [Fact]
    public async Task Another_advisors_import_draft_is_a_404()
    {
        using var advisor = await portal.AdvisorAsync();
        using var other = await portal.AdvisorAsync("另一家孵化器");
        var uscc = NewUscc();
        await advisor.Session.ImportValidAsync(Utf8(Lines("name,uscc,district,employees", $"北京草稿科技有限公司,{uscc},昌平区,10")));
        var response = await advisor.Session.ImportAsync(Utf8(Lines("name,uscc,district,employees", $"北京草稿科技有限公司,{uscc},昌平区,11")));
        var confirm = (await Html.ParseAsync(await response.Content.ReadAsStringAsync())).QuerySelector("form[action$='/confirm']")!;
        var fingerprint = confirm.QuerySelector("input[name=fingerprint]")!.GetAttribute("value")!;

        var stolen = await other.Session.PostFormAsync("/incubator/import", confirm.GetAttribute("action")!, [F("fingerprint", fingerprint)], anyToken: true);

        Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
        Assert.Equal(10, (int)(await portal.Service<CompanyRepository>().FindByUsccAsync(uscc))!.Profile()["employees"]!);
    }

    [Fact]
    public async Task An_advisor_updates_a_tenant_and_its_members_see_who_changed_what()
    {
        using var advisor = await portal.AdvisorAsync();
        var (owner, companyId, uscc) = await OwnedCompanyAsync("北京同意关联科技有限公司", employees: 8);
        using var _ = owner;
        await advisor.Session.PostFormAsync("/incubator/tenants/new", "/incubator/tenants/new", [F("Name", "x"), F("Uscc", uscc), F("District", "海淀区")]);
        var requestId = await PendingLinkAsync(advisor.IncubatorId, companyId);
        await owner.PostFormAsync($"/companies/{companyId}", $"/companies/{companyId}/links/{requestId}/approve", []);

        var form = await advisor.Session.PageAsync($"/incubator/tenants/{companyId}/profile");
        Assert.Equal("8", form.QuerySelector("input[name=Employees]")!.GetAttribute("value"));
        var response = await advisor.Session.PostFormAsync($"/incubator/tenants/{companyId}/profile", $"/incubator/tenants/{companyId}/profile",
            [F("Name", "北京同意关联科技有限公司"), F("Uscc", uscc), F("District", "海淀区"), F("Employees", "15")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var history = await owner.PageAsync($"/companies/{companyId}/history");
        var latest = history.QuerySelector("table.grid tbody tr")!.TextContent;
        Assert.Contains("孵化器顾问", latest);
        Assert.Contains("从业人数", latest);

        // The code cannot be changed, and a company that is not a tenant cannot be edited at all.
        var moved = await advisor.Session.PostFormAsync($"/incubator/tenants/{companyId}/profile", $"/incubator/tenants/{companyId}/profile",
            [F("Name", "北京同意关联科技有限公司"), F("Uscc", NewUscc()), F("District", "海淀区")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, moved.StatusCode);
        var (stranger, strangerId, strangerUscc) = await OwnedCompanyAsync("北京无关科技有限公司");
        using var __ = stranger;
        await advisor.Session.PageAsync($"/incubator/tenants/{strangerId}/profile", HttpStatusCode.NotFound);
        var tampered = await advisor.Session.PostFormAsync("/incubator", $"/incubator/tenants/{strangerId}/profile",
            [F("Name", "改掉"), F("Uscc", strangerUscc), F("District", "海淀区")], anyToken: true);
        Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);
        Assert.Equal("北京无关科技有限公司", (await portal.Service<CompanyRepository>().FindAsync(strangerId))!.Name);
    }

    [Fact]
    public async Task A_join_request_is_told_to_the_owner_by_inbox_and_email()
    {
        var (owner, companyId, uscc) = await OwnedCompanyAsync("北京招人科技有限公司");
        using var _ = owner;
        using var applicant = await portal.SignInAsync(Roles.Company, "新同事");

        var response = await applicant.PostFormAsync("/companies", "/companies/join", [F("uscc", uscc)]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var requestId = await CountAsync("SELECT id FROM join_requests WHERE company_id = @C AND user_id = @U", new { C = companyId, U = applicant.UserId });
        Assert.Equal((NoticeKind.Account, 1L, 1L), await MessageAsync($"join:{requestId}", owner.UserId));
        Assert.Contains("新同事", (await owner.PageAsync("/inbox")).QuerySelector("article.inbox-item")!.TextContent);
        await portal.Service<DeliveryDispatcher>().DispatchAsync();
        Assert.Equal(DeliveryStatus.Sent, await EmailStatusAsync($"join:{requestId}", owner.UserId));
    }

    [Fact]
    public void An_account_email_says_why_it_came_and_offers_no_unsubscribe()
    {
        var model = new PolicyMatch.Web.Features.Notices.Email.NoticeEmailModel(NoticeKind.Account, "孵化器请求关联", "赵总", "正文", null, [],
            "http://localhost/companies/1", "在门户中查看", "http://localhost/unsubscribe/x", "http://localhost/subscriptions");
        Assert.False(model.CanUnsubscribe);
        Assert.DoesNotContain("退订", model.Text());
        Assert.Contains("需要您处理", model.Reason);
        Assert.True(new PolicyMatch.Web.Features.Notices.Email.NoticeEmailModel(NoticeKind.Digest, "t", "n", "b", null, [], "l", "t", "u", "s").CanUnsubscribe);
    }
}
