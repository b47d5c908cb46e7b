using Microsoft.Playwright;

namespace PolicyMatch.Browser.Tests;

/// <summary>
/// The matches page as a company acts on it (issue 11): nothing expired counted as eligible, and a
/// what-if that starts from the result with every fact kept and shows what changed.
/// </summary>
public class MatchesFlowTests(BrowserPortal portal) : IClassFixture<BrowserPortal>
{
    [Fact]
    public async Task An_anonymous_Chaoyang_company_sees_no_Tongzhou_only_and_no_expired_measure_inside_eligible()
    {
        var page = await portal.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN" });
        await page.GotoAsync(portal.BaseUrl + "/");
        await page.GetByLabel("所在区").SelectOptionAsync("朝阳区");
        await page.GetByLabel("人工智能").CheckAsync();
        await page.GetByLabel("从业人数").FillAsync("30");
        await page.GetByRole(AriaRole.Button, new() { Name = "查看匹配结果" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "匹配结果", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".profile-summary [data-fact=district] dd")).ToHaveTextAsync("朝阳区");
        var eligible = page.Locator("section#eligible article.match");
        var periods = await eligible.Locator(".badge.period").AllTextContentsAsync();
        Assert.All(periods, p => Assert.Equal("执行中", p));
        await Assertions.Expect(page.Locator(".summary a.count.eligible strong")).ToHaveTextAsync(periods.Count.ToString());
        // The 通州 plan's measures are for companies in (or moving to) 通州区: none is eligible, nor merely
        // waiting for information, for a 朝阳 company (tz-digital-scenarios and tz-future-industries once were).
        await Assertions.Expect(page.Locator("section#eligible article.match[data-measure^='tz-'], section#needs-info article.match[data-measure^='tz-']")).ToHaveCountAsync(0);

        // Expired measures are kept for reference, collapsed, under their own heading.
        var expired = page.Locator("details#expired");
        await Assertions.Expect(expired.Locator("summary")).ToContainTextAsync("已到期,供参考");
        await Assertions.Expect(expired.Locator("article.match").First).ToBeHiddenAsync();
        await expired.Locator("summary").ClickAsync();
        await Assertions.Expect(expired.Locator("article.match").First).ToBeVisibleAsync();
        Assert.All(await expired.Locator("article.match .badge.period").AllTextContentsAsync(), p => Assert.Equal("已到期", p));
    }

    [Fact]
    public async Task A_what_if_from_the_matches_page_keeps_every_fact_and_shows_the_difference()
    {
        var page = await portal.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN" });
        await page.GotoAsync(portal.BaseUrl + "/");
        // A 通州 company without a 高新 certificate, judged on a date the 通州 plan is in force.
        await page.GetByLabel("企业名称").FillAsync("北京通州示例科技有限公司");
        await page.GetByLabel("所在区").SelectOptionAsync("通州区");
        await page.GetByLabel("数字经济").CheckAsync();
        await page.GetByLabel("成立日期").FillAsync("2020-04-01");
        await page.GetByLabel("从业人数").FillAsync("12");
        await page.GetByLabel("发明专利数").FillAsync("2");
        await page.GetByLabel("高新技术企业").SelectOptionAsync("no");
        await page.GetByLabel("科技型中小企业").SelectOptionAsync("no");
        await page.GetByLabel("专精特新梯度").SelectOptionAsync("none");
        await page.GetByLabel("孵化器/众创空间在孵企业").SelectOptionAsync("yes");
        await page.GetByLabel("按此日期评估(默认今天)").FillAsync("2026-06-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "查看匹配结果" }).ClickAsync();
        await Assertions.Expect(page.Locator("section#near-miss article.match[data-measure='tz-tech-enterprise-ladder']")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "修改企业信息,看看结果会怎样变化" }).ClickAsync();
        // Every fact that was judged is in the form.
        await Assertions.Expect(page.GetByLabel("企业名称")).ToHaveValueAsync("北京通州示例科技有限公司");
        await Assertions.Expect(page.GetByLabel("所在区")).ToHaveValueAsync("通州区");
        await Assertions.Expect(page.GetByLabel("数字经济")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("成立日期")).ToHaveValueAsync("2020-04-01");
        await Assertions.Expect(page.GetByLabel("从业人数")).ToHaveValueAsync("12");
        await Assertions.Expect(page.GetByLabel("发明专利数")).ToHaveValueAsync("2");
        await Assertions.Expect(page.GetByLabel("高新技术企业")).ToHaveValueAsync("no");
        await Assertions.Expect(page.GetByLabel("科技型中小企业")).ToHaveValueAsync("no");
        await Assertions.Expect(page.GetByLabel("专精特新梯度")).ToHaveValueAsync("none");
        await Assertions.Expect(page.GetByLabel("孵化器/众创空间在孵企业")).ToHaveValueAsync("yes");
        await Assertions.Expect(page.GetByLabel("按此日期评估(默认今天)")).ToHaveValueAsync("2026-06-01");

        // The company obtains a 高新 certificate.
        await page.GetByLabel("高新技术企业").SelectOptionAsync("yes");
        await page.GetByLabel("发证日期").FillAsync("2025-12-01");
        await page.GetByLabel("有效期至").FillAsync("2028-11-30");
        await page.GetByRole(AriaRole.Button, new() { Name = "查看新结果" }).ClickAsync();

        var diff = page.Locator("section.diff");
        await Assertions.Expect(diff.Locator("li[data-fact=hightech_certificate]")).ToContainTextAsync("有证书");
        await Assertions.Expect(diff.Locator(".newly-eligible li[data-measure='tz-tech-enterprise-ladder']")).ToBeVisibleAsync();
        await Assertions.Expect(diff.Locator(".no-longer-eligible li[data-measure='tz-hightech-cultivation-pool']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("section#eligible article.match[data-measure='tz-tech-enterprise-ladder']")).ToBeVisibleAsync();
        // The facts not changed are still the ones judged.
        await Assertions.Expect(page.Locator(".profile-summary [data-fact=employees] dd")).ToHaveTextAsync("12");
        await Assertions.Expect(page.Locator(".profile-summary [data-fact=incubator_tenant] dd")).ToHaveTextAsync("是");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "policymatch-whatif.png"), FullPage = true });
    }
}
