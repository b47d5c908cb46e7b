using Microsoft.Playwright;

namespace PolicyMatch.Browser.Tests;

/// <summary>A new company user, from registering to the matches of their company.</summary>
public class CompanyFlowTests(BrowserPortal portal) : IClassFixture<BrowserPortal>
{
    [Fact]
    public async Task A_new_company_user_registers_fills_the_profile_and_sees_matches()
    {
        var page = await portal.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN" });
        await page.GotoAsync(portal.BaseUrl + "/");
        await page.GetByRole(AriaRole.Link, new() { Name = "注册", Exact = true }).ClickAsync();

        await page.GetByLabel("企业用户").CheckAsync();
        await page.GetByLabel("邮箱").FillAsync($"wang-{Guid.NewGuid():N}@example.com");
        await page.GetByLabel("姓名").FillAsync("王经理");
        await page.GetByLabel("密码(至少10个字符)").FillAsync("a long enough password");
        await page.GetByLabel("确认密码").FillAsync("a long enough password");
        await page.Locator("#f-AcceptPrivacy").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "注册" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "我的企业" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "新建企业画像" }).ClickAsync();

        // A 昌平 company in 未来科学城 with a university joint lab and a valid 高新 certificate.
        await page.GetByLabel("企业名称").FillAsync("北京未来智造科技有限公司");
        await page.GetByLabel("统一社会信用代码").FillAsync("91110000600037341L");
        await page.GetByLabel("所在区").SelectOptionAsync("昌平区");
        await page.GetByLabel("未来科学城").CheckAsync();
        await page.GetByLabel("从业人数").FillAsync("120");
        await page.GetByLabel("高新技术企业").SelectOptionAsync("yes");
        await page.GetByLabel("发证日期").FillAsync("2024-12-01");
        await page.GetByLabel("有效期至").FillAsync("2027-11-30");
        await page.GetByLabel("与高校共建实验室/研发机构").SelectOptionAsync("yes");
        await page.GetByLabel("高校院所衍生企业").SelectOptionAsync("yes");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "北京未来智造科技有限公司" })).ToBeVisibleAsync();
        // The result is judged today: the 昌平 plan (2023–2025) has expired, so what the company would
        // have met is listed for reference under 已到期, never inside 符合条件.
        await Assertions.Expect(page.Locator(".profile-summary [data-fact=district] dd")).ToHaveTextAsync("昌平区");
        Assert.True(await page.Locator("details#expired article.match[data-group='eligible']").CountAsync() > 0, "expected expired measures the company would have met");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "policymatch-company.png") });

        // The profile is editable, and the history says who changed it.
        await page.GetByRole(AriaRole.Link, new() { Name = "编辑企业画像" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("企业名称")).ToHaveValueAsync("北京未来智造科技有限公司");
        await page.GetByLabel("从业人数").FillAsync("130");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("从业人数");
        await page.GetByRole(AriaRole.Link, new() { Name = "修改记录" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr").First).ToContainTextAsync("王经理");
    }
}
