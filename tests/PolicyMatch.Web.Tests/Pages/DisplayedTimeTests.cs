using Dapper;
using PolicyMatch.Web.Features.Documents;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Authoring;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Pages;

/// <summary>
/// Every time a page shows is Beijing time with the zone named (issue 13 item 1), on a server whose own
/// zone is UTC: what happened at 23:30 UTC on 2026-12-04 shows as 2026-12-05 07:30.
/// </summary>
public class DisplayedTimeTests(LateEveningUtcPortal portal) : IClassFixture<LateEveningUtcPortal>
{
    private const string Shown = "2026-12-05 07:30(北京时间)";
    private const string ShownEnglish = "2026-12-05 07:30 (Beijing time)";

    [Fact]
    public async Task The_versions_page_and_the_audit_log_show_a_new_measure_in_Beijing_time_with_the_zone()
    {
        using var admin = await portal.AdminAsync("周敏");
        var id = AdminForms.Slug("hd-time");
        await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", await AdminForms.NewMeasureAsync(portal, id, "北京时间测试措施"));

        var versions = await admin.PageAsync($"/admin/measures/{id}/versions");
        Assert.Contains(Shown, versions.QuerySelector("table")!.TextContent);
        Assert.DoesNotContain("2026-12-04 23:30", versions.Body!.TextContent);

        var audit = await admin.PageAsync($"/admin/audit?entity=measure&id={id}");
        Assert.Equal(Shown, audit.QuerySelector("table.audit tbody tr td")!.TextContent.Trim());
        var home = await admin.PageAsync("/admin");
        Assert.Contains(Shown, home.QuerySelector($"table.measures tr[data-measure='{id}']")!.TextContent);

        // The language switch is kept in a cookie, so English comes last.
        var english = await admin.PageAsync($"/admin/audit?entity=measure&id={id}&lang=en");
        Assert.Equal(ShownEnglish, english.QuerySelector("table.audit tbody tr td")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_document_s_versions_show_their_time_in_Beijing_with_the_zone()
    {
        using var admin = await portal.AdminAsync();
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Documents", "Fixtures", "district-notice.txt"));
        var id = await portal.Service<DocumentRepository>().CreateAsync(
            new DocumentMetadata("北京时间测试文件", "昌平区科学技术委员会", null, new DateOnly(2025, 4, 1), null, null, ["昌平区"]),
            text, DocumentRepository.PastedSource, admin.UserId, admin.Email, default);

        var page = await admin.PageAsync($"/admin/documents/{id}");
        Assert.Contains(Shown, page.Body!.TextContent);
    }

    [Fact]
    public async Task A_stored_instant_just_before_Beijing_midnight_is_shown_on_the_day_it_was_in_Beijing()
    {
        using var admin = await portal.AdminAsync();
        var marker = $"n-{Guid.NewGuid():N}";
        await using (var db = await portal.Service<IDbConnectionFactory>().OpenAsync())
        {
            await db.ExecuteAsync("""
                INSERT INTO audit_log (at, user_id, action, entity, entity_id, details_json)
                VALUES ('2026-12-04T15:59:59.999Z', @User, 'notice.cancelled', 'notice', @Marker, '{}')
                """, new { User = admin.UserId, Marker = marker });
        }
        var audit = await admin.PageAsync($"/admin/audit?id={marker}");
        Assert.Equal("2026-12-04 23:59(北京时间)", audit.QuerySelector("table.audit tbody tr td")!.TextContent.Trim());
    }
}
