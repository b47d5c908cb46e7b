using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CsvHelper;
using Dapper;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Spreadsheet;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Incubators;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Incubators.IncubatorTestKit;
using static PolicyMatch.Web.Tests.Infrastructure.TestData;

namespace PolicyMatch.Web.Tests.Incubators;

/// <summary>An advisor's workspace through the real pipeline on real SQLite.</summary>
public class IncubatorPageTests(Portal portal) : IClassFixture<Portal>
{
    // Four tenants chosen for one measure, cp-tech-transfer-award (昌平区 and a university spin-off;
    // in force 2023–2025), evaluated on 2025-06-01:
    private const string AsOf = "2025-06-01";
    private const string Measure = "cp-tech-transfer-award";

    private static string FourTenants(out string[] codes)
    {
        codes = [NewUscc(), NewUscc(), NewUscc(), NewUscc()];
        return Lines(
            "name,uscc,district,university_spinoff",
            $"北京符合生物科技有限公司,{codes[0]},昌平区,是",   // both criteria met: ✓
            $"北京待补充科技有限公司,{codes[1]},昌平区,",       // spin-off unknown: ?
            $"北京差一项科技有限公司,{codes[2]},昌平区,否",     // fails only the spin-off criterion: ≈
            $"北京海淀衍生科技有限公司,{codes[3]},海淀区,是");  // fails only on location: not a near miss, blank
    }

