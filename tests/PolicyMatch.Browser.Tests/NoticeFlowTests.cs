using PolicyMatch.Web.Infrastructure.Time;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Notices;

namespace PolicyMatch.Browser.Tests;

/// <summary>
/// Issue 12, "done when": an administrator pastes a new district notice, reviews the suggested measures,
/// edits one and publishes it, writes the notice with a window and an attachment; a matching company
/// sees it with its deadline and attachment, a company in another district does not.
/// </summary>
public class NoticeFlowTests(BrowserPortal portal) : IClassFixture<BrowserPortal>
{
    private const string Password = "correct horse battery";

    private static string Chinese(DateOnly d) => $"{d.Year}年{d.Month}月{d.Day}日";

    /// <summary>A test fixture written for this test (it says so in its own text): a 通州区 notice with a window a few weeks ahead.</summary>
    private static string Fixture(DateOnly opens, DateOnly closes) => $"""
        关于开展{opens.Year}年度通州区初创科技企业补贴申报工作的通知
        本文是浏览器测试使用的测试用例文本,为测试而编写,不是真实的政策文件。
        各有关单位:
        现将有关事项通知如下。
        一、支持对象
        注册在通州区、具有独立法人资格的企业。
        二、支持内容
        (一)初创企业支持
        对成立不满3年、从业人员不超过50人的科技型中小企业,给予最高20万元补贴。
        三、申报时间
        申报时间为{Chinese(opens)}至{Chinese(closes)}。
        """;

    private async Task<IPage> SignInAsync(string email)
    {
        var page = await portal.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN" });
        await page.GotoAsync(portal.BaseUrl + "/account/login");
        await page.GetByLabel("邮箱").FillAsync(email);
        await page.GetByLabel("密码").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/account/login"));
        return page;
    }

