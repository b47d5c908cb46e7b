using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Companies;

namespace PolicyMatch.Browser.Tests;

/// <summary>An administrator's flow through the authoring pages, in a real browser, without any script on the pages.</summary>
public class AuthoringFlowTests(BrowserPortal portal) : IClassFixture<BrowserPortal>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task An_administrator_drafts_a_measure_previews_its_impact_and_publishes_it()
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await portal.Services.GetRequiredService<UserRepository>().CreateAsync(email, "张管理", AccountService.Hash(Password), Roles.Admin);
        // Two companies: a 海淀 high-tech enterprise (eligible) and a 昌平 one (not: wrong district).
        var companies = portal.Services.GetRequiredService<CompanyRepository>();
        var certificate = new JsonObject { ["number"] = "GR2024", ["issued_on"] = DateTime.Today.AddYears(-1).ToString("yyyy-MM-dd") };
        await companies.CreateAsync(new JsonObject { ["name"] = "海淀浏览器测试科技有限公司", ["uscc"] = "BROWSER00000000001", ["district"] = "海淀区", ["hightech_certificate"] = certificate.DeepClone() }, null);
        await companies.CreateAsync(new JsonObject { ["name"] = "昌平浏览器测试科技有限公司", ["uscc"] = "BROWSER00000000002", ["district"] = "昌平区", ["hightech_certificate"] = certificate.DeepClone() }, null);
        var source = (await portal.Services.GetRequiredService<CatalogRepository>().GetMeasureAsync("hd-embryo-enterprise-program"))!;
        const string title = "海淀高新技术企业测试补贴";

        var page = await portal.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN" });
        await page.GotoAsync(portal.BaseUrl + "/account/login");
        await page.GetByLabel("邮箱").FillAsync(email);
        await page.GetByLabel("密码").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/admin$"));

        await page.GetByRole(AriaRole.Link, new() { Name = "+ 新建措施" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "新建措施" })).ToBeVisibleAsync();
        // No id to type: the portal generates it.
        await page.GetByLabel("政策文件").SelectOptionAsync(source.PlanId);
        await page.GetByLabel("标题", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("摘要").FillAsync("对海淀区的高新技术企业给予支持(测试)。");
        await page.GetByLabel("支持方式").SelectOptionAsync("funding");
        await page.GetByLabel("执行期自").FillAsync("2024-01-01");
        await page.GetByLabel("执行期至").FillAsync("2030-12-31");
        await page.GetByLabel("条款编号").FillAsync(source.ClauseRef);
        await page.GetByLabel("原文摘录").FillAsync(source.Quote);

        // The criterion, with the builder: 所在区 等于 海淀区, then a second condition added with its button.
        var criterion = page.Locator("#criterion-0");
        await criterion.GetByLabel("中文说明").FillAsync("海淀区的高新技术企业");
        await criterion.GetByLabel("英文说明").FillAsync("A high-tech enterprise in Haidian");
        await criterion.Locator("select[name='m.Criteria[0].Builder.Items[0].Fact']").SelectOptionAsync("district");
        await criterion.Locator("input[name='m.Criteria[0].Builder.Items[0].Value']").FillAsync("海淀区");
        await criterion.GetByRole(AriaRole.Button, new() { Name = "+ 添加条件", Exact = true }).ClickAsync();
        var second = page.Locator("select[name='m.Criteria[0].Builder.Items[1].Fact']");
        await Assertions.Expect(second).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("标题", new() { Exact = true })).ToHaveValueAsync(title); // kept across the post-back
        await second.SelectOptionAsync("hightech_valid");
        await page.Locator("select[name='m.Criteria[0].Builder.Items[1].Operator']").SelectOptionAsync("is-true");

        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("已保存为草稿(第 1 版)");
        await Assertions.Expect(page.Locator(".sentence")).ToContainTextAsync("所在区 等于 海淀区 且 高新技术企业资格有效 为“是”");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "policymatch-admin-edit.png"), FullPage = true });

        // Not public yet.
        await page.GotoAsync(portal.BaseUrl + "/measures");
        await Assertions.Expect(page.GetByText(title)).ToHaveCountAsync(0);
        await page.GoBackAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "预览影响并发布" }).ClickAsync();
        await Assertions.Expect(page.Locator("td[data-count='eligible']")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("table.eligible-companies")).ToContainTextAsync("海淀浏览器测试科技有限公司");
        await Assertions.Expect(page.Locator("table.eligible-companies")).Not.ToContainTextAsync("昌平浏览器测试科技有限公司");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "policymatch-admin-preview.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "发布第 1 版" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("已发布第 1 版");

        await page.GotoAsync(portal.BaseUrl + "/measures");
        await page.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("li.criterion .label")).ToHaveTextAsync("海淀区的高新技术企业");
    }
}
