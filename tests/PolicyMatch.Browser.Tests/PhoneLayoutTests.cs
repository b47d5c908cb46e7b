using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PolicyMatch.Web.Features.Catalog;

namespace PolicyMatch.Browser.Tests;

/// <summary>
/// Issue 11: the public pages and the company pages on a 390 px phone — no horizontal scrolling, the
/// navigation collapsed behind its toggle — and the measure page's 如何申请 block.
/// </summary>
public class PhoneLayoutTests(BrowserPortal portal) : IClassFixture<BrowserPortal>
{
    private const int Phone = 390;

    private static readonly string[] PublicPages =
    [
        "/",
        "/check?District=%E6%9C%9D%E9%98%B3%E5%8C%BA&FocusAreas=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD&Employees=40&AsOf=2025-06-01",
        "/measures",
        "/measures?q=%E9%AB%98%E6%96%B0%E6%8A%80%E6%9C%AF%E4%BC%81%E4%B8%9A",
        "/measures/cp-hightech-postdoc-workstation",
        "/measures/hd-core-technology-breakthrough?District=%E6%B5%B7%E6%B7%80%E5%8C%BA&AsOf=2025-06-01",
        "/plans",
        "/plans/000",
        "/plans/003",
        "/notices/cp-2025-hightech-funds-claim",
        "/api-docs",
        "/account/login",
        "/account/register",
    ];

    private async Task<IPage> PhonePageAsync() =>
        await portal.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN", ViewportSize = new ViewportSize { Width = Phone, Height = 844 } });

    private static async Task<List<string>> OverflowsAsync(IPage page, IEnumerable<string> paths, string baseUrl)
    {
        var wide = new List<string>();
        foreach (var path in paths)
        {
            await page.GotoAsync(baseUrl + path);
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            if (width > Phone)
            {
                wide.Add($"{path}: scrollWidth {width}");
            }
        }
        return wide;
    }

    [Fact]
    public async Task Every_public_page_fits_a_390_px_phone_and_the_navigation_collapses()
    {
        var page = await PhonePageAsync();
        var wide = await OverflowsAsync(page, PublicPages, portal.BaseUrl);
        Assert.True(wide.Count == 0, string.Join("\n", wide));

        await page.GotoAsync(portal.BaseUrl + "/");
        var measures = page.Locator("#site-nav").GetByRole(AriaRole.Link, new() { Name = "政策措施" });
        await Assertions.Expect(measures).ToBeHiddenAsync();
        await page.GetByText("菜单").ClickAsync();
        await Assertions.Expect(measures).ToBeVisibleAsync();
        await measures.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "政策措施", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_company_pages_fit_a_390_px_phone()
    {
        var page = await PhonePageAsync();
        await page.GotoAsync(portal.BaseUrl + "/account/register");
        await page.GetByLabel("企业用户").CheckAsync();
        await page.GetByLabel("邮箱").FillAsync($"phone-{Guid.NewGuid():N}@example.com");
        await page.GetByLabel("姓名").FillAsync("李经理");
        await page.GetByLabel("密码(至少10个字符)").FillAsync("a long enough password");
        await page.GetByLabel("确认密码").FillAsync("a long enough password");
        await page.Locator("#f-AcceptPrivacy").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "注册" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "新建企业画像" }).ClickAsync();
        await page.GetByLabel("企业名称").FillAsync("北京示例朝阳智能科技有限公司");
        await page.GetByLabel("统一社会信用代码").FillAsync("91110000600037341L");
        await page.GetByLabel("所在区").SelectOptionAsync("朝阳区");
        await page.GetByLabel("从业人数").FillAsync("40");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "北京示例朝阳智能科技有限公司" })).ToBeVisibleAsync();
        var company = new Uri(page.Url).AbsolutePath;

        string[] pages = ["/companies", company, company + "/profile", company + "/history", "/inbox", "/subscriptions", "/account/password"];
        var wide = await OverflowsAsync(page, pages, portal.BaseUrl);
        Assert.True(wide.Count == 0, string.Join("\n", wide));
    }

    [Fact]
    public async Task The_measure_page_shows_how_to_apply_for_a_measure_with_a_window()
    {
        // Test data, not catalog data: a seed measure given a window and a channel through the import.
        var repository = portal.Services.GetRequiredService<CatalogRepository>();
        var measure = (await repository.GetMeasureAsync("tz-listing-cultivation-pool"))!.ToDocument() with
        {
            Window = new ApplicationWindow(new DateOnly(2025, 5, 1), new DateOnly(2025, 6, 30)),
            Apply = new HowToApply { Channel = "office", ChannelDetail = "示例政务服务大厅", Documents = ["申请表"] },
        };
        var result = await portal.Services.GetRequiredService<CatalogImporter>().ImportAsync(
            new CatalogExport { Format = CatalogExport.CurrentFormat, Measures = [measure] }, "browser-test");
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));

        var page = await PhonePageAsync();
        await page.GotoAsync(portal.BaseUrl + "/measures/tz-listing-cultivation-pool?District=%E9%80%9A%E5%B7%9E%E5%8C%BA&AsOf=2025-06-01");
        var section = page.Locator("#how-to-apply");
        await Assertions.Expect(section.GetByRole(AriaRole.Heading, new() { Name = "如何申请" })).ToBeVisibleAsync();
        await Assertions.Expect(section).ToContainTextAsync("2025-05-01 — 2025-06-30");
        await Assertions.Expect(section).ToContainTextAsync("申报中");
        await Assertions.Expect(section).ToContainTextAsync("到窗口办理:示例政务服务大厅");
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= Phone);

        // A measure whose text states nothing says so, rather than showing an empty block.
        await page.GotoAsync(portal.BaseUrl + "/measures/tz-tech-enterprise-ladder");
        await Assertions.Expect(page.Locator("#how-to-apply")).ToContainTextAsync("政策原文没有写明如何申请");
    }
}