    private async Task<long> CompanyIdAsync(string uscc)
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        return await db.ExecuteScalarAsync<long>("SELECT id FROM companies WHERE uscc = @Uscc", new { Uscc = uscc });
    }

    private async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        return await db.ExecuteScalarAsync<long>(sql, args);
    }

    [Fact]
    public async Task An_advisor_adds_a_tenant_by_form_and_sees_it_listed_with_its_counts()
    {
        using var advisor = await portal.AdvisorAsync();
        var s = advisor.Session;
        var incubatorId = advisor.IncubatorId;
        var incubatorName = advisor.IncubatorName;
        var uscc = NewUscc();

        var response = await s.PostFormAsync("/incubator/tenants/new", "/incubator/tenants/new",
            [F("Name", "北京表单添加科技有限公司"), F("Uscc", uscc), F("District", "昌平区"), F("Employees", "12"), F("UniversitySpinoff", "yes")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/incubator", response.Headers.Location!.OriginalString);
        var page = await s.PageAsync("/incubator");
        Assert.Equal(incubatorName, page.QuerySelector("h1")!.TextContent);
        Assert.Contains("已添加在孵企业", page.QuerySelector(".flash")!.TextContent);
        var row = page.QuerySelector($"table.tenants tr[data-company='{await CompanyIdAsync(uscc)}']")!;
        Assert.Contains("北京表单添加科技有限公司", row.TextContent);
        Assert.Contains(uscc, row.TextContent);
        Assert.Contains("昌平区", row.TextContent);
        Assert.True(int.Parse(row.QuerySelector("td.eligible")!.TextContent) >= 0);

        var profile = (await portal.Service<CompanyRepository>().FindByUsccAsync(uscc))!.Profile();
        Assert.True((bool)profile["incubator_tenant"]!); // added by an incubator: a tenant
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM incubator_tenants WHERE incubator_id = @Id", new { Id = incubatorId }));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM company_members m JOIN companies c ON c.id = m.company_id WHERE c.uscc = @Uscc", new { Uscc = uscc }));
        Assert.Equal(s.UserId, await CountAsync("SELECT changed_by FROM profile_history h JOIN companies c ON c.id = h.company_id WHERE c.uscc = @Uscc", new { Uscc = uscc }));
    }

    [Fact]
    public async Task A_bad_form_keeps_what_was_typed_and_says_what_to_fix()
    {
        using var advisor = await portal.AdvisorAsync();
        var s = advisor.Session;

        var response = await s.PostFormAsync("/incubator/tenants/new", "/incubator/tenants/new",
            [F("Name", "北京填错科技有限公司"), F("Uscc", BadCheckUscc()), F("District", "昌平区"), F("Employees", "四十五")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
        Assert.NotNull(page.QuerySelector("#err-uscc"));
        Assert.NotNull(page.QuerySelector("#err-employees"));
        Assert.Equal("四十五", page.QuerySelector("input[name=Employees]")!.GetAttribute("value"));
        Assert.Equal("北京填错科技有限公司", page.QuerySelector("input[name=Name]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Importing_a_valid_GB18030_file_lists_every_tenant_with_history_and_an_audit_entry()
    {
        using var advisor = await portal.AdvisorAsync();
        var s = advisor.Session;
        var incubatorId = advisor.IncubatorId;

        var response = await s.ImportAsync(Gb18030(FourTenants(out var codes)), "在孵企业.csv");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await s.PageAsync("/incubator");
        Assert.Contains("已导入 4 家企业:新建 4 家", page.QuerySelector(".flash")!.TextContent);
        var rows = page.QuerySelectorAll("table.tenants tbody tr");
        Assert.Equal(4, rows.Length);
        Assert.Contains(rows, r => r.TextContent.Contains("北京符合生物科技有限公司") && r.TextContent.Contains(codes[0]));
        Assert.Equal(4, await CountAsync("SELECT COUNT(*) FROM incubator_tenants WHERE incubator_id = @Id", new { Id = incubatorId }));
        Assert.Equal(4, await CountAsync(
            "SELECT COUNT(*) FROM profile_history h JOIN incubator_tenants t ON t.company_id = h.company_id WHERE t.incubator_id = @Id AND h.changed_by = @User",
            new { Id = incubatorId, User = s.UserId }));
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'incubator.tenants_imported' AND entity_id = @Id", new { Id = incubatorId.ToString() }));
    }

    [Fact]
    public async Task A_file_with_one_bad_row_imports_nothing_and_lists_the_problem_with_its_line()
    {
        using var advisor = await portal.AdvisorAsync();
        var s = advisor.Session;
        var incubatorId = advisor.IncubatorId;
        var good = NewUscc();
        var companiesBefore = await CountAsync("SELECT COUNT(*) FROM companies");
        var file = Utf8(Lines("name,uscc,district,employees", $"北京好行科技有限公司,{good},昌平区,10", $"北京坏行科技有限公司,{NewUscc()},昌平区,十个"), bom: true);

        var response = await s.ImportAsync(file);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
        Assert.Contains("没有导入任何企业", page.QuerySelector("#import-result")!.TextContent);
        var problem = Assert.Single(page.QuerySelectorAll("#import-result table.problems tbody tr"));
        var cells = problem.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal("3", cells[0]);
        Assert.Equal("D (employees)", cells[1]);
        Assert.Equal("十个", cells[2]);
        Assert.Contains("整数", cells[3]);
        // Nothing imported: not the good row either.
        Assert.Equal(companiesBefore, await CountAsync("SELECT COUNT(*) FROM companies"));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM incubator_tenants WHERE incubator_id = @Id", new { Id = incubatorId }));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM companies WHERE uscc = @Uscc", new { Uscc = good }));
    }

    [Fact]
    public async Task An_oversized_upload_is_refused_with_a_clear_message()
    {
        using var advisor = await portal.AdvisorAsync();
        var s = advisor.Session;

        var response = await s.ImportAsync(new byte[3 * 1024 * 1024]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
        Assert.Contains("上限为 2 MB", page.QuerySelector("#import-result")!.TextContent);
    }

    [Fact]
    public async Task The_page_script_gets_a_JSON_redirect_so_the_flash_survives_for_the_page()
    {
        using var advisor = await portal.AdvisorAsync();
        var s = advisor.Session;

        var response = await s.ImportAsync(Utf8(Lines("name,uscc,district", $"北京脚本导入科技有限公司,{NewUscc()},昌平区")), xhr: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("/incubator", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["redirect"]);
        Assert.Contains("已导入 1 家企业", (await s.PageAsync("/incubator")).QuerySelector(".flash")!.TextContent);
    }

    [Fact]
    public async Task The_matrix_marks_eligible_needs_information_near_miss_and_leaves_not_eligible_blank()
    {
        using var advisor = await portal.AdvisorAsync();
        var s = advisor.Session;
        await s.ImportValidAsync(Utf8(FourTenants(out var codes)));

        var ids = new List<long>();
        foreach (var code in codes)
        {
            ids.Add(await CompanyIdAsync(code));
        }

        var page = await s.PageAsync($"/incubator/matrix?cols=all&as_of={AsOf}");

        string Cell(int i) => page.QuerySelector($"tr[data-company='{ids[i]}'] td[data-measure='{Measure}']")!.TextContent.Trim();
        Assert.Equal("✓", Cell(0));
        Assert.Equal("?", Cell(1));
        Assert.Equal("≈", Cell(2));
        Assert.Equal("", Cell(3));
        Assert.Contains("符合条件", page.QuerySelector(".legend")!.TextContent);
        Assert.Contains("差一项", page.QuerySelector(".legend")!.TextContent);
        Assert.NotNull(page.QuerySelector($"th.measure[data-measure='{Measure}'] a[href='/measures/{Measure}']"));

        // Filtered to another plan, the column is gone; the default hides columns nobody matches.
        var other = await s.PageAsync($"/incubator/matrix?plan=004&cols=all&as_of={AsOf}");
        Assert.Null(other.QuerySelector($"th.measure[data-measure='{Measure}']"));
        var relevant = await s.PageAsync($"/incubator/matrix?as_of={AsOf}");
        Assert.NotNull(relevant.QuerySelector($"th.measure[data-measure='{Measure}']"));
        Assert.True(relevant.QuerySelectorAll("th.measure").Length < page.QuerySelectorAll("th.measure").Length);

        // A year later plan 000 (2023–2025) has expired: struck through, and hidden when only current measures are asked for.
        var later = await s.PageAsync("/incubator/matrix?cols=all&as_of=2026-06-01");
        Assert.NotNull(later.QuerySelector($"th.measure.expired[data-measure='{Measure}']"));
        var current = await s.PageAsync("/incubator/matrix?cols=all&period=current&as_of=2026-06-01");
        Assert.Null(current.QuerySelector($"th.measure[data-measure='{Measure}']"));
        Assert.NotEmpty(current.QuerySelectorAll("th.measure"));
        Assert.Empty(current.QuerySelectorAll("th.measure.expired"));
    }

    [Fact]
    public async Task The_report_shows_the_company_facts_and_criteria_in_Chinese()
    {
        using var advisor = await portal.AdvisorAsync();
        var s = advisor.Session;
        await s.ImportValidAsync(Utf8(FourTenants(out var codes)));
        var id = await CompanyIdAsync(codes[1]);

        var response = await s.Client.GetAsync($"/incubator/tenants/{id}/report?as_of={AsOf}");
        var raw = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("北京待补充科技有限公司", raw); // unescaped, not &#x…;
        var page = await Html.ParseAsync(raw);
        Assert.Equal("北京待补充科技有限公司", page.QuerySelector("h1")!.TextContent);
        Assert.Contains(AsOf, page.QuerySelector(".summary")!.TextContent);
        var facts = page.QuerySelector("dl.facts")!.TextContent;
        Assert.Contains("统一社会信用代码", facts);
        Assert.Contains(codes[1], facts);
        Assert.Contains("未填写", facts);
        var measure = page.QuerySelector($"section#needs-info div.match[data-measure='{Measure}']")!;
        Assert.Contains("✓", measure.QuerySelector("li.criterion.met .mark")!.TextContent);
        Assert.Contains("高校衍生企业", measure.QuerySelector("li.criterion.unknown .missing")!.TextContent);
        Assert.NotNull(page.QuerySelector("style[media=print]"));
    }

    [Fact]
    public async Task The_CSV_export_starts_with_a_BOM_and_round_trips_Chinese()
    {
        using var advisor = await portal.AdvisorAsync();
        var s = advisor.Session;
        await s.ImportValidAsync(Utf8(FourTenants(out var codes)));

        var response = await s.Client.GetAsync($"/incubator/matrix.csv?cols=all&as_of={AsOf}");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        // Measure titles contain commas: read it back with a CSV parser, as Excel would.
        var lines = new List<string[]>();
        using (var parser = new CsvParser(new StringReader(new UTF8Encoding(false, true).GetString(bytes[3..])), CultureInfo.InvariantCulture))
        {
            while (parser.Read()) lines.Add(parser.Record!);
        }
        Assert.Equal(5, lines.Count);
        var header = lines[0];
        Assert.Equal(["企业名称", "统一社会信用代码", "所在区"], header[..3]);
        var column = Array.IndexOf(header, "高校院所优质科技成果在昌落地转化奖励补贴");
        Assert.True(column > 2, string.Join("|", header));
        var byName = lines.Skip(1).ToDictionary(f => f[0]);
        Assert.Equal(codes[0], byName["北京符合生物科技有限公司"][1]);
        Assert.Equal("符合条件", byName["北京符合生物科技有限公司"][column]);
        Assert.Equal("需补充信息", byName["北京待补充科技有限公司"][column]);
        Assert.Equal("差一项", byName["北京差一项科技有限公司"][column]);
        Assert.Equal("不符合", byName["北京海淀衍生科技有限公司"][column]);
        Assert.Equal("海淀区", byName["北京海淀衍生科技有限公司"][2]);
    }

    [Fact]
    public async Task The_XLSX_export_opens_with_OpenXml_and_its_cells_hold_the_Chinese_names()
    {
        using var advisor = await portal.AdvisorAsync();
        var s = advisor.Session;
        await s.ImportValidAsync(Utf8(FourTenants(out _)));

        var response = await s.Client.GetAsync($"/incubator/matrix.xlsx?as_of={AsOf}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);

        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var document = SpreadsheetDocument.Open(stream, false);
        var errors = new OpenXmlValidator().Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors)); // what Excel would refuse to open
        var sheet = document.WorkbookPart!.WorksheetParts.Single().Worksheet;
        var rows = sheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.InnerText).ToList()).ToList();
        Assert.Equal(5, rows.Count);
        Assert.Equal(["企业名称", "统一社会信用代码", "所在区"], rows[0][..3]);
        Assert.Contains("高校院所优质科技成果在昌落地转化奖励补贴", rows[0]);
        Assert.Equal(
            new[] { "北京符合生物科技有限公司", "北京待补充科技有限公司", "北京差一项科技有限公司", "北京海淀衍生科技有限公司" }.Order(StringComparer.Ordinal),
            rows.Skip(1).Select(r => r[0]).Order(StringComparer.Ordinal));
        var column = rows[0].IndexOf("高校院所优质科技成果在昌落地转化奖励补贴");
        Assert.Equal("符合条件", rows.Single(r => r[0] == "北京符合生物科技有限公司")[column]);
        Assert.Equal("政策匹配矩阵", document.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single().Name!.Value);
    }

    [Fact]
    public async Task Removing_a_tenant_asks_first_then_ends_the_tenancy_and_keeps_the_company()
    {
        using var advisor = await portal.AdvisorAsync();
        var s = advisor.Session;
        var incubatorId = advisor.IncubatorId;
        var uscc = NewUscc();
        await s.ImportValidAsync(Utf8(Lines("name,uscc,district", $"北京将移出科技有限公司,{uscc},昌平区")));
        var id = await CompanyIdAsync(uscc);

        var confirm = await s.PageAsync($"/incubator/tenants/{id}/remove");
        Assert.Contains("北京将移出科技有限公司", confirm.QuerySelector($"form[action='/incubator/tenants/{id}/remove']")!.TextContent);
        var response = await s.PostFormAsync($"/incubator/tenants/{id}/remove", $"/incubator/tenants/{id}/remove", []);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("移出", (await s.PageAsync("/incubator")).QuerySelector(".flash")!.TextContent);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM incubator_tenants WHERE incubator_id = @Id", new { Id = incubatorId }));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM companies WHERE uscc = @Uscc", new { Uscc = uscc }));
        await s.PageAsync($"/incubator/tenants/{id}/report", HttpStatusCode.NotFound); // no longer theirs to see
    }

    [Fact]
    public async Task The_template_downloads_with_a_BOM_under_either_header()
    {
        using var advisor = await portal.AdvisorAsync();
        var s = advisor.Session;

        foreach (var (url, first) in new[] { ("/incubator/import/template.csv", "name"), ("/incubator/import/template.csv?labels=zh", "企业名称") })
        {
            var bytes = await s.Client.GetByteArrayAsync(url);
            Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
            Assert.StartsWith(first + ",", Encoding.UTF8.GetString(bytes[3..]));
        }
        var page = await s.PageAsync("/incubator/import");
        Assert.Equal(TenantColumns.All.Count, page.QuerySelectorAll("table.columns tbody tr").Length);
        Assert.NotNull(page.QuerySelector("form#import-form[enctype='multipart/form-data'] input[type=file][name=file]"));
        Assert.NotNull(page.QuerySelector("#import-progress progress"));
    }
}
