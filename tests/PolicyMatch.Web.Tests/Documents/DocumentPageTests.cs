using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Documents;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Authoring;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Documents;

/// <summary>An administrator adds a policy document, reviews what is suggested from it, and replaces its text.</summary>
public class DocumentPageTests(Portal portal) : IClassFixture<Portal>
{
    private static readonly string Fixture = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Documents", "Fixtures", "district-notice.txt"));

    private CatalogRepository Catalog => portal.Service<CatalogRepository>();

    private async Task<int> PlanCountAsync()
    {
        await using var connection = await portal.Service<IDbConnectionFactory>().OpenAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM plans");
    }

    private static (string Name, string Value)[] Metadata(string title) =>
    [
        ("Title", title), ("Issuer", "昌平区科学技术委员会"), ("DocumentNumber", "昌科发〔2025〕9号"), ("PublishedOn", "2025-04-01"),
        ("PeriodFrom", "2025-04-01"), ("PeriodTo", "2025-12-31"), ("Regions", "昌平区"),
    ];

    /// <summary>Posts the form as a browser does (multipart, with the page's antiforgery token and an optional file).</summary>
    private static async Task<HttpResponseMessage> PostMultipartAsync(Session admin, string page, string action, IEnumerable<(string Name, string Value)> fields,
        (string FileName, byte[] Bytes)? file = null)
    {
        var html = await admin.PageAsync(page);
        var token = html.QuerySelector($"form[action='{action}'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value, Encoding.UTF8), name);
        }
        content.Add(new StringContent(token), "__RequestVerificationToken");
        if (file is { } f)
        {
            var bytes = new ByteArrayContent(f.Bytes);
            bytes.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(bytes, "File", f.FileName);
        }
        return await admin.Client.PostAsync(action, content);
    }

    private async Task<string> CreateAsync(Session admin, string title, string? text = null, (string, byte[])? file = null)
    {
        var response = await PostMultipartAsync(admin, "/admin/documents/new", "/admin/documents/new",
            [.. Metadata(title), ("Text", text ?? "")], file);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!.OriginalString;
        Assert.Matches(@"^/admin/documents/\d{3}\?created=true$", location);
        return location["/admin/documents/".Length..].Split('?')[0];
    }

    [Fact]
    public async Task A_pasted_notice_is_stored_like_a_seeded_plan_with_its_clauses_in_the_reader()
    {
        using var admin = await portal.AdminAsync("李强");
        var id = await CreateAsync(admin, "研发投入补贴申报通知(粘贴)", Fixture);

        var plan = (await Catalog.GetPlanAsync(id))!;
        Assert.Equal(("昌平区科学技术委员会", "昌科发〔2025〕9号", new DateOnly(2025, 4, 1)), (plan.Issuer, plan.DocumentNumber, plan.PublishedOn!.Value));
        Assert.Equal(["昌平区"], plan.Regions);
        Assert.Equal(DocumentText.Clean(Fixture), plan.Body);
        Assert.Equal(["preamble", "一", "二", "二(一)", "二(二)", "三", "四"], (await Catalog.GetClausesAsync(id)).Select(c => c.Ref));

        // The plan reader shows it with clause anchors, like the seeded plans.
        var reader = await portal.PageAsync($"/plans/{id}");
        Assert.NotNull(reader.QuerySelector("section#c-二\\(一\\) a.anchor"));
        Assert.Contains("昌科发〔2025〕9号", reader.QuerySelector("dl.facts")!.TextContent);

        // Version 1 is kept with where it came from; the audit log says who added it.
        var version = Assert.Single(await portal.Service<DocumentRepository>().GetVersionsAsync(id, default));
        Assert.Equal((1L, DocumentRepository.PastedSource, admin.Email), (version.Version, version.SourceName, version.CreatedBy));
        var entry = Assert.Single(await portal.Service<AuditLog>().ListAsync(DocumentRepository.Entity, id));
        Assert.Equal((admin.UserId, AuditAction.DocumentCreated.Value), (entry.UserId!.Value, entry.Action));

        // The admin page lists the suggestions, each condition with the words it came from.
        var page = await admin.PageAsync($"/admin/documents/{id}?created=true");
        var suggestions = page.QuerySelectorAll(".suggestion");
        Assert.Equal(3, suggestions.Length);
        var first = page.QuerySelector(".suggestion[data-clause='二(一)']")!;
        Assert.Contains("研发投入占营业收入比例不低于5% ← “研发投入占比不低于5%”", first.TextContent);
        Assert.Contains("上年度营业收入不低于2000万元 ← “上年度营业收入不低于2000万元”", first.TextContent);
    }

