using System.Net;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Authoring;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Admin;

/// <summary>
/// The audit log names every action in the reader's language and filters by who, what and when, the
/// dates being Beijing dates: an entry at 16:00 UTC on the 4th is on the 5th in Beijing.
/// </summary>
public class AuditLogPageTests(Portal portal) : IClassFixture<Portal>
{
    /// <summary>Writes entries with chosen instants straight into the table; each test marks its own by entity id.</summary>
    private async Task AddAsync(string marker, params (long? User, AuditAction Action, string At)[] entries)
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        await db.ExecuteAsync("""
            INSERT INTO audit_log (at, user_id, action, entity, entity_id, details_json)
            VALUES (@At, @User, @Action, 'notice', @Marker, '{}')
            """, entries.Select(e => new { e.At, e.User, e.Action, Marker = marker }));
    }

    private static List<string> Actions(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll("table.audit tbody tr").Select(r => r.GetAttribute("data-action")!).ToList();

    [Fact]
    public async Task Every_action_shows_its_label_never_its_key_in_Chinese_and_in_English()
    {
        using var admin = await portal.AdminAsync();
        var marker = $"n-{Guid.NewGuid():N}";
        await AddAsync(marker, AuditAction.All.Select(a => ((long?)admin.UserId, a, "2026-12-04T23:30:00.000Z")).ToArray());

        var page = await admin.PageAsync($"/admin/audit?id={marker}");
        var rows = page.QuerySelectorAll("table.audit tbody tr");
        Assert.Equal(AuditAction.All.Count, rows.Length);
        foreach (var row in rows)
        {
            var action = AuditAction.Parse(row.GetAttribute("data-action")!);
            Assert.Equal(action.Chinese, row.Children[2].TextContent.Trim());
            Assert.DoesNotContain(action.Value, row.TextContent);
            Assert.Equal($"通知 {marker}", row.Children[3].TextContent.Trim());
        }

        var english = await admin.PageAsync($"/admin/audit?id={marker}&lang=en");
        Assert.Equal(AuditAction.All.Select(a => a.English).Order(), english.QuerySelectorAll("table.audit tbody tr td:nth-child(3)").Select(c => c.TextContent.Trim()).Order());
        Assert.Equal(AuditAction.All.Select(a => a.English), english.QuerySelectorAll("#f-action option").Skip(1).Select(o => o.TextContent));
    }

    [Fact]
    public async Task The_log_is_filtered_by_who_what_and_Beijing_dates_and_the_next_page_keeps_the_filters()
    {
        using var admin = await portal.AdminAsync();
        var (zhao, _) = await portal.CreateUserAsync(Roles.Admin, "赵审计员");
        var (qian, _) = await portal.CreateUserAsync(Roles.Advisor, "钱审计员");
        var marker = $"n-{Guid.NewGuid():N}";
        await AddAsync(marker,
            (zhao, AuditAction.NoticeScheduled, "2026-12-04T15:59:59.999Z"),   // Beijing 2026-12-04 23:59:59.999
            (qian, AuditAction.TenantsImported, "2026-12-04T16:00:00.000Z"));  // Beijing 2026-12-05 00:00

        async Task<List<string>> ListedAsync(string query) => Actions(await admin.PageAsync($"/admin/audit?id={marker}&{query}"));

        Assert.Equal([AuditAction.TenantsImported.Value], await ListedAsync("from=2026-12-05"));
        Assert.Equal([AuditAction.NoticeScheduled.Value], await ListedAsync("to=2026-12-04"));
        Assert.Equal([AuditAction.TenantsImported.Value, AuditAction.NoticeScheduled.Value], await ListedAsync("from=2026-12-04&to=2026-12-05"));
        Assert.Empty(await ListedAsync("from=2026-12-06"));
        Assert.Equal([AuditAction.NoticeScheduled.Value], await ListedAsync("who=" + Uri.EscapeDataString("赵审计")));
        Assert.Equal([AuditAction.TenantsImported.Value], await ListedAsync("action=incubator.tenants_imported"));
        // A LIKE wildcard typed by the user is a character to find, not a pattern.
        Assert.Empty(await ListedAsync("who=%25"));

        // Paging: 101 matching entries make two pages, and the link to the second keeps every filter.
        var many = $"n-{Guid.NewGuid():N}";
        await AddAsync(many, Enumerable.Range(0, AuditLog.PageSize + 1).Select(_ => ((long?)qian, AuditAction.TenantsImported, "2026-12-04T16:00:00.000Z")).ToArray());
        var first = await admin.PageAsync($"/admin/audit?id={many}&who=%E9%92%B1&action=incubator.tenants_imported&from=2026-12-05&to=2026-12-05");
        Assert.Equal(AuditLog.PageSize, Actions(first).Count);
        var older = first.QuerySelector("a.older")!.GetAttribute("href")!;
        foreach (var kept in new[] { $"id={many}", "who=%E9%92%B1", "action=incubator.tenants_imported", "from=2026-12-05", "to=2026-12-05", "before=" })
        {
            Assert.Contains(kept, older);
        }
        Assert.Single(Actions(await admin.PageAsync(older)));
    }

    [Fact]
    public async Task Bad_filters_are_refused_next_to_their_fields_in_Chinese_and_what_was_typed_is_kept()
    {
        using var admin = await portal.AdminAsync();
        var page = await admin.PageAsync("/admin/audit?who=%E7%8E%8B&action=made.up&from=2026-02-30&to=2026-01-01", HttpStatusCode.BadRequest);

        Assert.Contains("“2026-02-30”不是有效日期", page.QuerySelector(".field.invalid #f-from")!.ParentElement!.QuerySelector(".field-error")!.TextContent);
        Assert.Contains("没有这种操作类型", page.QuerySelector("#f-action")!.ParentElement!.QuerySelector(".field-error")!.TextContent);
        Assert.Null(page.QuerySelector("#f-to")!.ParentElement!.QuerySelector(".field-error"));
        Assert.Equal("王", page.QuerySelector("#f-who")!.GetAttribute("value"));
        Assert.Equal("2026-02-30", page.QuerySelector("#f-from")!.GetAttribute("value"));
        // Shown as typed: a date input would show an impossible date as empty.
        Assert.Equal(("text", "date"), (page.QuerySelector("#f-from")!.GetAttribute("type"), page.QuerySelector("#f-to")!.GetAttribute("type")));
        Assert.Equal("2026-01-01", page.QuerySelector("#f-to")!.GetAttribute("value"));
        Assert.Equal("made.up", page.QuerySelector("#f-action option[selected]")!.GetAttribute("value"));
        Assert.Equal(2, page.QuerySelectorAll(".error-summary li").Length);
        Assert.Null(page.QuerySelector("table.audit"));

        var reversed = await admin.PageAsync("/admin/audit?from=2026-12-06&to=2026-12-05", HttpStatusCode.BadRequest);
        Assert.Equal("结束日期不能早于开始日期", reversed.QuerySelector("#f-to")!.ParentElement!.QuerySelector(".field-error")!.TextContent);
        Assert.Equal("2026-12-06", reversed.QuerySelector("#f-from")!.GetAttribute("value"));

        var english = await admin.PageAsync("/admin/audit?from=2026-13-01&lang=en", HttpStatusCode.BadRequest);
        Assert.Contains("is not a date: write it as year-month-day", english.QuerySelector(".field-error")!.TextContent);
    }

    [Fact]
    public async Task A_long_actor_filter_is_refused()
    {
        using var admin = await portal.AdminAsync();
        var page = await admin.PageAsync("/admin/audit?who=" + new string('x', AuditFilter.MaxWho + 1), HttpStatusCode.BadRequest);
        Assert.Contains($"操作人最多 {AuditFilter.MaxWho} 个字", page.QuerySelector("#f-who")!.ParentElement!.QuerySelector(".field-error")!.TextContent);
    }
}
