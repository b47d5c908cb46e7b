using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Authoring;

/// <summary>
/// The impact preview counts every company in the portal (this class has its own database, so the
/// companies below are all there are) and compares a draft with the published version.
/// </summary>
public class ImpactPreviewTests(Portal portal) : IClassFixture<Portal>
{
    // The measure under test: district = 海淀区 and employees ≥ N.
    private static readonly (string Name, string Uscc, string Profile)[] Companies =
    [
        ("甲科技", "TEST00000000000001", """{ "district": "海淀区", "employees": 80 }"""),  // eligible at ≥ 50 and at ≥ 5
        ("乙科技", "TEST00000000000002", """{ "district": "海淀区", "employees": 10 }"""),  // not at ≥ 50; eligible at ≥ 5
        ("丙科技", "TEST00000000000003", """{ "district": "海淀区" }"""),                   // employees unknown: needs information
        ("丁科技", "TEST00000000000004", """{ "district": "昌平区", "employees": 80 }"""),  // wrong district: never
        ("=戊科技", "TEST00000000000005", """{ "district": "海淀区", "employees": 500 }"""), // eligible; a name a spreadsheet would run as a formula
    ];

    private async Task SeedCompaniesAsync()
    {
        var companies = portal.Service<CompanyRepository>();
        foreach (var (name, uscc, profile) in Companies)
        {
            var json = JsonNode.Parse(profile)!.AsObject();
            json["name"] = name;
            json["uscc"] = uscc;
            await companies.CreateAsync(json, null);
        }
    }

    [Fact]
    public async Task The_preview_counts_companies_lists_the_eligible_ones_and_compares_with_the_published_version()
    {
        await SeedCompaniesAsync();
        using var admin = await portal.AdminAsync();
        var id = AdminForms.Slug("hd-impact");
        await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", await AdminForms.NewMeasureAsync(portal, id, "影响预览测试", minEmployees: 50));

        // Never published: counts for the draft only.
        var preview = await admin.PageAsync($"/admin/measures/{id}/preview");
        Assert.Equal(["2", "1", "2"], Counts(preview));
        Assert.Equal(["=戊科技", "甲科技"], preview.QuerySelectorAll("table.eligible-companies tbody td:first-child").Select(td => td.TextContent).Order());
        Assert.Empty(preview.QuerySelectorAll("#newly-eligible"));

        var publish = await admin.PostFormAsync($"/admin/measures/{id}/preview", $"/admin/measures/{id}/publish", [new("version", "1")]);
        Assert.Equal($"/admin/measures/{id}/preview?published=1", publish.Headers.Location!.OriginalString);

        // A draft that lowers the threshold: 乙 becomes eligible; nobody drops out.
        var action = $"/admin/measures/{id}/edit";
        var fields = AdminForms.FieldsOf(await admin.PageAsync(action), action).With(("m.Criteria[0].Builder.Items[1].Value", "5"));
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SaveAsync(action, action, fields)).StatusCode);
        preview = await admin.PageAsync($"/admin/measures/{id}/preview");
        Assert.Equal(["3", "1", "1"], Counts(preview));
        Assert.Equal(["2", "1", "2"], preview.QuerySelectorAll("table.counts tbody td:nth-child(3)").Select(td => td.TextContent.Trim()));
        Assert.Equal(["乙科技"], preview.QuerySelectorAll("#newly-eligible li").Select(li => li.FirstChild!.TextContent.Trim()));
        Assert.Empty(preview.QuerySelectorAll("#no-longer-eligible li"));
        Assert.Equal("2", preview.QuerySelector("#lifecycle input[name=version]")!.GetAttribute("value"));

        // A draft that raises it: 甲 drops out.
        fields = AdminForms.FieldsOf(await admin.PageAsync(action), action).With(("m.Criteria[0].Builder.Items[1].Value", "100"));
        await admin.SaveAsync(action, action, fields);
        preview = await admin.PageAsync($"/admin/measures/{id}/preview");
        Assert.Equal(["1", "1", "3"], Counts(preview));
        Assert.Equal(["甲科技"], preview.QuerySelectorAll("#no-longer-eligible li").Select(li => li.FirstChild!.TextContent.Trim()));
        Assert.Empty(preview.QuerySelectorAll("#newly-eligible li"));

        // Publishing an older draft than the newest is refused: publish what was previewed.
        var stale = await admin.PostFormAsync($"/admin/measures/{id}/preview", $"/admin/measures/{id}/publish", [new("version", "2")]);
        Assert.Equal($"/admin/measures/{id}/preview?stale=true", stale.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_eligible_companies_export_as_CSV_escaped_for_spreadsheets_and_the_export_is_audited()
    {
        await SeedCompaniesAsync(); // idempotent: a taken USCC is skipped
        using var admin = await portal.AdminAsync("导出员");
        var id = AdminForms.Slug("hd-export");
        await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", await AdminForms.NewMeasureAsync(portal, id, "导出测试", minEmployees: 50));

        await using (var db = await portal.Service<PolicyMatch.Web.Infrastructure.Data.IDbConnectionFactory>().OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(db, "UPDATE companies SET verified_at = '2026-01-01T00:00:00Z' WHERE uscc = 'TEST00000000000001'");
        }
        var response = await admin.Client.GetAsync($"/admin/measures/{id}/eligible.csv?version=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]); // a BOM, so Excel reads UTF-8
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("统一社会信用代码,企业名称,所在区,措施编号,措施名称,版本,评估日期,认证状态", lines[0]);
        // 甲's ownership was proved (what an administrator's approval writes); nobody proved 戊's, and the list
        // says so (issue 14 item 8).
        Assert.Contains(lines, l => l.StartsWith("TEST00000000000001,", StringComparison.Ordinal) && l.EndsWith(",已认证", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("戊科技", StringComparison.Ordinal) && l.EndsWith(",未认证", StringComparison.Ordinal));
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith($"TEST00000000000001,甲科技,海淀区,{id},导出测试,1,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"\t=戊科技\"", StringComparison.Ordinal) || l.Contains("'=戊科技", StringComparison.Ordinal) || l.Contains("\t=戊科技", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(",=戊科技", StringComparison.Ordinal));

        var entry = (await portal.Service<AuditLog>().ListAsync("measure", id)).First();
        Assert.Equal("measure.eligible_exported", entry.Action);
        Assert.Equal(2, (int)entry.Details()["companies"]!);
    }

    private static string[] Counts(AngleSharp.Html.Dom.IHtmlDocument page) =>
        new[] { "eligible", "needs-information", "not-eligible" }.Select(k => page.QuerySelector($"td[data-count='{k}']")!.TextContent.Trim()).ToArray();
}