    [Fact]
    public async Task A_gb18030_txt_and_a_docx_upload_are_read()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        using var admin = await portal.AdminAsync();
        var gbId = await CreateAsync(admin, "GB18030 文件", file: ("通知.txt", Encoding.GetEncoding("GB18030").GetBytes(Fixture)));
        var docxId = await CreateAsync(admin, "Word 文件", file: ("通知.docx", DocumentTextTests.Docx(Fixture.Split('\n'))));

        Assert.Equal(DocumentText.Clean(Fixture), (await Catalog.GetPlanAsync(gbId))!.Body);
        Assert.Equal(DocumentText.Clean(Fixture), (await Catalog.GetPlanAsync(docxId))!.Body);
        Assert.Equal("通知.docx", (await portal.Service<DocumentRepository>().GetVersionsAsync(docxId, default)).Single().SourceName);
    }

    [Theory]
    [InlineData("binary.txt", "这不是文本文件")]
    [InlineData("gbk-broken.txt", "无法识别文件的文字编码")]
    [InlineData("blank.txt", "文件中没有文字")]
    [InlineData("big.txt", "文件过大")]
    [InlineData("scan.pdf", "不支持")]
    public async Task A_file_that_is_not_text_is_refused_next_to_the_field_and_nothing_is_stored(string name, string message)
    {
        byte[] bytes = name switch
        {
            "binary.txt" => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00],
            "gbk-broken.txt" => [0xE6, 0x94, 0xBF, 0x81, 0x20, 0xFF, 0xFF],
            "blank.txt" => [0x20, 0x0D, 0x0A],
            "big.txt" => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("企业", DocumentText.MaxBytes / 6 + 1))),
            _ => "%PDF-1.7"u8.ToArray(),
        };
        using var admin = await portal.AdminAsync();
        var before = await PlanCountAsync();

        var response = await PostMultipartAsync(admin, "/admin/documents/new", "/admin/documents/new", [.. Metadata("坏文件"), ("Text", "")], (name, bytes));

        var page = await AdminForms.ParseAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(message, page.QuerySelector("#f-File ~ .field-error")!.TextContent);
        Assert.Equal("坏文件", page.QuerySelector("#f-Title")!.GetAttribute("value")); // what was typed is kept
        Assert.Equal(before, await PlanCountAsync());
    }

    [Fact]
    public async Task Missing_metadata_is_named_in_chinese_next_to_each_field_and_nothing_is_stored()
    {
        using var admin = await portal.AdminAsync();
        var before = await PlanCountAsync();
        var response = await PostMultipartAsync(admin, "/admin/documents/new", "/admin/documents/new",
            [("Title", ""), ("Issuer", ""), ("PublishedOn", "2025/4/1"), ("PeriodFrom", "2025-12-31"), ("PeriodTo", "2025-01-01"), ("Regions", "火星区"), ("Text", Fixture)]);

        var page = await AdminForms.ParseAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("请填写文件标题", page.QuerySelector("#f-Title ~ .field-error")!.TextContent);
        Assert.Equal("请填写发布单位", page.QuerySelector("#f-Issuer ~ .field-error")!.TextContent);
        Assert.Contains("YYYY-MM-DD", page.QuerySelector("#f-PublishedOn ~ .field-error")!.TextContent);
        Assert.Contains("早于开始日期", page.QuerySelector("#f-PeriodTo ~ .field-error")!.TextContent);
        Assert.Contains("不认识的地区:火星区", page.QuerySelector("#f-Regions ~ .field-error")!.TextContent);
        Assert.Equal(before, await PlanCountAsync());
    }

    [Fact]
    public async Task Replacing_the_text_lists_the_quotes_that_no_longer_occur_and_keeps_the_old_version()
    {
        using var admin = await portal.AdminAsync();
        var id = await CreateAsync(admin, "将被修订的通知", Fixture);

        // A measure cites 二(一) of version 1 (saved through the editor from the suggestion).
        var editor = await admin.PageAsync($"/admin/measures/new?document={id}&clause={Uri.EscapeDataString("二(一)")}&sentence=0");
        var fields = AdminForms.FieldsOf(editor, "/admin/measures/new");
        var measureId = fields.Single(f => f.Key == "m.Id").Value;
        var saved = await admin.SaveAsync($"/admin/measures/new?document={id}&clause={Uri.EscapeDataString("二(一)")}&sentence=0", "/admin/measures/new", fields);
        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());

        var revised = Fixture.Replace("最高给予50万元", "最高给予80万元");
        var first = await PostMultipartAsync(admin, $"/admin/documents/{id}/text", $"/admin/documents/{id}/text", [("Text", revised)]);
        var warning = await AdminForms.ParseAsync(first, HttpStatusCode.Conflict);
        var lost = Assert.Single(warning.QuerySelectorAll("tr.lost-quote"));
        Assert.Contains(measureId, lost.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal(Fixture.Length > 0 ? DocumentText.Clean(Fixture) : "", (await Catalog.GetPlanAsync(id))!.Body); // nothing stored yet

        var confirmed = await PostMultipartAsync(admin, $"/admin/documents/{id}/text", $"/admin/documents/{id}/text", [("Text", revised), ("confirm", "true")]);
        Assert.Equal($"/admin/documents/{id}?replaced=2", confirmed.Headers.Location!.OriginalString);
        Assert.Contains("80万元", (await Catalog.GetPlanAsync(id))!.Body);

        // The old text is still readable for past results, and the measure cannot be published on a quote that is gone.
        var past = await portal.PageAsync($"/plans/{id}?version=1");
        Assert.Contains("最高给予50万元", past.QuerySelector("article.plan")!.TextContent);
        Assert.NotNull(past.QuerySelector(".past-version"));
        var state = (await Catalog.GetMeasureStateAsync(measureId))!;
        var publish = await admin.PostFormAsync($"/admin/measures/{measureId}/preview", $"/admin/measures/{measureId}/publish", [new("version", state.CurrentVersion.ToString())]);
        var refused = await AdminForms.ParseAsync(publish, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("引用原文", refused.QuerySelector(".error-summary li a")!.TextContent);
        Assert.Equal("draft", (await Catalog.GetMeasureStateAsync(measureId))!.Status);
    }

    [Fact]
    public async Task Adopting_a_suggestion_opens_the_editor_filled_with_only_what_the_sentence_states()
    {
        using var admin = await portal.AdminAsync();
        var id = await CreateAsync(admin, "初创企业补贴通知", Fixture);

        var editor = await admin.PageAsync($"/admin/measures/new?document={id}&clause={Uri.EscapeDataString("二(二)")}&sentence=0");
        var fields = AdminForms.FieldsOf(editor, "/admin/measures/new").ToDictionary(f => f.Key, f => f.Value);

        Assert.Matches($"^p{id}-\\d+$", fields["m.Id"]);
        Assert.Equal(id, fields["m.Plan"]);
        Assert.Equal("funding", fields["m.Kind"]);
        Assert.Equal("给予最高20万元补贴", fields["m.Amount"]);
        Assert.Equal(("2025-04-07", "2025-04-30"), (fields["m.WindowOpens"], fields["m.WindowCloses"])); // the notice's own window, from 三
        Assert.StartsWith("对成立不满3年", fields["m.Quote"]);
        Assert.Equal(["in-district", "tech-sme", "employees", "age"], fields.Where(f => f.Key.EndsWith("].Id", StringComparison.Ordinal) && f.Key.StartsWith("m.Criteria", StringComparison.Ordinal)).Select(f => f.Value));
        Assert.Contains("成立不满3年 ← “成立不满3年”", fields["m.Notes"]);
        Assert.Equal("age_years", fields["m.Criteria[3].Builder.Items[0].Fact"]);
        Assert.Equal("<", fields["m.Criteria[3].Builder.Items[0].Operator"]);
        Assert.Equal("3", fields["m.Criteria[3].Builder.Items[0].Value"]);

        // A sentence that is not a suggestion is not found.
        await admin.PageAsync($"/admin/measures/new?document={id}&clause=%E5%9B%9B&sentence=0", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Seeded_plans_are_listed_but_their_text_is_replaced_only_in_seeds()
    {
        using var admin = await portal.AdminAsync();
        var list = await admin.PageAsync("/admin/documents");
        Assert.NotNull(list.QuerySelector("tr.document-row[data-id='000']"));
        var replace = await admin.Client.GetAsync("/admin/documents/000/text");
        Assert.Equal("/admin/documents/000?seeded=true", replace.Headers.Location!.OriginalString);
        Assert.Contains("种子文件", (await admin.PageAsync("/admin/documents/000?seeded=true")).QuerySelector(".flash")!.TextContent);
        await admin.PageAsync("/admin/documents/999/text", HttpStatusCode.NotFound);
        Assert.NotEmpty((await admin.PageAsync("/admin/documents/001")).QuerySelectorAll(".suggestion"));
    }
}
