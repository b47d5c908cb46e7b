using Microsoft.Playwright;

namespace PolicyMatch.Browser.Tests;

/// <summary>The flows a new visitor clicks through, in a real browser.</summary>
public class QuickCheckFlowTests(BrowserPortal portal) : IClassFixture<BrowserPortal>
{
    [Fact]
    public async Task A_new_visitor_fills_the_quick_check_and_sees_an_eligible_measure_with_its_ticks()
    {
        var page = await portal.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN" });
        await page.GotoAsync(portal.BaseUrl + "/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "政策计算器" })).ToBeVisibleAsync();

        // A 海淀 company in 中关村科学城: a valid 高新技术企业, 专精特新, patents, intends to list.
        await page.GetByLabel("所在区").SelectOptionAsync("海淀区");
        await page.GetByLabel("中关村科学城").CheckAsync();
        await page.GetByLabel("成立日期").FillAsync("2018-03-01");
        await page.GetByLabel("从业人数").FillAsync("80");
        await page.GetByLabel("上年营业收入(元)").FillAsync("50000000");
        await page.GetByLabel("上年研发费用(元)").FillAsync("4000000");
        await page.GetByLabel("发明专利数").FillAsync("6");
        await page.GetByLabel("高新技术企业").SelectOptionAsync("yes");
        await page.GetByLabel("发证日期").FillAsync("2023-12-01");
        await page.GetByLabel("有效期至").FillAsync("2026-11-30");
        await page.GetByLabel("专精特新梯度").SelectOptionAsync("specialized_sme");
        await page.GetByLabel("上市情况").SelectOptionAsync("intends");
        await page.GetByLabel("与高校共建实验室/研发机构").SelectOptionAsync("yes");
        await page.GetByLabel("按此日期评估(默认今天)").FillAsync("2025-06-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "查看匹配结果" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "匹配结果", Exact = true })).ToBeVisibleAsync();
        var eligible = page.Locator("section#eligible article.match");
        Assert.True(await eligible.CountAsync() > 0, "expected at least one eligible measure");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "policymatch-matches.png"), FullPage = false });

        await eligible.First.Locator("h3 a").ClickAsync();
        var criteria = page.Locator("li.criterion");
        await Assertions.Expect(criteria.First).ToBeVisibleAsync();
        var marks = await page.Locator("li.criterion .mark").AllTextContentsAsync();
        Assert.NotEmpty(marks);
        Assert.All(marks, m => Assert.Equal("✓", m));
        await Assertions.Expect(page.Locator("section.source blockquote")).Not.ToBeEmptyAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "policymatch-measure.png"), FullPage = true });
    }

    [Fact]
    public async Task A_visitor_who_mistypes_keeps_what_was_typed_and_sees_where_to_fix_it()
    {
        var page = await portal.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN" });
        await page.GotoAsync(portal.BaseUrl + "/");
        await page.GetByLabel("所在区").SelectOptionAsync("昌平区");
        await page.GetByLabel("从业人数").FillAsync("四十五");
        await page.GetByRole(AriaRole.Button, new() { Name = "查看匹配结果" }).ClickAsync();

        await Assertions.Expect(page.Locator(".error-summary")).ToContainTextAsync("从业人数");
        await Assertions.Expect(page.GetByLabel("从业人数")).ToHaveValueAsync("四十五");
        await Assertions.Expect(page.GetByLabel("所在区")).ToHaveValueAsync("昌平区");
    }
}