    /// <summary>A company user who owns one company with the profile given, subscribed to claim calls.</summary>
    private async Task<(string Email, string Company)> CompanyUserAsync(string district, string name)
    {
        var email = $"company-{Guid.NewGuid():N}@example.com";
        var user = (await portal.Services.GetRequiredService<UserRepository>().CreateAsync(email, name + "负责人", AccountService.Hash(Password), Roles.Company))!.Value;
        var today = BeijingTime.Today(TimeProvider.System);
        await portal.Services.GetRequiredService<CompanyRepository>().CreateAsync(new JsonObject
        {
            ["name"] = name,
            ["uscc"] = $"BROWSER{Guid.NewGuid().ToString("N")[..11].ToUpperInvariant()}",
            ["district"] = district,
            ["established_on"] = today.AddYears(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["employees"] = 20,
            ["tech_sme_year"] = today.Year,
        }, user);
        await portal.Services.GetRequiredService<NoticeInbox>().SubscribeAsync(user, NoticeKind.ClaimCall);
        return (email, name);
    }

    /// <summary>The page at 1280 and at 390 px wide (a phone), for looking at; the viewport is put back.</summary>
    private static async Task ShotAsync(IPage page, string folder, string name)
    {
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + "-1280.png"), FullPage = true });
        var size = page.ViewportSize;
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + "-390.png"), FullPage = true });
        if (size is not null)
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
        }
    }

    [Fact]
    public async Task An_administrator_publishes_a_district_notice_with_a_window_and_an_attachment_and_only_the_matching_company_gets_it()
    {
        var today = BeijingTime.Today(TimeProvider.System);
        var (opens, closes) = (today.AddDays(7), today.AddDays(37));
        var matching = await CompanyUserAsync("通州区", "通州初创浏览器测试科技有限公司");
        var elsewhere = await CompanyUserAsync("昌平区", "昌平初创浏览器测试科技有限公司"); // the same facts, another district
        var adminEmail = $"admin-{Guid.NewGuid():N}@example.com";
        await portal.Services.GetRequiredService<UserRepository>().CreateAsync(adminEmail, "通知管理员", AccountService.Hash(Password), Roles.Admin);
        var shots = Path.Combine(Path.GetTempPath(), "policymatch-notice-flow");
        Directory.CreateDirectory(shots);

        // 1. The administrator pastes the notice as a new document.
        var admin = await SignInAsync(adminEmail);
        await admin.GotoAsync(portal.BaseUrl + "/admin/documents/new");
        await admin.GetByLabel("文件标题").FillAsync($"关于开展{opens.Year}年度通州区初创科技企业补贴申报工作的通知(测试用例)");
        await admin.GetByLabel("发布单位").FillAsync("通州区科学技术委员会(测试)");
        await admin.GetByLabel("发布日期").FillAsync(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await admin.GetByLabel("有效期开始").FillAsync(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await admin.GetByLabel("有效期截止").FillAsync(closes.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await admin.GetByLabel("适用地区", new() { Exact = false }).FillAsync("通州区");
        await admin.GetByLabel("正文(粘贴文本)").FillAsync(Fixture(opens, closes));
        await admin.GetByRole(AriaRole.Button, new() { Name = "保存文件" }).ClickAsync();
        await Assertions.Expect(admin).ToHaveURLAsync(new Regex(@"/admin/documents/\d{3}"));
        var documentId = Regex.Match(admin.Url, @"/admin/documents/(\d{3})").Groups[1].Value;

        // 2. It reviews the suggestions: the 初创企业 sentence, with what it was read from.
        await Assertions.Expect(admin.Locator("#suggestions ~ *").First).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByText("对成立不满3年、从业人员不超过50人的科技型中小企业").First).ToBeVisibleAsync();
        await ShotAsync(admin, shots, "document");
        await admin.GotoAsync(portal.BaseUrl + $"/admin/measures/new?document={documentId}&clause={Uri.EscapeDataString("二(一)")}&sentence=0");

        // 3. Edits it (a title of its own, and the employee limit lowered from 50 to 30) and publishes it.
        const string title = "通州区初创科技型中小企业补贴(测试)";
        await admin.GetByLabel("标题", new() { Exact = true }).FillAsync(title);
        var employees = admin.Locator("input[name='m.Criteria[2].Builder.Items[0].Value']");
        await Assertions.Expect(employees).ToHaveValueAsync("50");
        await employees.FillAsync("30");
        await admin.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".flash")).ToContainTextAsync("已保存为草稿");
        await admin.GetByRole(AriaRole.Link, new() { Name = "预览影响并发布" }).ClickAsync();
        await Assertions.Expect(admin.Locator("table.eligible-companies")).ToContainTextAsync(matching.Company);
        await Assertions.Expect(admin.Locator("table.eligible-companies")).Not.ToContainTextAsync(elsewhere.Company);
        await admin.GetByRole(AriaRole.Button, new() { Name = "发布第 1 版" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".flash")).ToContainTextAsync("已发布第 1 版");
        await ShotAsync(admin, shots, "measure-preview");
        var measureId = Regex.Match(admin.Url, @"/admin/measures/([^/]+)/preview").Groups[1].Value;

        // 4. Writes the notice from the document (its region comes from the document), with a window, to go out now.
        await admin.GotoAsync(portal.BaseUrl + $"/admin/documents/{documentId}");
        await admin.GetByRole(AriaRole.Link, new() { Name = "依据本文件撰写通知" }).ClickAsync();
        await Assertions.Expect(admin.GetByLabel("依据的政策文件(可不选)")).ToHaveValueAsync(documentId);
        await admin.GetByLabel("标题", new() { Exact = true }).FillAsync("通州区初创科技企业补贴开始申报(测试)");
        await admin.GetByLabel("正文", new() { Exact = false }).FillAsync("请符合条件的企业在申报期内提交材料。\n\n- 申报书见附件\n- 详见[申报指南](https://example.gov.cn/guide)");
        await admin.Locator($"input[name=Measures][value='{measureId}']").CheckAsync();
        await admin.GetByLabel("申报开始日期").FillAsync(opens.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await admin.GetByLabel("申报截止日期").FillAsync(closes.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var now = BeijingTime.Of(DateTimeOffset.UtcNow);
        await admin.GetByLabel("发送时间(北京时间)").FillAsync(now.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await admin.GetByRole(AriaRole.Button, new() { Name = "预览收件人" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#preview .recipient-count")).ToHaveTextAsync("1");
        await Assertions.Expect(admin.Locator("#preview table.recipients")).ToContainTextAsync(matching.Company);
        await ShotAsync(admin, shots, "notice-new");
        await admin.GetByRole(AriaRole.Button, new() { Name = "安排发送" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".flash")).ToContainTextAsync("已安排");

        // 5. Attaches the application form: a renamed program is refused in Chinese, then the PDF is accepted.
        await admin.Locator("#attachment-file").SetInputFilesAsync(new FilePayload { Name = "申报书.pdf", MimeType = "application/pdf", Buffer = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0] });
        await admin.GetByRole(AriaRole.Button, new() { Name = "上传附件" }).ClickAsync();
        await Assertions.Expect(admin.Locator("#attachment-error")).ToContainTextAsync("不是 PDF 文件");
        await ShotAsync(admin, shots, "attachment-refused");
        var pdf = "%PDF-1.4\n% 测试用例附件\n%%EOF\n"u8.ToArray();
        await admin.Locator("#attachment-file").SetInputFilesAsync(new FilePayload { Name = "申报书.pdf", MimeType = "application/pdf", Buffer = pdf });
        await admin.GetByRole(AriaRole.Button, new() { Name = "上传附件" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".flash")).ToContainTextAsync("已添加附件:申报书.pdf");
        await ShotAsync(admin, shots, "notice-admin");
        var noticeId = Regex.Match(admin.Url, @"/admin/notices/([^/#?]+)").Groups[1].Value;

        // The send time has come: what the fan-out job does every 30 s.
        var sent = await portal.Services.GetRequiredService<NoticeFanOut>().FanOutAsync(noticeId);
        Assert.Equal(1, sent!.Recipients);

        // 6. The matching company: in its inbox, naming its company, with the deadline; the notice page has the attachment.
        var company = await SignInAsync(matching.Email);
        await company.GotoAsync(portal.BaseUrl + "/inbox");
        var item = company.Locator("article.inbox-item").Filter(new() { HasText = "通州区初创科技企业补贴开始申报(测试)" });
        await Assertions.Expect(item).ToHaveCountAsync(1);
        await Assertions.Expect(item.Locator(".concerns")).ToContainTextAsync(matching.Company);
        await Assertions.Expect(item).ToContainTextAsync(closes.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await ShotAsync(company, shots, "inbox");
        await item.GetByRole(AriaRole.Link, new() { Name = "通州区初创科技企业补贴开始申报(测试)" }).ClickAsync();
        await Assertions.Expect(company).ToHaveURLAsync(new Regex($"/notices/{Regex.Escape(noticeId)}$"));
        await Assertions.Expect(company.Locator("article")).ToContainTextAsync(closes.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var attachment = company.Locator("ul.attachments a");
        await Assertions.Expect(attachment).ToHaveTextAsync("申报书.pdf");
        await ShotAsync(company, shots, "notice-page");
        var download = await company.APIRequest.GetAsync(portal.BaseUrl + await attachment.GetAttributeAsync("href"));
        Assert.Equal(200, download.Status);
        Assert.StartsWith("attachment", download.Headers["content-disposition"]);
        Assert.Equal(pdf, await download.BodyAsync());

        // 7. The company in another district: nothing in its inbox.
        var other = await SignInAsync(elsewhere.Email);
        await other.GotoAsync(portal.BaseUrl + "/inbox");
        await Assertions.Expect(other.Locator("article.inbox-item").Filter(new() { HasText = "通州区初创科技企业补贴开始申报(测试)" })).ToHaveCountAsync(0);
    }
}
